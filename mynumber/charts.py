from __future__ import annotations

from collections import defaultdict

import numpy as np
import plotly.graph_objects as go

from council.framework.charts import PALETTE, Chart, layout
from mynumber.tables import Material5


def ranking_chart(m: Material5) -> Chart:
    ranked = sorted(m.municipalities, key=lambda r: r.issuance_rate, reverse=True)
    names = np.array([r.name for r in ranked], dtype=object)
    fig = go.Figure()
    fig.add_bar(
        name="申請率",
        y=names,
        x=np.array([float(r.application_rate) for r in ranked]),
        orientation="h",
        marker_color=PALETTE[4],
        hovertemplate="%{y}: 申請率 %{x:.1f}%<extra></extra>",
    )
    fig.add_bar(
        name="交付率",
        y=names,
        x=np.array([float(r.issuance_rate) for r in ranked]),
        orientation="h",
        marker_color=PALETTE[0],
        hovertemplate="%{y}: 交付率 %{x:.1f}%<extra></extra>",
    )
    shapes, annotations = [], []
    references = [(p.name, p, "dash") for p in m.prefectures[:1]] + (
        [("全国", m.national, "dot")] if m.national else []
    )
    for label, row, dash in references:
        value = float(row.issuance_rate)
        shapes.append(
            {
                "type": "line",
                "x0": value,
                "x1": value,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"dash": dash, "color": PALETTE[1] if dash == "dash" else PALETTE[2]},
            }
        )
        annotations.append(
            {
                "x": value,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "text": f"{label} 交付率 {value:.1f}%",
                "font": {"size": 12},
            }
        )
    low = min([float(r.issuance_rate) for r in ranked] + [100.0])
    fig.update_layout(
        **layout(
            barmode="group",
            margin={"l": 110, "r": 20, "t": 40, "b": 60},
            shapes=shapes,
            annotations=annotations,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[max(0, int(low // 10) * 10 - 10), 100], title_text="%")
    return Chart(
        key="mynumber-ranking",
        title="市町別の申請率・交付率（交付率の高い順）",
        figure=fig,
        columns=["市町名", "申請率", "交付率"],
        rows=[[r.name, f"{r.application_rate}%", f"{r.issuance_rate}%"] for r in ranked],
        caption="破線は県、点線は全国の交付率。",
        height=max(380, 34 * len(ranked) + 120),
        table_open=False,
    )


def trend_chart(series: list[dict]) -> Chart | None:
    dates = sorted({row["snapshot__as_of"] for row in series})
    if len(dates) < 2:
        return None
    by_name: dict[str, dict] = defaultdict(dict)
    for row in series:
        by_name[row["organisation__name"] or "全国"][row["snapshot__as_of"]] = row
    fig = go.Figure()
    table = []
    for i, (name, rows) in enumerate(sorted(by_name.items(), key=lambda kv: kv[0] != "全国")):
        for metric, label, dash in (
            ("application_rate", "申請率", "dot"),
            ("issuance_rate", "交付率", "solid"),
        ):
            fig.add_scatter(
                x=[d.isoformat() for d in dates],
                y=[float(rows[d][metric]) if d in rows else None for d in dates],
                mode="lines+markers",
                name=f"{name} {label}",
                line={"dash": dash, "color": PALETTE[i % len(PALETTE)]},
            )
        table += [
            [d.isoformat(), name, f"{rows[d]['application_rate']}%", f"{rows[d]['issuance_rate']}%"]
            for d in dates
            if d in rows
        ]
    fig.update_layout(**layout())
    fig.update_yaxes(title_text="%")
    return Chart(
        key="mynumber-trend",
        title="申請率・交付率の推移（県・全国）",
        figure=fig,
        columns=["時点", "団体", "申請率", "交付率"],
        rows=table,
        table_open=False,
    )
