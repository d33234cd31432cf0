"""The portal's look comes from the Digital Agency's design tokens, vendored and served by the portal:
its style sheets name colours only through the tokens, every custom property they use exists, and
the vendored version is the one recorded."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

STATIC = Path(settings.BASE_DIR) / "static"
TOKENS = STATIC / "vendor" / "design-tokens"
SHEETS = ["council/portal.css", "council/admin.css"]
# loaded after portal.css on the pages that use them: the tokens are already there
LATER_SHEETS = ["council/present.css", "council/live_opinion.css", "council/material_text.css"]


def defined(css: str) -> set[str]:
    return set(re.findall(r"(--[\w-]+)\s*:", css))


def used(css: str) -> set[str]:
    return set(re.findall(r"var\((--[\w-]+)\)", css))


def test_tokens_are_vendored_with_their_version_and_licence():
    package = json.loads((TOKENS / "package.json").read_text())
    assert package["name"] == "@digital-go-jp/design-tokens"
    assert package["license"] == "MIT" and "MIT" in (TOKENS / "LICENSE").read_text()
    readme = (STATIC / "vendor" / "README.md").read_text()
    assert f"| {package['version']} |" in readme  # the version the README records is the one vendored
    assert finders.find("vendor/design-tokens/tokens.css")  # served by the portal, no CDN


@pytest.mark.parametrize("sheet", SHEETS + LATER_SHEETS)
def test_sheets_name_colours_only_through_the_tokens(sheet):
    css = (STATIC / sheet).read_text()
    if sheet in SHEETS:
        assert '@import url("../vendor/design-tokens/tokens.css")' in css
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", css) == []


@pytest.mark.parametrize("sheet", SHEETS + LATER_SHEETS)
def test_every_custom_property_used_exists(sheet):
    """A misspelt token would silently fall back to the browser's default colour."""
    css = (STATIC / sheet).read_text()
    django_admin = set()
    if sheet.endswith("admin.css"):
        base = finders.find("admin/css/base.css")
        django_admin = defined(Path(base).read_text())
    portal = defined((STATIC / "council/portal.css").read_text()) if sheet in LATER_SHEETS else set()
    tokens = defined((TOKENS / "tokens.css").read_text())
    assert used(css) - defined(css) - tokens - django_admin - portal == set()
