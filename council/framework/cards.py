"""Headline figures as cards (#18 outcome 3): what a dashboard leads with, and a meeting's material too.

Each agenda app's `dashboards.headline_cards(data)` turns the dashboard's data (what its
`dashboard_data` returns, with the view's `coverage`, `compare`, `compare_coverage` and `expected`)
into `Card`s; `templates/components/kpi_cards.html` draws them, on the dashboard and in 会議モード and
the print view (a material's content keeps them as `cards_data`), so the figures are the same.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.formats import localize


@dataclass(frozen=True)
class Card:
    """One headline figure: `key` names it (`data-kpi`), `value` as shown, `label` says what it is."""

    key: str
    value: str
    label: str


def card(key: str, value: Any, label: str) -> Card:
    """A card with its value written as the templates write numbers."""
    return Card(key, value if isinstance(value, str) else str(localize(value)), label)


def partial_note(data: dict, name: str = "coverage", *, joiner: str = "（", closer: str = "）") -> str:
    """「（承認済み 1/19団体）」 when the period's expected reports are not all approved, else ""."""
    coverage = data.get(name)
    return f"{joiner}{coverage.label}{closer}" if coverage is not None and coverage.partial else ""


def expected_count(data: dict) -> int:
    """The organisations the page expects reports from (the view passes the count lazily)."""
    expected = data.get("expected", 0)
    return expected() if callable(expected) else expected


def cards_data(cards: list[Card]) -> list[dict]:
    """Cards as JSON-able data (a frozen material keeps them)."""
    return [asdict(c) for c in cards]
