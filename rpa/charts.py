from __future__ import annotations

from collections import defaultdict

import numpy as np
import plotly.graph_objects as go

from council.framework.charts import PALETTE, SEQUENTIAL, Chart, layout
from council.framework.palette import series_colour, series_pattern
from council.wareki import short_fiscal_year


def participation_chart(scenarios, municipalities, participating: set[tuple[int, int]]) -> Chart:
    """Scenario × municipality: who uses which scenario."""
    names = [name for _, name in municipalities]
    labels = [s.label for s in scenarios]
    z = np.array(
        [[1 if (s.pk, m_id) in participating else 0 for m_id, _ in municipalities] for s in scenarios],
        dtype=np.int8,
    )
    z = z.reshape(len(scenarios), len(municipalities))
    text = np.array([["●" if v else "" for v in row] for row in z.tolist()], dtype=object).reshape(z.shape)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=names,
            y=labels,
            text=text,
            texttemplate="%{text}",
            showscale=False,
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            colorscale=[[0, SEQUENTIAL[0]], [1, SEQUENTIAL[-1]]],
            hovertemplate="%{y}<br>%{x}<extra></extra>",
        )
    )
    fig.update_layout(**layout(margin={"l": 330, "r": 10, "t": 10, "b": 110}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45)
    return Chart(
        key="rpa-participation",
        title="シナリオの利用団体（シナリオ × 団体）",
        figure=fig,
        columns=["シナリオ", "利用団体数", "利用団体"],
        rows=[
            [
                s.label,
                int(z[i].sum()),
                "・".join(n for (m_id, n), v in zip(municipalities, z[i].tolist(), strict=True) if v),
            ]
            for i, s in enumerate(scenarios)
        ],
        height=max(300, 40 * len(scenarios) + 160),
        wide=True,
    )


def hours_chart(effects: list[dict], scenario_labels: dict[int, str]) -> Chart:
    """Hours saved per quarter, stacked by scenario."""
    quarters = sorted(
        {(e["usage__report__period__fiscal_year"], e["usage__report__period__quarter"]) for e in effects}
    )
    qlabels = [f"{short_fiscal_year(fy)} Q{q}" for fy, q in quarters]
    by_scenario: dict[int, dict[tuple, float]] = defaultdict(lambda: defaultdict(float))
    for e in effects:
        by_scenario[e["scenario_id"]][
            (e["usage__report__period__fiscal_year"], e["usage__report__period__quarter"])
        ] += float(e["hours"])
    fig = go.Figure()
    rows = []
    for i, (scenario_id, values) in enumerate(sorted(by_scenario.items())):
        label = scenario_labels.get(scenario_id, str(scenario_id))
        fig.add_bar(
            name=label,
            x=qlabels,
            y=[values.get(q, 0) for q in quarters],
            marker={"color": series_colour(i), "pattern": {"shape": series_pattern(i)}},
        )
        rows.append([label, *[round(values.get(q, 0), 1) for q in quarters], round(sum(values.values()), 1)])
    fig.update_layout(**layout(barmode="stack"))
    fig.update_yaxes(title_text="削減時間（時間）")
    return Chart(
        key="rpa-hours",
        title="四半期ごとの削減時間（シナリオ別）",
        figure=fig,
        columns=["シナリオ", *qlabels, "合計"],
        rows=rows,
        table_open=False,
    )


def municipality_hours_chart(effects: list[dict]) -> Chart:
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for e in effects:
        totals[e["usage__report__municipality__name"]][0] += float(e["hours"])
        totals[e["usage__report__municipality__name"]][1] += int(e["runs"])
    ranked = sorted(totals.items(), key=lambda kv: kv[1][0], reverse=True)
    fig = go.Figure(
        go.Bar(
            y=[n for n, _ in ranked],
            x=[round(v[0], 1) for _, v in ranked],
            orientation="h",
            marker_color=PALETTE[2],
        )
    )
    fig.update_layout(**layout(margin={"l": 110, "r": 20, "t": 10, "b": 50}, showlegend=False))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="削減時間の合計（時間）")
    return Chart(
        key="rpa-municipality-hours",
        title="団体別の削減時間の合計",
        figure=fig,
        columns=["団体", "削減時間（時間）", "実行回数"],
        rows=[[n, round(v[0], 1), int(v[1])] for n, v in ranked],
        height=max(300, 26 * len(ranked) + 100),
        table_open=False,
    )
