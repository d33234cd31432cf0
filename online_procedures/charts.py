from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from council.framework.charts import PALETTE, Chart, count_axis, layout
from online_procedures.tables import Comparison


def comparison_chart(c: Comparison) -> Chart:
    names = np.array([r.name for r in c.rows], dtype=object)
    fig = go.Figure()
    if c.before_period:
        fig.add_bar(
            name=c.before_label,
            y=names,
            x=np.array([r.before or 0 for r in c.rows]),
            orientation="h",
            marker_color=PALETTE[4],
            hovertemplate="%{y}: %{x}手続<extra>%{fullData.name}</extra>",
        )
    fig.add_bar(
        name=c.after_label,
        y=names,
        x=np.array([r.after for r in c.rows]),
        orientation="h",
        marker_color=PALETTE[0],
        hovertemplate="%{y}: %{x}手続<extra>%{fullData.name}</extra>",
    )
    fig.update_layout(**layout(barmode="group", margin={"l": 110, "r": 20, "t": 10, "b": 60}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        **count_axis(c.total, range=[0, c.total], title_text=f"マイナポータル利用手続数（{c.total}手続中）")
    )
    return Chart(
        key="online-comparison",
        title="マイナポータル利用手続数（団体別）",
        figure=fig,
        columns=["市町名", c.before_label or "（比較なし）", c.after_label],
        rows=[[r.name, r.before if r.before is not None else "—", r.after] for r in c.rows],
        height=max(380, 34 * len(c.rows) + 100),
        table_open=False,  # the materials table below shows the same figures
    )


def coverage_chart(coverage, with_checklist: int) -> Chart:
    names = np.array([p.name for p, _ in coverage], dtype=object)
    values = np.array([n for _, n in coverage])
    fig = go.Figure(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            marker_color=PALETTE[2],
            hovertemplate="%{y}: %{x}団体<extra></extra>",
        )
    )
    fig.update_layout(**layout(margin={"l": 330, "r": 20, "t": 10, "b": 50}, showlegend=False))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(
        **count_axis(
            max(with_checklist, 1),
            range=[0, max(with_checklist, 1)],
            title_text=f"利用できる団体数（手続ごとに報告した{with_checklist}団体中）",
        )
    )
    return Chart(
        key="online-coverage",
        title="手続ごとの対応状況（手続ごとに報告した団体）",
        figure=fig,
        columns=["手続", "利用できる団体数"],
        rows=[[p.name, n] for p, n in coverage],
        height=max(380, 22 * len(coverage) + 100),
        wide=True,
        table_open=False,
    )
