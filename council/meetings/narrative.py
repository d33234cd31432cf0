"""A material's narrative: a small, safe subset of Markdown.

What renders: headings (`#`, `##`, `###`), bullets (`- ` or `* `, nested by two spaces), simple
tables (lines starting with `|`; the first row is the header, a `|---|` line is skipped), `**bold**`
and paragraphs (lines joined with a line break). Everything else is text: every character is escaped
before any markup is produced, so `<script>`, raw HTML and links are shown as typed. There is no
link syntax at all (nothing a reader could be sent elsewhere by).

The same parse feeds the workbook (`narrative_rows`): one row per line, table rows split into cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
BULLET = re.compile(r"^(\s*)[-*・]\s+(.*)$")
TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
BOLD = re.compile(r"\*\*(.+?)\*\*")
#: `#` → h3 (the page's h1 is the material, its h2 the sections around the text)
HEADING_BASE = 2


@dataclass
class Block:
    kind: str  # heading, bullets, table, paragraph
    level: int = 0
    lines: list = field(default_factory=list)  # text lines; for bullets (depth, text); for tables rows


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        heading = HEADING.match(line.strip())
        if heading:
            blocks.append(Block("heading", level=len(heading.group(1)), lines=[heading.group(2).strip()]))
            current = None
            continue
        if line.lstrip().startswith("|"):
            if TABLE_RULE.match(line.strip()):
                continue
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if current is None or current.kind != "table":
                current = Block("table")
                blocks.append(current)
            current.lines.append(cells)
            continue
        bullet = BULLET.match(line)
        if bullet:
            depth = len(bullet.group(1).replace("\t", "  ")) // 2
            if current is None or current.kind != "bullets":
                current = Block("bullets")
                blocks.append(current)
            current.lines.append((depth, bullet.group(2).strip()))
            continue
        if current is None or current.kind != "paragraph":
            current = Block("paragraph")
            blocks.append(current)
        current.lines.append(line.strip())
    return blocks


def _inline(text: str) -> str:
    """Escape first, then the one inline form (bold) on the escaped text."""
    return BOLD.sub(r"<strong>\1</strong>", escape(text))


def _bullets(items: list[tuple[int, str]]) -> str:
    html, depth = [], -1
    for level, text in items:
        level = min(level, depth + 1)  # a list never skips a level
        if level > depth:
            html.append("<ul>")
        else:
            html.append("</li>")
            while depth > level:
                html.append("</ul></li>")
                depth -= 1
        html.append(f"<li>{_inline(text)}")
        depth = level
    while depth >= 0:
        html.append("</li></ul>")
        depth -= 1
    return "".join(html)


def _table(rows: list[list[str]]) -> str:
    head, *body = rows
    html = ['<div class="table-scroll"><table class="material-table narrative-table"><thead><tr>']
    html += [f'<th scope="col">{_inline(cell)}</th>' for cell in head]
    html.append("</tr></thead><tbody>")
    for row in body:
        html.append("<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>")
    html.append("</tbody></table></div>")
    return "".join(html)


def render_narrative(text: str) -> SafeString:
    return render_blocks(parse(text))


def render_blocks(blocks: list[Block]) -> SafeString:
    parts = []
    for block in blocks:
        if block.kind == "heading":
            level = min(6, HEADING_BASE + block.level)
            parts.append(f"<h{level}>{_inline(block.lines[0])}</h{level}>")
        elif block.kind == "bullets":
            parts.append(_bullets(block.lines))
        elif block.kind == "table":
            parts.append(_table(block.lines))
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in block.lines) + "</p>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every text was escaped by _inline


def narrative_rows(text: str) -> list[list[str]]:
    """The narrative as spreadsheet rows: headings and paragraph lines as they read, bullets with
    「・」 (indented by depth), table rows cell by cell; a blank row between blocks."""
    rows: list[list[str]] = []
    for block in parse(text):
        if rows:
            rows.append([])
        if block.kind == "heading":
            rows.append([BOLD.sub(r"\1", block.lines[0])])
        elif block.kind == "bullets":
            rows += [["　" * depth + "・" + BOLD.sub(r"\1", line)] for depth, line in block.lines]
        elif block.kind == "table":
            rows += [[BOLD.sub(r"\1", cell) for cell in row] for row in block.lines]
        else:
            rows += [[BOLD.sub(r"\1", line)] for line in block.lines]
    return rows


def slide_units(text: str) -> list[Block]:
    """The narrative cut into the pieces a slide may end after: a heading, a paragraph's line, a
    top-level bullet with its sub-bullets, one table row (carrying its header). `join_units` puts the
    pieces of one page back together (a table's rows under one header)."""
    units: list[Block] = []
    for block in parse(text):
        if block.kind == "paragraph":
            units += [Block("paragraph", lines=[line]) for line in block.lines]
        elif block.kind == "bullets":
            for depth, line in block.lines:
                if depth == 0 or not units or units[-1].kind != "bullets":
                    units.append(Block("bullets"))
                units[-1].lines.append((depth, line))
        elif block.kind == "table":
            head, *body = block.lines
            units += [Block("table", level=id(block), lines=[head, row]) for row in body or [[]]]
        else:
            units.append(block)
    return units


def join_units(units: list[Block]) -> list[Block]:
    blocks: list[Block] = []
    for unit in units:
        last = blocks[-1] if blocks else None
        if last and unit.kind == "table" and last.kind == "table" and last.level == unit.level:
            last.lines.append(unit.lines[1])
        elif last and unit.kind == last.kind == "bullets":
            last.lines += unit.lines
        else:
            blocks.append(Block(unit.kind, unit.level, list(unit.lines)))
    return blocks
