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


# Attributes whose strings plotly.js reads as templates (`%{y}<br>%{x}<extra></extra>`): written in
# code, never built from stored data (which reaches them through `%{…}`, escaped like any label).
TEMPLATE_KEYS = frozenset({"hovertemplate", "texttemplate", "hovertemplatefallback", "texttemplatefallback"})


def plotly_text(value: Any) -> Any:
    """The figure with every string escaped for plotly.js, except the templates.

    plotly.js draws a small HTML subset (`<a href>`, `<b>`, `<br>`, `<span style>` …) in trace names,
    tick labels, hover text and annotations, so a stored name such as `<a href=…>萩市</a>` would become a
    live link in the chart. Escaped as `&lt;a href=…&gt;`, plotly.js draws it as the text it is. The
    one place every figure passes on its way to the page (`{% chart %}`), live or frozen in a meeting.
    """
    if isinstance(value, str):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if isinstance(value, dict):
        return {k: v if k in TEMPLATE_KEYS else plotly_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plotly_text(v) for v in value]
    return value


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
