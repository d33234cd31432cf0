"""資料1 figures: the municipality × step heat map and progress toward the deadline."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from council.framework.charts import PALETTE, SEQUENTIAL, STATUS_COLOURS, Chart, layout
from standardization.analysis import cell_state, cell_text

STATE_VALUE = {"none": 0, "partial": 1, "done": 2}
STATE_LABEL = {"none": "未着手", "partial": "一部完了", "done": "完了"}


def heatmap_chart(matrix, municipalities, steps, total: int) -> Chart:
    names = [name for _, _, name, _ in municipalities]
    step_names = [s.name for s in steps]
    states = [[cell_state(matrix.get(m_id, {}).get(s.pk)) for s in steps] for m_id, _, _, _ in municipalities]
    texts = [
        [cell_text(matrix.get(m_id, {}).get(s.pk), total) for s in steps] for m_id, _, _, _ in municipalities
    ]
    fig = go.Figure(
        go.Heatmap(  # numpy arrays: plotly validates them without copying cell by cell
            z=np.array([[STATE_VALUE[c] for c in row] for row in states], dtype=np.int8).reshape(
                len(names), len(step_names)
            ),
            x=step_names,
            y=names,
            text=np.array(texts, dtype=object).reshape(len(names), len(step_names)),
            texttemplate="%{text}",
            customdata=np.array([[STATE_LABEL[c] for c in row] for row in states], dtype=object).reshape(
                len(names), len(step_names)
            ),
            hovertemplate="%{y} / %{x}<br>%{customdata} %{text}<extra></extra>",
            colorscale=[
                [0, SEQUENTIAL[0]],
                [0.33, SEQUENTIAL[0]],
                [0.33, SEQUENTIAL[1]],
                [0.66, SEQUENTIAL[1]],
                [0.66, SEQUENTIAL[2]],
                [1, SEQUENTIAL[2]],
            ],
            zmin=0,
            zmax=2,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    fig.update_layout(**layout(margin={"l": 150, "r": 10, "t": 10, "b": 150}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45, side="bottom")
    return Chart(
        key="std-heatmap",
        title="ステップ別の進捗（団体 × ステップ、数字は完了した業務数）",
        figure=fig,
        columns=["団体", *step_names],
        rows=[[name, *row] for name, row in zip(names, texts, strict=True)],
        caption="濃い青: 完了、中間の青: 一部完了、ごく薄い青: 未着手。「全」は全業務。",
        height=max(360, 28 * len(names) + 170),
        wide=True,
        table_open=False,
    )


def progress_chart(progress: list[tuple[str, float]], elapsed: float, deadline_label: str) -> Chart:
    names = [name for name, _ in progress]
    values = [value for _, value in progress]
    fig = go.Figure(
        go.Bar(
            x=np.array(values),
            y=np.array(names, dtype=object),
            orientation="h",
            marker_color=STATUS_COLOURS["done"],
            text=np.array([f"{v}%" for v in values], dtype=object),
            textposition="outside",
            hovertemplate="%{y}: %{x}%<extra></extra>",
            name="進捗率",
        )
    )
    fig.update_layout(
        **layout(
            margin={"l": 110, "r": 40, "t": 30, "b": 50},
            showlegend=False,
            shapes=[
                {
                    "type": "line",
                    "x0": elapsed,
                    "x1": elapsed,
                    "xref": "x",
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"dash": "dash", "color": PALETTE[1]},
                }
            ],
            annotations=[
                {
                    "x": elapsed,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "text": f"期限までの経過 {elapsed}%",
                }
            ],
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], title_text="進捗率（%）")
    return Chart(
        key="std-progress",
        title=f"移行期限（{deadline_label}）に向けた進捗率",
        figure=fig,
        columns=["団体", "進捗率（%）"],
        rows=[[name, value] for name, value in progress],
        caption="進捗率 = 完了した（ステップ × 業務）の割合。一部完了は半分として数えます。破線は法施行から移行期限までの経過時間の割合。",
        height=max(360, 24 * len(names) + 100),
    )
