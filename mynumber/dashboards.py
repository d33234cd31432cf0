"""資料5 view data: what the dashboard shows for the selected period (`dashboard_data`), the same by
prefecture for a national viewer (`national_summary`), and its headline cards (`headline_cards`)."""

from __future__ import annotations

from council.framework.cards import Card, card
from council.framework.dashboards import Selected
from mynumber.charts import ranking_chart, trend_chart
from mynumber.tables import Material5


def dashboard_data(selected: Selected, organisations) -> dict:
    snapshot = selected.current
    from mynumber import selectors

    m = Material5.from_rows(selectors.rows_for(snapshot=snapshot, organisations=organisations))
    charts = [ranking_chart(m)]
    trend = trend_chart(selectors.series(organisations=organisations))
    if trend:
        charts.append(trend)
    return {
        "material": m,
        "prefecture_cells": m.prefecture_block(m.prefectures[0]) if m.prefectures else None,
        "prefecture": m.prefectures[0] if m.prefectures else None,
        "charts": charts,
    }


def national_summary(selected: Selected, organisations):
    """資料5 per prefecture: each prefecture's own row of the snapshot (as the national statistics
    publish them), with its ranks where known."""
    snapshot = selected.current
    from council.framework.national import NationalSummary
    from mynumber.models import SnapshotRow

    rows = SnapshotRow.objects.filter(
        snapshot=snapshot, organisation__kind="prefecture", organisation__in=organisations.values("pk")
    ).values_list(
        "organisation_id",
        "population",
        "application_rate",
        "application_rank",
        "issuance_rate",
        "issuance_rank",
    )
    return NationalSummary(
        columns=["人口", "申請率（%）", "申請率の全国順位", "交付率（%）", "交付率の全国順位"],
        values={
            pref: [population, float(applied), a_rank, float(issued), i_rank]
            for pref, population, applied, a_rank, issued, i_rank in rows
        },
        headline=3,
    )


def headline_cards(data: dict) -> list[Card]:
    """資料5 leads with the prefecture's rates against the nation's."""
    prefecture, cells = data.get("prefecture"), data.get("prefecture_cells")
    if prefecture is None or cells is None:
        return []
    return [
        card("applied", cells[0], f"{prefecture.name}の申請率（全国{cells[1]}）"),
        card("issued", cells[2], f"{prefecture.name}の交付率（全国{cells[3]}）"),
    ]
