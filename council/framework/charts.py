"""The one chart helper: a chart is a Plotly figure built in Python plus the same data as a table.

Views hand `Chart`s to templates; `{% chart c %}` writes the figure as JSON with `json_script` and the
table beside it; `static/council/charts.js` draws every figure on the page. No inline script, no CDN.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif'
# Okabe–Ito: distinguishable with colour-vision deficiencies, and dark enough for text contrast.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
STATUS_COLOURS = {"done": "#0072B2", "partial": "#56B4E9", "planned": "#E69F00", "none": "#BBBBBB"}


@dataclass
class Chart:
    key: str
    title: str
    figure: go.Figure
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    caption: str = ""
    height: int = 360
    wide: bool = False  # spans the whole row of the chart grid
    table_open: bool = True  # the data table starts expanded (wide tables start folded)

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    def figure_data(self) -> dict:
        """The figure as plain JSON-able data (plotly's encoder handles numpy and dates)."""
        return json.loads(pio.to_json(self.figure, validate=False, remove_uids=True))


def layout(**overrides) -> dict:
    """The portal's chart layout: Japanese fonts, the palette, room for long municipality names."""
    base = {
        "font": {"family": FONT_FAMILY, "size": 14, "color": "#1a1a1a"},
        "colorway": PALETTE,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.2, "traceorder": "normal"},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    base.update(overrides)
    return base
