from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from analog_review.tables import STATUS_LABELS
from council.framework.charts import PALETTE, SEQUENTIAL, Chart, count_axis, layout


def progress_chart(rows: list[list]) -> Chart:
    """Provisions by status per quarter, stacked."""
    periods = [r[0] for r in rows]
    fig = go.Figure()
    for i, label in enumerate(STATUS_LABELS):
        fig.add_bar(name=label, x=periods, y=[r[i + 1] for r in rows], marker_color=PALETTE[i % len(PALETTE)])
    fig.update_layout(**layout(barmode="stack"))
    fig.update_yaxes(**count_axis(max([sum(r[1:]) for r in rows] + [1]), title_text="規定の件数"))
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
            colorscale=[[0, SEQUENTIAL[0]], [0.0001, SEQUENTIAL[1]], [1, SEQUENTIAL[2]]],
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
