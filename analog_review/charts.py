from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from analog_review.tables import STATUS_LABELS
from council.charts import PALETTE, Chart, layout


def progress_chart(rows: list[list]) -> Chart:
    """Provisions by status per quarter, stacked."""
    periods = [r[0] for r in rows]
    fig = go.Figure()
    for i, label in enumerate(STATUS_LABELS):
        fig.add_bar(name=label, x=periods, y=[r[i + 1] for r in rows], marker_color=PALETTE[i % len(PALETTE)])
    fig.update_layout(**layout(barmode="stack"))
    fig.update_yaxes(title_text="規定の件数")
    return Chart(
        key="analog-progress",
        title="四半期ごとの進み具合（状況別の件数）",
        figure=fig,
        columns=["報告期間", *STATUS_LABELS],
        rows=rows,
        table_open=False,
    )


def started_chart(rows: list[list], types) -> Chart:
    """Who has started which types: organisation × type, the number of provisions found."""
    names = [r[0] for r in rows]
    z = np.array([r[1:] for r in rows], dtype=np.int64).reshape(len(rows), len(types))
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[t.name for t in types],
            y=names,
            text=z.astype(str),
            texttemplate="%{text}",
            showscale=False,
            colorscale=[[0, "#EEEEEE"], [0.0001, "#BFD7EA"], [1, "#0072B2"]],
            xgap=2,
            ygap=2,
            hovertemplate="%{y} / %{x}: %{z}件<extra></extra>",
        )
    )
    fig.update_layout(**layout(margin={"l": 110, "r": 10, "t": 10, "b": 140}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-35)
    return Chart(
        key="analog-started",
        title="団体ごとに着手した類型（洗い出した規定の件数）",
        figure=fig,
        columns=["団体", *[t.name for t in types]],
        rows=rows,
        height=max(320, 28 * len(rows) + 180),
        wide=True,
        table_open=False,
    )


def dashboard_data(period, periods, municipalities) -> dict:
    from analog_review import selectors, tables

    types = selectors.types()
    df = tables.frame(selectors.approved_counts(periods=periods, municipalities=municipalities))
    current = df[df["section__report__period_id"] == period.pk]
    organisations = list(municipalities.order_by("display_order", "code").values_list("pk", "name"))
    started = tables.organisation_by_type(current, organisations, types)
    return {
        "statuses": STATUS_LABELS,
        "type_rows": tables.type_by_status(current, types),
        "organisation_rows": tables.organisation_by_status(current, organisations),
        "reported": len(started),
        "charts": [progress_chart(tables.period_by_status(df, periods)), started_chart(started, types)],
    }


def analog_charts(period, municipalities) -> list[Chart]:
    from analog_review.models import AnalogReviewConfirmation
    from council.selectors import periods_with_approved

    return dashboard_data(period, periods_with_approved(AnalogReviewConfirmation), municipalities)["charts"]


def national_summary(period, organisations):
    """資料4 per prefecture (the prefecture's own provisions count for it): provisions by status."""
    from django.db.models import Count, Q, Sum

    from analog_review.models import AnalogCount, AnalogReviewConfirmation, ReviewStatus
    from council.models import ReportStatus
    from council.national import NationalSummary, by_prefecture, percent

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
