"""資料7 view data: the table, the indicators and the figures for the selected period, and the same by
prefecture for a national viewer."""

from __future__ import annotations

from council.dx.charts import dx_headcount_chart, dx_status_chart
from council.dx.exports import DX_TABLE_HEADERS, dx_table_row
from council.dx.models import DXStructure
from council.dx.selectors import dx_structures
from council.framework.cards import Card, card, partial_note
from council.framework.dashboards import Selected

#: the indicators as the dashboard names them (keys of dx_summary)
INDICATOR_LABELS = {
    "policy": "全体方針 策定済",
    "body": "全庁的なDX推進体制あり",
    "talent": "外部人材を確保",
    "hires": "情報職を採用",
}


def dashboard_data(selected: Selected, municipalities) -> dict:
    structures = list(dx_structures(period=selected.current, municipalities=municipalities))
    summary = dx_summary(structures)
    return {
        "structures": structures,
        "table_rows": [dx_table_row(s) for s in structures],
        "summary": summary,
        "charts": [dx_status_chart(summary), dx_headcount_chart(structures)],
    } | changes_since_previous(selected, municipalities, structures, summary)


def changes_since_previous(selected: Selected, municipalities, structures, summary) -> dict:
    """前回からの変化: the previous period with approved data, both sides' counts (each with how many
    organisations reported) and the organisations whose row changed."""
    earlier = [
        p
        for p in selected.choices
        if (p.fiscal_year, p.quarter) < (selected.current.fiscal_year, selected.current.quarter)
    ]
    if not earlier:
        return {"previous": None}
    previous = earlier[-1]
    before = list(dx_structures(period=previous, municipalities=municipalities))
    before_summary = dx_summary(before)
    # the difference counts the organisations reported in both periods only: a partial period's
    # smaller total is not a fall
    now_ids = {s.report.municipality_id for s in structures}
    both_ids = now_ids & {s.report.municipality_id for s in before}
    both_before = dx_summary([s for s in before if s.report.municipality_id in both_ids])
    both_now = dx_summary([s for s in structures if s.report.municipality_id in both_ids])
    indicators = [
        (
            label,
            before_summary[key]["done"],
            summary[key]["done"],
            both_now[key]["done"] - both_before[key]["done"],
        )
        for key, label in INDICATOR_LABELS.items()
    ]
    before_rows = {s.report.municipality_id: dx_table_row(s) for s in before}
    changed = []
    for s in structures:
        row, old = dx_table_row(s), before_rows.get(s.report.municipality_id)
        if old is None:
            continue
        for header, was, now in zip(DX_TABLE_HEADERS[1:], old[1:], row[1:], strict=True):
            if was != now:
                changed.append((row[0], header, was, now))
    return {
        "previous": previous,
        "previous_reported": len(before),
        "reported_in_both": len(both_ids),
        "indicator_changes": indicators,
        "row_changes": changed,
    }


def dx_summary(structures: list[DXStructure]) -> dict[str, dict[str, int]]:
    """Per indicator (keys of INDICATORS): how many organisations have it (done), plan it, or not."""
    total = len(structures)
    policy_done = sum(s.policy == DXStructure.Policy.ESTABLISHED for s in structures)
    policy_planned = sum(s.policy == DXStructure.Policy.PLANNED for s in structures)
    body = sum(s.has_promotion_body for s in structures)
    talent = sum(s.has_external_talent for s in structures)
    hires = sum(s.has_it_hires for s in structures)
    return {
        "policy": {
            "done": policy_done,
            "planned": policy_planned,
            "none": total - policy_done - policy_planned,
        },
        "body": {"done": body, "planned": 0, "none": total - body},
        "talent": {"done": talent, "planned": 0, "none": total - talent},
        "hires": {"done": hires, "planned": 0, "none": total - hires},
    }


def national_summary(selected: Selected, organisations):
    """資料7 per prefecture: how many organisations have each element of the DX structure."""
    period = selected.current
    from django.db.models import Count, Q, Sum

    from council.framework.national import NationalSummary, by_prefecture, percent
    from council.models import ReportStatus

    rows = by_prefecture(
        DXStructure.objects.filter(
            report__period=period,
            report__status=ReportStatus.APPROVED,
            report__municipality__in=organisations.values("pk"),
        ),
        "report__municipality",
        n=Count("pk"),
        n_policy=Count("pk", filter=Q(policy=DXStructure.Policy.ESTABLISHED)),
        n_planned=Count("pk", filter=Q(policy=DXStructure.Policy.PLANNED)),
        n_body=Count("pk", filter=Q(has_promotion_body=True)),
        n_talent=Count("pk", filter=Q(has_external_talent=True)),
        talent_people=Sum("external_talent_count"),
        n_hires=Count("pk", filter=Q(has_it_hires=True)),
    )
    return NationalSummary(
        columns=[
            "報告団体数",
            "全体方針 策定済の割合（%）",
            "策定済",
            "策定予定",
            "DX推進体制あり",
            "外部人材を確保",
            "外部人材（人）",
            "情報職を採用",
        ],
        values={
            pref: [
                r["n"],
                percent(r["n_policy"], r["n"]),
                r["n_policy"],
                r["n_planned"],
                r["n_body"],
                r["n_talent"],
                r["talent_people"] or 0,
                r["n_hires"],
            ]
            for pref, r in rows.items()
        },
        headline=1,
    )


def headline_cards(data: dict) -> list[Card]:
    """資料7 leads with the four indicators (organisations that have each)."""
    summary, note = data["summary"], partial_note(data)
    planned = summary["policy"]["planned"]
    return [
        card(
            key,
            summary[key]["done"],
            label + (f"（ほか予定 {planned}）" if key == "policy" and planned else "") + note,
        )
        for key, label in INDICATOR_LABELS.items()
    ]
