"""The presenter's slides and the print view's pages: a meeting cut into pieces that each fit one screen
(1920×1080, 会議モード) or one A4 landscape page (the print view) without scrolling or clipping.

A material becomes its own slides in its dashboard's order: its text (the description, a message when
it has no data), then one slide per figure (the figure takes the room left on its slide; the
dashboard's headline cards head the first, or have a slide of their own before a heat map), then its
table cut by rows into pages that fit (「資料1 情報システムの標準化・共通化（4/7）」). Tables are cut
on the server: the rule below estimates each row's height from its lines (explicit line breaks, and wrapping where the columns'
text is wider than the slide) and the medium's geometry; tests/meetings/test_slides.py pins the rule
and tests/meetings/test_browser.py checks every slide in Chromium.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from council.framework.charts import presenter_figure
from council.meetings import narrative
from council.meetings import services as meetings


@dataclass(frozen=True)
class Medium:
    """The room on one slide or page, in CSS pixels, and the table's type there (present.css)."""

    name: str
    width: int  # the content's width
    height: int  # the content's height below the slide's heading (kicker, title, as-of line)
    font: float  # the table's font size
    line_height: float  # the table's line height (unitless, times the font size)
    cell_padding: float  # a cell's vertical padding plus its border (top and bottom together)
    cell_inset: float  # a cell's horizontal padding plus its border (left and right together)
    note_line: float  # one line of the 「前回の会議からの変化」 box
    text_font: (
        float  # a material's text (.slide-lead): its font size; line height 1.6, 1 em between paragraphs
    )

    @property
    def line(self) -> float:
        return self.font * self.line_height

    def row_height(self, lines: int) -> float:
        return lines * self.line + self.cell_padding


# 会議モード: 1920×1080, the bar above the slide 52 px, the slide's padding and heading about 200 px;
# the table's text 20 px (line height 1.35) — readable from the back of a meeting room.
SCREEN = Medium(
    name="screen",
    width=1920 - 2 * 32,
    height=1080 - 52 - 200 - 24,
    font=20,
    line_height=1.35,
    cell_padding=2 * 4 + 1,
    cell_inset=2 * 10 + 1,
    note_line=30,
    text_font=24,
)
# the print view: A4 landscape with 10 mm margins is 277 × 190 mm = 1047 × 718 px; the running head
# and the heading take about 150 px; the table's text 9 pt = 12 px.
PRINT = Medium(
    name="print",
    width=1047,
    height=718 - 150 - 16,
    font=12,
    line_height=1.35,
    cell_padding=2 * 3 + 1,
    cell_inset=2 * 6 + 1,
    note_line=20,
    text_font=14,
)


def text_width(text: str) -> float:
    """The width of a line in em: full-width characters (漢字, かな, 全角) one em, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def column_widths(headers: Sequence[Any], rows: Sequence[Sequence[Any]], medium: Medium) -> list[float]:
    """Each column's width in em as a browser's automatic table layout roughly gives it: the widest
    line of each column, shrunk in proportion when together they are wider than the slide."""
    count = max([len(headers), *(len(r) for r in rows)], default=0)
    widest = [1.0] * count
    for row in [headers, *rows]:
        for i, value in enumerate(row):
            for line in str("" if value is None else value).split("\n"):
                widest[i] = max(widest[i], text_width(line))
    room = (medium.width - count * medium.cell_inset) / medium.font
    total = sum(widest)
    if total <= room:
        return widest
    return [w * room / total for w in widest]


def row_lines(row: Sequence[Any], widths: Sequence[float]) -> int:
    """How many lines the row's tallest cell takes: its line breaks, and each line's wrapping."""
    tallest = 1
    for value, width in zip(row, widths, strict=False):
        lines = str("" if value is None else value).split("\n")
        tallest = max(
            tallest, sum(max(1, math.ceil(text_width(line) / max(width, 1.0) - 0.01)) for line in lines)
        )
    return tallest


@dataclass
class TablePage:
    """One slide's part of a table: the header row repeated, some body rows, perhaps footer rows."""

    preface: list[str]
    headers: list[Any]
    rows: list[list[Any]]
    footer: list[list[Any]] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)  # the workbook's number formats (8 → 8手続)
    footer_columns: list[dict] | None = None

    def get(self, key: str, default=None):
        """Read like the material's table (a dict) by the template filters that show its cells."""
        return getattr(self, key, default)


