"""資料7 figures."""

from __future__ import annotations

import plotly.graph_objects as go

from council.dx.models import DXStructure
from council.framework.charts import STATUS_COLOURS, Chart, count_axis, layout

INDICATORS = {
    "policy": "全体方針の策定",
    "body": "全庁的なDX推進体制",
    "talent": "外部人材確保",
    "hires": "情報職の採用",
}


def dx_status_chart(summary: dict[str, dict[str, int]]) -> Chart:
    labels = {"done": "あり・策定済", "planned": "策定予定", "none": "なし・未策定"}
    keys = list(reversed(INDICATORS))  # plotly draws bottom-up: keep the materials' order top-down
    fig = go.Figure()
    for key, label in labels.items():
        fig.add_bar(
            name=label,
            y=[INDICATORS[k] for k in keys],
            x=[summary[k][key] for k in keys],
            orientation="h",
            marker_color=STATUS_COLOURS[key],
            text=[summary[k][key] or "" for k in keys],
            textposition="inside",
            hovertemplate="%{y}: %{x}団体<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(**layout(barmode="stack", margin={"l": 150, "r": 20, "t": 10, "b": 60}))
    fig.update_xaxes(**count_axis(sum(summary["policy"].values()), title_text="団体数"))
    return Chart(
        key="dx-status",
        title="DX推進体制の整備状況（団体数）",
        figure=fig,
        columns=["項目", labels["done"], labels["planned"], labels["none"]],
        rows=[
            [label, summary[k]["done"], summary[k]["planned"], summary[k]["none"]]
            for k, label in INDICATORS.items()
        ],
        height=300,
    )


def dx_headcount_chart(structures: list[DXStructure]) -> Chart:
    with_people = [s for s in structures if s.has_external_talent or s.has_it_hires]
    names = [s.report.municipality.name for s in with_people]
    fig = go.Figure()
    fig.add_bar(
        name="外部人材（CIO補佐官等）", x=names, y=[s.external_talent_count or 0 for s in with_people]
    )
    fig.add_bar(name="情報職", x=names, y=[s.it_hires_count or 0 for s in with_people])
    fig.update_layout(**layout(barmode="group"))
    most = max(
        [s.external_talent_count or 0 for s in with_people]
        + [s.it_hires_count or 0 for s in with_people]
        + [1]
    )
    fig.update_yaxes(**count_axis(most, title_text="人数（名）"))
    return Chart(
        key="dx-people",
        title="外部人材・情報職の確保状況（人数が分かる団体）",
        figure=fig,
        columns=["団体", "外部人材確保(CIO補佐官等)", "情報職の採用"],
        rows=[[s.report.municipality.name, s.external_talent_mark, s.it_hires_mark] for s in with_people],
        caption="「○」のみで人数の報告がない団体は 0 として描画しています（表では「○」）。",
    )
