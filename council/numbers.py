"""Numbers as people type them into a spreadsheet or a form: `1,234`, `１２３４`, `８手続`, `77.4%`.

`parse_integer` and `parse_decimal` accept half- and full-width digits, a sign, thousands
separators in their places, and a trailing unit or percent sign; anything else raises
`ValueError` with a message in Japanese for the person who typed it (the caller adds the row and
the column). Only ASCII digits are digits here: `①`, `²` or Arabic-Indic digits are refused rather
than guessed at, and a number has at most `MAX_DIGITS` digits before and after its point, so no input reaches `int()` or
`Decimal` arithmetic with thousands of digits.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from council.text import quoted

MAX_DIGITS = 15  # more than any count or rate the portal keeps; int() of 5,000 digits raises

# what a Japanese keyboard types in full width, to half width (U+2212 and U+FF0D are both minus)
WIDTH = str.maketrans("０１２３４５６７８９，．－−＋％　", "0123456789,.--+% ")
# the counters the materials write after a number (8手続, 5業務, 3,000件, 2名, 1位)
UNITS = ("手続", "業務", "団体", "件", "人", "名", "枚", "位", "時間", "回", "本", "個", "円")

NUMBER_RE = re.compile(
    r"^(?P<sign>[+-]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?$", re.ASCII
)


class NotANumber(ValueError):
    """The text is no number at all (rather than one out of bounds)."""


def _normalise(text: str, *, percent: bool) -> str:
    text = str(text).translate(WIDTH).strip()
    if percent and text.endswith("%"):
        return text[:-1].rstrip()
    for unit in UNITS:
        if text.endswith(unit):
            return text[: -len(unit)].rstrip()
    return text


def _match(text: str, original) -> re.Match:
    match = NUMBER_RE.match(text)
    if match is None:
        raise NotANumber(f"数値で入力してください（「{quoted(original)}」は数値ではありません）。")
    if len(match["int"].replace(",", "")) > MAX_DIGITS or len(match["frac"] or "") > MAX_DIGITS:
        raise ValueError(f"数値の桁数が多すぎます（{MAX_DIGITS}桁まで）。")
    return match


def parse_integer(text: str) -> int:
    """`1,234` → 1234; `８手続` → 8; `-3` → -3; `1.5`, `--1`, `①` raise `ValueError`."""
    match = _match(_normalise(text, percent=False), text)
    if match["frac"] is not None and match["frac"].strip("0"):
        raise ValueError(f"整数で入力してください（「{quoted(text)}」）。")
    value = int(match["int"].replace(",", ""))
    return -value if match["sign"] == "-" else value


def parse_decimal(text: str, *, places: int | None = None, percent: bool = False) -> Decimal:
    """`77.4` or `77.4%` (with `percent`) → Decimal('77.4'), rounded to `places` when given."""
    match = _match(_normalise(text, percent=percent), text)
    number = f"{match['sign']}{match['int'].replace(',', '')}.{match['frac'] or '0'}"
    value = Decimal(number)
    if places is not None:
        try:
            value = value.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:  # cannot happen within MAX_DIGITS; kept as a message, not a 500
            raise ValueError(f"数値の桁数が多すぎます（{MAX_DIGITS}桁まで）。") from None
    return value
