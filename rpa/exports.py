"""資料3 Excel book: the list of a year's scenarios with their municipalities, and the effects."""

from __future__ import annotations

from council.framework.fiscal_years import FiscalYear
from council.framework.xlsx import Column, Sheet
from council.text import quoted
from council.wareki import wareki_fiscal_year
from rpa import selectors
from rpa.models import Scenario


def fiscal_years() -> list[int]:
    """The year selector's choices: every fiscal year with scenarios, approved reports or a plan."""
    from rpa.models import YearPlan

    return sorted(
        set(selectors.years_with_data()) | set(YearPlan.objects.values_list("fiscal_year", flat=True))
    )


def resolve_fiscal_year(slug: str | None) -> FiscalYear | None:
    """`?year=2023` (a year of `fiscal_years`); by default the latest with scenarios or approved data."""
    if slug:
        if not (slug.isdigit() and int(slug) in fiscal_years()):
            raise LookupError(f"{quoted(slug)}年度のデータはありません（形式: 2023 = 令和5年度）。")
        return FiscalYear(int(slug))
    years = selectors.years_with_data()
    return FiscalYear(years[-1]) if years else None


def scenario_list(year: FiscalYear, municipalities) -> list[tuple[Scenario, list[str]]]:
    """The year's scenarios (built that year) and the municipalities using them that year."""
    names: dict[int, list[str]] = {}
    for scenario_id, _m_id, name in selectors.participation(
        municipalities=municipalities, fiscal_year=year.fiscal_year
    ):
        names.setdefault(scenario_id, []).append(name)
    return [(s, names.get(s.pk, [])) for s in Scenario.objects.filter(fiscal_year=year.fiscal_year)]


def build_rpa_book(year: FiscalYear, municipalities) -> list[Sheet]:
    items = scenario_list(year, municipalities)
    table = Sheet(
        title="資料3 RPA等共同利用",
        preface=[
            "県・市町におけるRPA等の共同利用について",
            f"<{year.label}の取組実績>",
            f"以下{len(items)}業務についてRPAシナリオ作成・業務での運用",
        ],
        headers=["業務", "利用団体"],
        rows=([s.label, "・".join(names)] for s, names in items),
    )
    labels = {s.pk: s.name for s in Scenario.objects.all()}
    effects = selectors.effects(municipalities=municipalities, fiscal_year=year.fiscal_year)
    long = Sheet(
        title="効果",
        headers=["団体コード", "団体名", "年度", "四半期", "シナリオ", "実行回数", "削減時間（時間）"],
        rows=(
            [
                e["usage__report__municipality__code"],
                e["usage__report__municipality__name"],
                wareki_fiscal_year(e["usage__report__period__fiscal_year"]),
                e["usage__report__period__quarter"],
                labels[e["scenario_id"]],
                e["runs"],
                float(e["hours"]),
            ]
            for e in effects
        ),
        columns=[*[Column()] * 3, Column('"第"0"四半期"'), Column(), Column('#,##0"回"'), Column("#,##0.0")],
    )
    return [table, long]
