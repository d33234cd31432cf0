"""The materials' table notation, read back: ○, ○(2名), R5予定, blank."""

import re

from django.core.exceptions import ValidationError

from council.text import quoted

HEADCOUNT_RE = re.compile(r"^[○〇](?:[(（](?P<n>[0-9]{1,4})名[)）])?$")
PLANNED_RE = re.compile(r"^(?P<era>[RＲ])(?P<n>[0-9]{1,2})予定$")


def parse_headcount(mark: str) -> tuple[bool, int | None]:
    """'' → (False, None); '○' → (True, None); '○(2名)' → (True, 2)."""
    mark = (mark or "").strip()
    if not mark:
        return False, None
    match = HEADCOUNT_RE.match(mark)
    if not match:
        raise ValidationError(f"「{quoted(mark)}」は ○ または ○(N名) の形で書いてください。")
    return True, int(match["n"]) if match["n"] else None


def parse_policy(mark: str) -> tuple[str, int | None]:
    """'○' → established; 'R5予定' → planned in fiscal 2023; '' → none."""
    mark = (mark or "").strip()
    if not mark:
        return "none", None
    if mark in ("○", "〇"):
        return "established", None
    match = PLANNED_RE.match(mark)
    if match:
        return "planned", 2018 + int(match["n"])
    raise ValidationError(f"「{quoted(mark)}」は ○、R5予定 の形、または空欄で書いてください。")