def table_pages(table: dict, medium: Medium, *, first_page_used: float = 0.0) -> list[TablePage]:
    """Cut a material's table (`preface`, `headers`, `rows`, `footer`) into pages that fit the medium.

    The header row is repeated on every page; the preface (the table's caption) is on the first.
    `first_page_used` is the height already taken on the first page (the 「前回の会議からの変化」 box).
    The rows are spread evenly over the fewest pages that hold them, so the last page is not a stub.
    """
    headers = list(table.get("headers") or [])
    body = [list(r) for r in table.get("rows") or []]
    footer = [list(r) for r in table.get("footer") or [] if r]  # empty footer rows are not drawn
    preface = list(table.get("preface") or [])
    widths = column_widths(headers, body + footer, medium)
    header_height = medium.row_height(row_lines(headers, widths)) if headers else 0.0
    heights = [medium.row_height(row_lines(r, widths)) for r in body + footer]
    first_extra = first_page_used + len(preface) * medium.line
    if not heights:
        return [
            TablePage(preface, headers, [], [], list(table.get("columns") or []), table.get("footer_columns"))
        ]
    room = medium.height - header_height
    groups = _fill(heights, room, first_extra)  # the fewest pages: each filled as far as it goes
    if len(groups) > 1:  # the same number of pages, the rows spread evenly over them
        even = _fill(heights, room, first_extra, pages=len(groups))
        groups = even if len(even) == len(groups) else groups
    pages = []
    for number, (start, end) in enumerate(groups):
        rows = [*body, *footer][start:end]
        cut = max(0, min(end, len(body)) - start)
        pages.append(
            TablePage(
                preface if number == 0 else [],
                headers,
                rows[:cut],
                rows[cut:],
                columns=list(table.get("columns") or []),
                footer_columns=table.get("footer_columns"),
            ),
        )
    return pages


def _fill(
    heights: Sequence[float], room: float, first_extra: float, pages: int | None = None
) -> list[tuple[int, int]]:
    """Cut rows of these heights into consecutive groups (start, end), each ending before the row
    that would not fit in `room` (the first group has `first_extra` less). With `pages`, a group
    also ends where the rows' running height passes its even share of the total. A row taller than
    the room gets a group of its own."""
    total = sum(heights)
    groups: list[tuple[int, int]] = []
    start, used, running = 0, first_extra, 0.0
    for i, height in enumerate(heights):
        share_passed = pages is not None and running + height / 2 > total * (len(groups) + 1) / pages
        if i > start and (used + height > room or share_passed):
            groups.append((start, i))
            start, used = i, 0.0
        used += height
        running += height
    groups.append((start, len(heights)))
    return groups


def text_pages(text: str, medium: Medium, *, first_page_used: float = 0.0) -> list[list[str]]:
    """A material's text cut into slides of whole paragraphs (one a line of the text), each slide
    holding what fits: a paragraph takes its wrapped lines at the text's size and 1 em after it."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if not paragraphs:
        return []
    per_line = medium.width / medium.text_font  # ems on one line
    heights = [
        math.ceil(text_width(p) / per_line) * medium.text_font * 1.6 + medium.text_font for p in paragraphs
    ]
    return [paragraphs[start:end] for start, end in _fill(heights, medium.height, first_page_used)]


def unit_height(unit, medium: Medium) -> float:
    """A narrative piece's height (council.meetings.narrative.slide_units) at the text's size: wrapped
    lines at line height 1.6; a heading a little larger with room above; a table row as a table's."""
    per_line = medium.width / medium.text_font

    def lines(text: str, indent: float = 0.0) -> int:
        return max(1, math.ceil(text_width(text) / max(per_line - indent, 1.0)))

    line = medium.text_font * 1.6
    if unit.kind == "heading":
        return lines(unit.lines[0]) * line * 1.2 + medium.text_font
    if unit.kind == "bullets":
        return sum(lines(text, 1.5 * (depth + 1)) * line for depth, text in unit.lines) + 0.25 * line
    if unit.kind == "table":
        head, row = unit.lines
        widths = column_widths(head, [row], medium)
        return medium.row_height(row_lines(row, widths)) + (medium.row_height(row_lines(head, widths)) / 4)
    return lines(unit.lines[0]) * line + 0.5 * medium.text_font


