"""The charts' colours come from the design system and stay apart for colour-vision deficiencies
(#18 outcome 1): every colour is a design token's value; the colours drawn together differ by
CIEDE2000 ≥ 20 for normal vision and under simulated protanopia, deuteranopia and tritanopia
(Machado et al. 2009, severity 1.0); each series stands 3:1 against the white plot (WCAG 1.4.11);
the heat maps' scale is one family, light to dark, its steps apart in the same way."""

import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings

from council.framework import colour, palette
from council.framework.charts import layout

THRESHOLD = 20.0
TOKENS_CSS = Path(settings.BASE_DIR) / "static/vendor/design-tokens/tokens.css"


def token_values() -> dict[str, str]:
    found = re.findall(
        r"--color-(?:primitive|neutral)-([a-z0-9-]+): (#[0-9a-fA-F]{6});", TOKENS_CSS.read_text()
    )
    return {name: value.lower() for name, value in found}


def test_the_colour_arithmetic_matches_published_values():
    # Sharma, Wu & Dalal (2005), test pairs 1 and 17; a protanope sees pure red as a dark olive
    assert colour.ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert colour.ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert colour.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    red = colour.simulate(colour.linear_rgb("#ff0000"), "protanopia")
    assert red[0] == pytest.approx(0.152286) and red[1] == pytest.approx(0.114503)


def test_every_chart_colour_is_a_design_token():
    tokens = token_values()
    for name, value in palette.TOKENS.items():
        assert tokens[name] == value, name
    for name, value in zip(palette.CATEGORICAL_TOKENS, palette.PALETTE, strict=True):
        assert tokens[name] == value
    assert layout()["colorway"] == palette.PALETTE


@pytest.mark.parametrize("vision", colour.VISIONS)
def test_series_drawn_together_stay_apart(vision):
    for a, b in itertools.combinations(palette.PALETTE, 2):
        assert colour.difference(a, b, vision) >= THRESHOLD, (a, b, vision)
    states = list(palette.STATUS_COLOURS.values())  # 資料7: done, planned and none stacked
    for a, b in itertools.combinations(states, 2):
        assert colour.difference(a, b, vision) >= THRESHOLD, (a, b, vision)


def test_the_palette_is_the_best_the_tokens_allow():
    """No larger set of tokens reaches the threshold (the search in scripts/chart_palette.py)."""
    import sys

    sys.path.insert(0, str(Path(settings.BASE_DIR) / "scripts"))
    import chart_palette

    colours = chart_palette.primitives()
    candidates = [n for n, h in colours.items() if colour.contrast(h, "#ffffff") >= 3]
    adjacent: dict[str, set[str]] = {c: set() for c in candidates}
    for a, b in itertools.combinations(candidates, 2):
        if chart_palette.worst(colours[a], colours[b])[0] >= THRESHOLD:
            adjacent[a].add(b)
            adjacent[b].add(a)
    largest = chart_palette.max_cliques(candidates, adjacent)
    assert len(largest[0]) == len(palette.PALETTE)
    assert set(palette.CATEGORICAL_TOKENS) in largest


def test_series_stand_out_against_the_white_plot():
    assert layout()["plot_bgcolor"] == palette.BACKGROUND == token_values()["white"]
    for value in [*palette.PALETTE, *palette.STATUS_COLOURS.values()]:
        assert colour.contrast(value, "#ffffff") >= 3, value


@pytest.mark.parametrize("vision", colour.VISIONS)
def test_the_heat_map_scale_runs_light_to_dark_in_one_family(vision):
    families = {name.rsplit("-", 1)[0] for name in palette.SEQUENTIAL_TOKENS}
    assert len(families) == 1
    lightness = [colour.lightness(c, vision) for c in palette.SEQUENTIAL]
    assert all(a - b >= THRESHOLD for a, b in itertools.pairwise(lightness)), lightness
    for a, b in itertools.pairwise(palette.SEQUENTIAL):
        assert colour.difference(a, b, vision) >= THRESHOLD
    assert colour.contrast(palette.SEQUENTIAL[-1], "#ffffff") >= 3


def test_charts_draw_only_palette_colours():
    """No chart module names a colour of its own: every hex colour in the apps' chart code is gone."""
    root = Path(settings.BASE_DIR)
    for path in [
        *root.glob("*/charts.py"),
        *root.glob("council/*/charts.py"),
        root / "council/framework/national.py",
    ]:
        text = path.read_text()
        assert not re.search(r"#[0-9A-Fa-f]{6}\b", text), path
