"""The one Excel writer: write-only openpyxl workbooks, streamed from a temporary file.

Every exporter describes its sheets as `Sheet`s; this module writes them. Text that a spreadsheet
could read as a formula (= + - @, tab, CR at the start) is escaped with a leading apostrophe and
stored as text, so an exported name can never run as a formula (CSV/formula injection).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(name="Yu Gothic", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name="Yu Gothic", bold=True, size=13)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unescape_cell(value: Any) -> Any:
    """Inverse of `escape_cell`, for imports of files this portal exported."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value[1:2]
        and value[1:].startswith(FORMULA_TRIGGERS)
    ):
        return value[1:]
    return value


@dataclass
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    preface: Sequence[str] = ()  # lines above the header row: a title, an as-of note
    footer: Sequence[Sequence[Any]] = ()  # rows below the table: totals, notes
    widths: Sequence[int] = field(default_factory=tuple)


PLAIN_TYPES = frozenset({int, float, bool, date, type(None)})


def _values(ws, row: Sequence[Any]) -> list:
    """A data row: plain values go straight to openpyxl (its fast path, which already gives a date
    the yyyy-mm-dd format); only text that needs escaping, and other types (aware datetimes), get
    a cell object. Inlined rather than a call per value: this loop is most of an export's own time."""
    values = list(row)
    for index, value in enumerate(values):
        kind = type(value)
        if kind is str:
            if value.startswith(FORMULA_TRIGGERS):
                values[index] = _cell(ws, value)
        elif kind not in PLAIN_TYPES:
            values[index] = _cell(ws, value)
    return values


def _cell(ws, value: Any, font=None, fill=None) -> WriteOnlyCell:
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    escaped = escape_cell(value)
    cell = WriteOnlyCell(ws, value=escaped)
    if isinstance(escaped, str):
        cell.data_type = "s"  # never a formula, whatever the text
    if isinstance(value, date) and not isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd"
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def write_workbook(sheets: Iterable[Sheet], target) -> None:
    """Write `sheets` to `target` (a path or a binary file object) in write-only mode."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31])
        widths = sheet.widths or [max(12, len(h) * 2 + 2) for h in sheet.headers]
        for index, width in enumerate(widths):
            ws.column_dimensions[_column_letter(index)].width = width
        # the header row stays in view: freeze the rows above the first data row (the preface, the
        # blank line after it, the header)
        ws.freeze_panes = f"A{len(sheet.preface) + 3 if sheet.preface else 2}"
        for line in sheet.preface:
            ws.append([_cell(ws, line, font=TITLE_FONT)])
        if sheet.preface:
            ws.append([])
        ws.append([_cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL) for h in sheet.headers])
        for row in sheet.rows:
            ws.append(_values(ws, row))
        for row in sheet.footer:
            ws.append(_values(ws, row))
    wb.save(target)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_response(sheets: Iterable[Sheet], filename: str) -> FileResponse:
    """Write the book to a temporary file (never all in memory) and stream it."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_workbook(sheets, tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