def narrative_pages(text: str, medium: Medium, *, first_page_used: float = 0.0) -> list[str]:
    """A material's narrative (staff's text, safe Markdown) cut into slides that fit, each the HTML of
    its pieces; a table cut between rows repeats its header."""
    units = narrative.slide_units(text)
    if not units:
        return []
    heights = [unit_height(unit, medium) for unit in units]
    return [
        narrative.render_blocks(narrative.join_units(units[start:end]))
        for start, end in _fill(heights, medium.height, first_page_used)
    ]


def _change_box_height(changes: list, medium: Medium) -> float:
    shown = min(len(changes), 8) + (1 if len(changes) > 8 else 0)
    return (2 + shown) * medium.note_line if changes else 2 * medium.note_line


def material_slides(material, medium: Medium, *, presenter: bool) -> list[dict]:
    """The slides of one material: text, the headline cards with the figures, table pages; numbered
    1/n … n/n."""
    content = material.frozen_content if material.is_frozen else meetings.material_content(material)
    previous = meetings.previous_material(material)
    changes = meetings.table_changes(previous.frozen_content, content) if previous else []
    table = meetings.first_table(content)
    charts = meetings.frozen_charts(content, prefix=f"m{material.number}-")
    for chart in charts:
        chart.figure = presenter_figure(chart.figure, presenter=presenter)
    common = {
        "material": material,
        "content": content,
        "previous": previous,
        "changes": changes,
        "changed_rows": {c.row for c in changes},
    }
    parts: list[dict] = []
    unavailable = (content or {}).get("unavailable")
    note = _change_box_height(changes, medium) if previous else 0.0
    texts = text_pages(
        material.description, medium, first_page_used=note + (medium.line if unavailable else 0)
    )
    if unavailable or not (table or charts or texts or material.narrative):
        texts = texts or [[]]
    for number, paragraphs in enumerate(texts):
        parts.append(
            {
                "kind": "text",
                "paragraphs": paragraphs,
                "unavailable": unavailable if number == 0 else "",
                "narrative": "",
            }
        )
    for html in narrative_pages(material.narrative, medium, first_page_used=0.0 if parts else note):
        parts.append({"kind": "text", "paragraphs": [], "unavailable": "", "narrative": html})
    # the dashboard's order (#18): headline cards, then the figures, then the table. The cards head
    # the first figure's slide, unless that figure is a heat map (a wide figure, a row per
    # organisation), which needs the whole room for its rows' names: then they have a slide of their own
    cards = meetings.frozen_cards(content)
    cards_alone = bool(cards) and (not charts or charts[0].wide)
    if cards_alone:
        parts.append({"kind": "cards", "cards": cards})
    for number, chart in enumerate(charts):
        parts.append(
            {"kind": "chart", "chart": chart, "cards": cards if number == 0 and not cards_alone else []}
        )
    if table:
        used = note if not parts else 0.0
        for page in table_pages(table, medium, first_page_used=used):
            parts.append({"kind": "table", "table": page})
    for number, part in enumerate(parts, start=1):
        part.update(common, part_number=number, part_count=len(parts), first=number == 1)
    return parts


def meeting_slides(agenda, medium: Medium, *, presenter: bool) -> list[dict]:
    """A title slide with the agenda, then each agenda item: its materials' slides, or on the screen
    a slide of its own (議長あいさつ); on paper such an item is only a line of the agenda, not a page
    holding one heading."""
    slides: list[dict] = [{"kind": "title"}]
    for item in agenda:
        materials = list(item.materials.all())
        for sub in item.subitems:
            materials += list(sub.materials.all())
        if not materials and presenter:
            slides.append({"kind": "item", "item": item})
        for material in materials:
            for part in material_slides(material, medium, presenter=presenter):
                slides.append({**part, "kind": "material", "part": part["kind"], "item": item})
    return slides
