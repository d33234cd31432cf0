"""資料2 view data: what the dashboard shows for the selected period (`dashboard_data`), the same by
prefecture for a national viewer (`national_summary`), and its headline cards (`headline_cards`)."""

from __future__ import annotations

from council.framework.cards import Card, card, partial_note
from council.framework.dashboards import Selected
from online_procedures.charts import comparison_chart, coverage_chart


def dashboard_data(selected: Selected, municipalities) -> dict:
    """The comparison of `period` with `before` and its figures (coverage where checklists exist)."""
    period, before = selected.current, selected.compare
    from online_procedures import selectors
    from online_procedures.models import Procedure
    from online_procedures.tables import comparison

    c = comparison(
        period=period, before_period=before, municipalities=municipalities, total=Procedure.objects.count()
    )
    charts = [comparison_chart(c)]
    with_checklist = sum(1 for r in c.rows if r.checklist)
    if with_checklist:
        charts.append(
            coverage_chart(selectors.coverage(period=period, municipalities=municipalities), with_checklist)
        )
    return {
        "comparison": c,
        "charts": charts,
        "with_checklist": with_checklist,
        "targets": target_rows(c, period),
    }


def target_rows(c, period) -> list[dict]:
    """資料2's targets (staff's data, e.g. 全27手続をオンライン化 by 令和4年度末) measured by the share of
    the 27 procedures online over the reported municipalities (延べ手続数 ÷ (27 × 市町数))."""
    from council.framework.targets import progress_against, targets_for

    possible = c.total * len(c.reported)
    share = round(100 * c.sum_after / possible, 1) if possible else None
    measured = f"{c.sum_after}／{possible}手続（{len(c.reported)}市町×{c.total}手続）" if possible else ""
    return [
        {
            "target": target,
            "measured": measured,
            **progress_against(float(target.value), target.due, period.as_of, share),
        }
        for target in targets_for("online_procedures")
    ]


def national_summary(selected: Selected, organisations):
    """資料2 per prefecture: the 延べ手続数 at both periods and the municipalities offering everything."""
    period, before = selected.current, selected.compare
    from django.db.models import Count, Q, Sum

    from council.framework.national import NationalSummary, by_prefecture
    from council.models import ReportStatus
    from online_procedures.models import OnlineProcedureStatus, Procedure

    total = Procedure.objects.count()
    rows = by_prefecture(
        OnlineProcedureStatus.objects.filter(
            report__period__in=[p.pk for p in (period, before) if p],
            report__status=ReportStatus.APPROVED,
            report__municipality__in=organisations.values("pk"),
        ),
        "report__municipality",
        n=Count("pk", filter=Q(report__period=period)),
        after=Sum("available_count", filter=Q(report__period=period)),
        n_before=Count("pk", filter=~Q(report__period=period)),
        sum_before=Sum("available_count", filter=~Q(report__period=period)),
        everything=Count("pk", filter=Q(report__period=period, available_count__gte=total)),
    )
    return NationalSummary(
        columns=[
            "報告団体数",
            "1団体あたりの手続数",
            "延べ手続数",
            f"比較: 延べ手続数（{before.label}）" if before else "比較: 延べ手続数",
            f"全{total}手続に対応した団体",
        ],
        values={
            pref: [
                r["n"],
                round(r["after"] / r["n"], 1),
                r["after"],
                r["sum_before"] if r["n_before"] else None,
                r["everything"],
            ]
            for pref, r in rows.items()
            if r["n"]
        },
        headline=1,
    )


def headline_cards(data: dict) -> list[Card]:
    """資料2 leads with the total procedures online and how many municipalities offer all of them."""
    c = data["comparison"]
    cards = [
        card(
            "sum",
            c.sum_after,
            f"延べ手続数・{c.after_label}（{len(c.reported)}市町{partial_note(data, joiner='・', closer='')}）",
        )
    ]
    if data.get("compare"):
        note = partial_note(data, "compare_coverage", joiner="・", closer="")
        cards.append(
            card(
                "sum-before",
                c.sum_before,
                f"延べ手続数・{c.before_label}（{len(c.reported_before)}市町{note}）",
            )
        )
    return [
        *cards,
        card("all", c.all_offered, f"全{c.total}手続に対応した団体{partial_note(data)}"),
        card("checklist", data["with_checklist"], "手続ごとに報告した団体"),
    ]
