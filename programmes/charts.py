"""資料6 figures: the programmes' budgets and the municipalities' uptake."""

from __future__ import annotations

import plotly.graph_objects as go

from council.framework.charts import PALETTE, Chart, layout


def budget_chart(programmes) -> Chart | None:
    if not programmes:
        return None
    names = [p.name for p in programmes]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[p.budget for p in programmes],
        orientation="h",
        marker_color=PALETTE[0],
        hovertemplate="%{y}: %{x:,}千円<extra></extra>",
    )
    fig.update_layout(**layout(margin={"l": 200, "r": 20, "t": 10, "b": 50}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="予算額（千円）", tickformat=",d")
    return Chart(
        key="programmes-budget",
        title="事業別の予算額（千円）",
        figure=fig,
        columns=["事業名", "予算額（千円）"],
        rows=[[p.name, p.budget] for p in programmes],
        height=max(240, 50 * len(programmes) + 100),
        table_open=False,
    )


def uptake_chart(rows: list[dict]) -> Chart | None:
    if not rows or not any(r["application"] or r["interest"] or r["attended"] for r in rows):
        return None
    names = [r["name"] for r in rows]
    fig = go.Figure()
    for key, label, colour in (
        ("application", "申込", PALETTE[0]),
        ("interest", "関心あり", PALETTE[2]),
        ("attended", "参加", PALETTE[4]),
    ):
        fig.add_bar(
            name=label,
            y=names,
            x=[r[key] for r in rows],
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y}: %{x}件<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(**layout(barmode="stack", margin={"l": 110, "r": 20, "t": 10, "b": 50}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="件数", dtick=1)
    return Chart(
        key="programmes-uptake",
        title="市町別の申込・参加件数",
        figure=fig,
        columns=["市町名", "申込", "関心あり", "参加"],
        rows=[[r["name"], r["application"], r["interest"], r["attended"]] for r in rows],
        height=max(380, 30 * len(rows) + 100),
        table_open=False,
    )
