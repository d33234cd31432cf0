"""How a cell reads: the text Excel shows for a number in the display formats the exports use, and
how wide and how many lines a text takes (full-width characters count two). The writer sizes
columns and rows with it; the meeting pages show a material's cells with it."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

PADDING = 2  # a column's width beyond its text (half-width characters)

NUMBER_TYPES = (int, float, Decimal)
_FORMAT_TOKEN = re.compile(r'"([^"]*)"|([#0,.]+)|\\(.)|(.)')


def format_number(value: Any, number_format: str | None) -> Any:
    """The text Excel shows for `value` under the formats the exports use (literals in quotes
    around `0`, `0.0`, `#,##0`): 8, `0"手続"` → 「8手続」. Anything else comes back unchanged. The
    meeting pages show a material's cells with it, so the web and the workbook read the same."""
    if (
        number_format in (None, "", "General", "@")
        or isinstance(value, bool)
        or not isinstance(value, NUMBER_TYPES)
    ):
        return value
    out = []
    for literal, digits, escaped, other in _FORMAT_TOKEN.findall(number_format.split(";")[0]):
        if digits:
            decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
            out.append(f"{value:,.{decimals}f}" if "," in digits else f"{value:.{decimals}f}")
        else:
            out.append(literal or escaped or other)
    return "".join(out)


def text_width(text: str) -> int:
    """Display width: full-width (and ambiguous) characters count two, others one."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "FWA" else 1 for ch in text)


def _shown(value: Any, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return "0000-00-00 00:00"
    if isinstance(value, date):
        return "0000-00-00"
    return str(format_number(value, number_format))


@functools.lru_cache(maxsize=4096)  # the same names and labels come back row after row
def line_count(text: str, width: float) -> int:
    """Lines a wrapped cell of `width` needs for `text` (its own line breaks included)."""
    usable = max(width - PADDING, 1)
    if "\n" not in text and len(text) * 2 <= usable:
        return 1  # the common case, without measuring
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))
