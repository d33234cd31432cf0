"""資料3 view data: what the dashboard shows for the selected period (`dashboard_data`), the same by
prefecture for a national viewer (`national_summary`), and its headline cards (`headline_cards`)."""

from __future__ import annotations

from council.framework.cards import Card, card
from council.framework.dashboards import Selected
from rpa.charts import hours_chart, municipality_hours_chart, participation_chart


def dashboard_data(selected: Selected, municipalities) -> dict:
    year = selected.current
    from rpa import selectors
    from rpa.exports import scenario_list
    from rpa.models import Contract, YearPlan

    rows = list(municipalities.order_by("display_order", "code").values_list("pk", "name"))
    # the year's scenarios (built then or before), who used them that year and that year's effects:
    # the table, the chart and the Excel book read the same `participating_in`
    scenarios = selectors.scenarios(fiscal_year=year.fiscal_year)
    participating = {
        (s, m)
        for s, m, _ in selectors.participation(municipalities=municipalities, fiscal_year=year.fiscal_year)
    }
    effects = selectors.effects(municipalities=municipalities, fiscal_year=year.fiscal_year)
    charts = [participation_chart(scenarios, rows, participating)]
    if effects:
        charts += [
            hours_chart(effects, {s.pk: s.label for s in scenarios}),
            municipality_hours_chart(effects),
        ]
    return {
        "items": scenario_list(year, municipalities),
        "charts": charts,
        "has_effects": bool(effects),
        "total_hours": round(sum(float(e["hours"]) for e in effects), 1),
        "total_runs": sum(int(e["runs"]) for e in effects),
        "plans": list(YearPlan.objects.filter(fiscal_year__gte=year.fiscal_year)),
        "contracts": list(Contract.objects.all()),
    }


def national_summary(selected: Selected, organisations):
    """資料3 per prefecture: municipalities using a shared scenario in the year, and the approved effects."""
    year = selected.current
    from django.db.models import Count, Sum

    from council.framework.national import NationalSummary, by_prefecture
    from council.models import ReportStatus
    from rpa import selectors
    from rpa.models import Participation, ScenarioUsage

    users = by_prefecture(
        Participation.objects.filter(
            selectors.participating_in(year.fiscal_year),
            municipality__in=organisations.reporting().values("pk"),
        ),
        "municipality",
        n_users=Count("municipality", distinct=True),
        n_participations=Count("pk"),
    )
    effects = by_prefecture(
        ScenarioUsage.objects.filter(
            usage__report__status=ReportStatus.APPROVED,
            usage__report__period__fiscal_year=year.fiscal_year,
            usage__report__municipality__in=organisations.reporting().values("pk"),
        ),
        "usage__report__municipality",
        n_runs=Sum("runs"),
        n_hours=Sum("hours_saved"),
    )
    values = {}
    for pref in users.keys() | effects.keys():
        u, e = users.get(pref, {}), effects.get(pref, {})
        values[pref] = [
            u.get("n_users", 0),
            u.get("n_participations", 0),
            round(float(e.get("n_hours") or 0), 1),
            int(e.get("n_runs") or 0),
        ]
    return NationalSummary(
        columns=[
            "利用団体数",
            "延べ利用（シナリオ × 団体）",
            "削減時間の合計（時間・承認済み）",
            "実行回数の合計",
        ],
        values=values,
        headline=2,
    )


def headline_cards(data: dict) -> list[Card]:
    """資料3 leads with the year's scenarios and their approved effects."""
    return [
        card("scenarios", len(data["items"]), f"{data['year'].label}のシナリオ"),
        card("hours", data["total_hours"], "削減時間の合計（時間・承認済み）"),
        card("runs", data["total_runs"], "実行回数の合計"),
    ]
