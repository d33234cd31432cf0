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

# the colours: design tokens that stay apart for colour-vision deficiencies (council.framework.palette)
from council.framework.palette import BACKGROUND, PALETTE, SEQUENTIAL, STATUS_COLOURS, TEXT

__all__ = ["PALETTE", "SEQUENTIAL", "STATUS_COLOURS", "Chart", "layout"]

FONT_FAMILY = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif'


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
        "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT},
        "colorway": PALETTE,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "legend": {"orientation": "h", "y": -0.2, "traceorder": "normal"},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    base.update(overrides)
    return base


def count_step(maximum: float, ticks: int = 8) -> int:
    """A whole tick step for an axis of counts from 0 to `maximum`: 1, 2, 5, 10, 20, 50 … so that at
    most `ticks` steps are drawn (plotly's own choice puts 0.5 between 0 and 1 on a short axis)."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if maximum <= ticks * multiple * magnitude:
                return multiple * magnitude
        magnitude *= 10


def count_axis(maximum: float, **overrides) -> dict:
    """Axis settings for counts (手続, 団体, 件, 名): whole-number ticks only, starting at 0."""
    return {"tick0": 0, "dtick": count_step(maximum), "tickformat": ",d", "rangemode": "tozero", **overrides}


#: the smallest text in a chart on the shared screen of a meeting (会議モード)
PRESENTER_FONT_SIZE = 18


def presenter_figure(figure: dict, *, presenter: bool) -> dict:
    """A copy of a stored figure laid out for a meeting's shared screen or its printed pages.

    On the screen (`presenter`) every text is at least PRESENTER_FONT_SIZE px; on either medium the
    axes make room for their labels (`automargin`) and the figure takes its container's size, so a
    figure frozen for a dashboard fits the slide or page it is drawn on.
    """
    figure = json.loads(json.dumps(figure))
    layout_ = figure.setdefault("layout", {})
    layout_.pop("height", None)
    layout_.pop("width", None)
    layout_["autosize"] = True
    axes = {"xaxis", "yaxis", *(key for key in layout_ if key.startswith(("xaxis", "yaxis")))}
    for key in axes:
        layout_.setdefault(key, {})["automargin"] = True
    if not presenter:
        return figure
    size = PRESENTER_FONT_SIZE
    font = layout_.setdefault("font", {})
    font["size"] = max(font.get("size", 12), size)
    for key, value in list(layout_.items()):
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            value.setdefault("tickfont", {})["size"] = max(value.get("tickfont", {}).get("size", size), size)
            title = value.get("title")
            if isinstance(title, dict):
                title.setdefault("font", {})["size"] = max(title.get("font", {}).get("size", size), size)
    legend = layout_.setdefault("legend", {})
    legend.setdefault("font", {})["size"] = max(legend.get("font", {}).get("size", size), size)
    layout_.setdefault("hoverlabel", {}).setdefault("font", {})["size"] = size
    for annotation in layout_.get("annotations", []) or []:
        annotation.setdefault("font", {})["size"] = max(annotation.get("font", {}).get("size", size), size)
    for trace in figure.get("data", []):
        if any(k in trace for k in ("text", "texttemplate")):
            trace.setdefault("textfont", {})["size"] = max(trace.get("textfont", {}).get("size", size), size)
    return figure
