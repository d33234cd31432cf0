"""資料4 view data: what the dashboard shows for the selected period (`dashboard_data`), the same by
prefecture for a national viewer (`national_summary`), and its headline cards (`headline_cards`)."""

from __future__ import annotations

from analog_review.charts import progress_chart, started_chart
from analog_review.models import ReviewStatus
from analog_review.tables import STATUS_KEYS, STATUS_LABELS
from council.framework.cards import Card, card, partial_note
from council.framework.dashboards import Selected


def dashboard_data(selected: Selected, municipalities) -> dict:
    period, periods = selected.current, selected.choices
    from analog_review import selectors, tables

    types = selectors.types()
    t = tables.tables_for(period, periods, municipalities, types)
    return {
        "statuses": STATUS_LABELS,
        "type_rows": t.type_rows,
        "organisation_rows": t.organisation_rows,
        "reported": len(t.started),
        "provisions": sum(row[-1] for row in t.type_rows),
        "amended": sum(row[1 + STATUS_KEYS.index(ReviewStatus.AMENDED)] for row in t.type_rows),
        "charts": [progress_chart(t.progress), started_chart(t.started, types)],
    } | change_since_previous(period, periods, t.progress)


def change_since_previous(period, periods, progress: list[list]) -> dict:
    """前回からの変化: the totals by status of the previous period with approved counts beside this
    one's (the rows of the trend table, `[short label, *counts by status]`)."""
    by_label = {row[0]: row[1:] for row in progress}
    earlier = [
        p
        for p in periods
        if (p.fiscal_year, p.quarter) < (period.fiscal_year, period.quarter) and p.short_label in by_label
    ]
    if not earlier or period.short_label not in by_label:
        return {"previous": None}
    previous = earlier[-1]
    before, now = by_label[previous.short_label], by_label[period.short_label]
    rows = [[label, b, n, n - b] for label, b, n in zip(STATUS_LABELS, before, now, strict=True)]
    rows.append(["合計", sum(before), sum(now), sum(now) - sum(before)])
    return {"previous": previous, "status_changes": rows}


def national_summary(selected: Selected, organisations):
    """資料4 per prefecture (the prefecture's own provisions count for it): provisions by status."""
    period = selected.current
    from django.db.models import Count, Q, Sum

    from analog_review.models import AnalogCount, AnalogReviewConfirmation, ReviewStatus
    from council.framework.national import NationalSummary, by_prefecture, percent
    from council.models import ReportStatus

    approved = {
        "report__period": period,
        "report__status": ReportStatus.APPROVED,
        "report__municipality__in": organisations.values("pk"),
    }
    sections = by_prefecture(
        AnalogReviewConfirmation.objects.filter(**approved), "report__municipality", n=Count("pk")
    )
    counts = by_prefecture(
        AnalogCount.objects.filter(**{f"section__{k}": v for k, v in approved.items()}),
        "section__report__municipality",
        **{f"n_{s.value}": Sum("count", filter=Q(status=s)) for s in ReviewStatus},
    )
    values = {}
    for pref, section in sections.items():
        by_status = [counts.get(pref, {}).get(f"n_{s.value}") or 0 for s in ReviewStatus]
        found = sum(by_status)
        reviewed = (
            by_status[list(ReviewStatus).index(ReviewStatus.AMENDED)]
            + by_status[list(ReviewStatus).index(ReviewStatus.NOT_NEEDED)]
        )
        values[pref] = [section["n"], percent(reviewed, found), found, *by_status]
    return NationalSummary(
        columns=["報告団体数", "見直し済みの割合（%）", "洗い出した規定", *STATUS_LABELS],
        values=values,
        headline=1,
        note="見直し済み = 改正済 + 見直し不要。都道府県自身の規定もその都道府県に含めます。",
    )


def headline_cards(data: dict) -> list[Card]:
    """資料4 leads with the provisions reviewed, those amended and the organisations reporting."""
    return [
        card("provisions", data["provisions"], "点検の対象とした規定（件）"),
        card("amended", data["amended"], "改正済みの規定（件）"),
        card("reported", data["reported"], f"報告した団体{partial_note(data)}"),
    ]
