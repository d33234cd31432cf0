"""The charts' colours: design tokens (static/vendor/design-tokens, @digital-go-jp/design-tokens),
chosen to stay apart for colour-vision deficiencies. The one place a chart takes a colour from.

Chosen by `scripts/chart_palette.py` (run it to repeat the search): of the tokens' primitive colours
with at least 3:1 contrast against the white plot background (WCAG 1.4.11), no six are pairwise
CIEDE2000 ≥ 20 apart under normal vision and the Machado et al. (2009) simulations of protanopia,
deuteranopia and tritanopia (severity 1.0). Of the 1,871 sets of five that are, the best reaches 23.1
but repeats a family (two yellows); among sets from five families the best reach 23.0, and of those
this one has no two near-black colours (blue, orange, a dark plum, a dark red, cyan). Measured
smallest ΔE00 within the palette:
normal 26.6, protanopia 26.7, deuteranopia 23.0, tritanopia 24.8 (tests/framework/test_chart_palette.py).
A chart with more series than colours (資料3's scenarios) repeats them with a hatch pattern and has its
data table beside it.
"""

from __future__ import annotations

#: token name (without `--color-primitive-` / `--color-neutral-`) → its value in tokens.css
TOKENS = {
    "blue-100": "#d9e6ff",
    "blue-500": "#4979f5",
    "blue-800": "#0031d8",
    "blue-900": "#0017c1",
    "orange-600": "#fb5b01",
    "magenta-1200": "#3b003b",
    "red-1100": "#850000",
    "cyan-600": "#00a3bf",
    "solid-gray-536": "#767676",
    "solid-gray-900": "#1a1a1a",
    "white": "#ffffff",
}

#: the plot's background and its text
BACKGROUND = TOKENS["white"]
TEXT = TOKENS["solid-gray-900"]

#: categorical series, in the order charts take them (index 4 is the lighter companion of index 0:
#: 資料2's and 資料5's earlier values beside the current ones)
CATEGORICAL_TOKENS = ("blue-800", "orange-600", "magenta-1200", "red-1100", "cyan-600")
PALETTE = [TOKENS[name] for name in CATEGORICAL_TOKENS]

#: heat maps, light → dark, one family (blue): none / part / all
SEQUENTIAL_TOKENS = ("blue-100", "blue-500", "blue-900")
SEQUENTIAL = [TOKENS[name] for name in SEQUENTIAL_TOKENS]

#: states drawn side by side as series (資料7's stacked bars): done and planned from the palette,
#: none in the neutral grey
STATUS_TOKENS = {"done": "blue-800", "planned": "orange-600", "none": "solid-gray-536"}
STATUS_COLOURS = {state: TOKENS[name] for state, name in STATUS_TOKENS.items()}

#: patterns for series beyond the palette's length (plotly's bar `marker.pattern.shape`)
PATTERNS = ("", "/", "x", ".", "-")


def series_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def series_pattern(index: int) -> str:
    """A hatch for the series that repeat a colour: none for the first round of colours."""
    return PATTERNS[(index // len(PALETTE)) % len(PATTERNS)]
