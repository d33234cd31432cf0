"""The materials' wording for completed steps: `18業務について現行システムの概要調査(一部)`."""

import re

from django.core.exceptions import ValidationError

from council.text import quoted

LINE_RE = re.compile(
    r"^(?:(?P<all>全)|(?P<n>[0-9]{1,4}))業務について(?P<step>.+?)(?P<partial>[(（]一部[)）])?$"
)


def format_line(count: int, step_name: str, partial: bool, total: int) -> str:
    """`全業務について…` when all operations, `N業務について…` otherwise; `(一部)` when partly done."""
    who = "全業務" if count == total else f"{count}業務"
    return f"{who}について{step_name}{'(一部)' if partial else ''}"


def parse_line(text: str, total: int) -> tuple[int, str, bool]:
    match = LINE_RE.match(text.strip())
    if not match:
        raise ValidationError(f"「{quoted(text)}」は「18業務について〇〇(一部)」の形ではありません。")
    count = total if match["all"] else int(match["n"])
    return count, match["step"], bool(match["partial"])
