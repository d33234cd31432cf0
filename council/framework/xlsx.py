"""The one Excel writer: write-only openpyxl workbooks, streamed from a temporary file.

Every exporter describes its sheets as `Sheet`s; this module writes them, all with the same look:
a title (the preface), a styled header row that stays in view, thin borders around the table,
numbers stored as numbers with the display format of their `Column` (`0"手続"`, `0.0"%"`), text
wrapped with row heights that show every line, column widths fitted to the content (full-width
characters count double), and a print setup for A4 landscape, one page wide, the header row on
every page and 「シート名 ページ / ページ数」 in the footer. A sheet that gives no `columns` still
gets all of it.

Text that a spreadsheet could read as a formula (= + - @, tab, CR at the start) is escaped with a
leading apostrophe and stored as text, so an exported name can never run as a formula (CSV/formula
injection).
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

from council.framework.xlsx_text import PADDING, _shown, format_number, line_count, text_width

__all__ = [  # the writer's API; the text measures are re-exported for the exporters and tests
    "XLSX_CONTENT_TYPE",
    "Column",
    "Sheet",
    "columns_data",
    "columns_from",
    "escape_cell",
    "format_number",
    "line_count",
    "text_width",
    "unescape_cell",
    "write_workbook",
    "xlsx_response",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FONT_NAME = "Yu Gothic"
BODY_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=12)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CELL_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
NOTE_ALIGNMENT = Alignment(vertical="top", wrap_text=True)

# widths in Excel's unit (about one half-width character); a column never grows past MAX_WIDTH
# (longer text wraps) nor shrinks below MIN_WIDTH
MIN_WIDTH = 6
MAX_WIDTH = 60
DEFAULT_WIDTH = 8.43  # a column nobody sized
PAGE_WIDTH = 130  # what an A4 landscape page holds at 100 % with these margins
FIT_SAMPLE = 500  # rows read ahead to fit the widths: the rest streams
LINE_HEIGHT = 16.5  # points per line of 10 pt text (Yu Gothic in Excel, Noto Sans CJK in LibreOffice)
TITLE_LINE_HEIGHT = 20
ROW_PADDING = 3
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
A4 = 9  # openpyxl's paperSize code
FOOTER = "&A　&P / &N"  # the sheet's name, the page and the number of pages


@dataclass(frozen=True)
class Column:
    """How one column looks. `number_format` applies to its numbers (text shows as written), e.g.
    `0"手続"`, `0.0"%"`, `#,##0"千円"`; `width` in characters, fitted to the content when None."""

    number_format: str | None = None
    width: float | None = None


@dataclass
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    preface: Sequence[str] = ()  # lines above the header row: a title, an as-of note
    footer: Sequence[Sequence[Any]] = ()  # rows below the table: totals, notes
    widths: Sequence[int] = field(default_factory=tuple)  # explicit widths (older form of `columns`)
    columns: Sequence[Column] = ()  # per column: number format, width
    footer_columns: Sequence[Column] | None = None  # when the footer's columns differ (資料5)


def columns_data(columns: Sequence[Column] | None) -> list[dict] | None:
    """`Column`s as JSON (a frozen meeting material keeps them with its rows)."""
    return None if columns is None else [asdict(c) for c in columns]


def columns_from(data: Sequence[dict] | None) -> list[Column] | None:
    return None if data is None else [Column(**c) for c in data]


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


def _fit_widths(sheet: Sheet, sample: list, footer: list, ncols: int) -> list[float]:
    """Each column as wide as its widest header or cell among the first rows (capped: longer text
    wraps); explicit widths win. Footer rows of one cell (notes, totals) span the table instead."""
    given = [c.width for c in sheet.columns] + [None] * ncols
    legacy = list(sheet.widths) + [None] * ncols
    formats = _formats(sheet.columns, ncols)
    footer_formats = _formats(sheet.footer_columns, ncols) if sheet.footer_columns is not None else formats
    widest = [0] * ncols
    for index, header in enumerate(sheet.headers):
        widest[index] = max(text_width(line) for line in str(header).split("\n"))
    for rows, fmts in ((sample, formats), ([r for r in footer if _is_table_row(r)], footer_formats)):
        for row in rows:
            for index, value in enumerate(row):
                if value is None or value == "":
                    continue
                shown = _shown(value, fmts[index])
                width = max(text_width(line) for line in shown.split("\n"))
                if width > widest[index]:
                    widest[index] = width
    return [
        float(given[i] or legacy[i] or min(max(widest[i] + PADDING, MIN_WIDTH), MAX_WIDTH))
        for i in range(ncols)
    ]


def _formats(columns: Sequence[Column] | None, ncols: int) -> list[str | None]:
    return [c.number_format for c in columns or ()] + [None] * ncols


def _is_table_row(row: Sequence[Any]) -> bool:
    return sum(1 for v in row if v is not None and v != "") > 1


class _RowWriter:
    """Appends rows of one table: one cell object per column, reused row after row (write-only
    mode writes a row before the next is built), each with its column's style; dates get a date
    format; a row gets the height its most wrapped cell needs."""

    def __init__(self, ws, formats: list[str | None], widths: list[float], *, bordered: bool):
        self.ws = ws
        self.widths = widths
        self.ncols = len(widths)
        self.cells = [self._cell(fmt, bordered) for fmt in formats[: self.ncols]]
        self.date_cells = [self._cell(fmt or DATE_FORMAT, bordered) for fmt in formats[: self.ncols]]
        self.datetime_cells = [self._cell(fmt or DATETIME_FORMAT, bordered) for fmt in formats[: self.ncols]]
        self.row_index = 0

    def _cell(self, number_format, bordered) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws)
        cell.font = BODY_FONT
        cell.alignment = CELL_ALIGNMENT
        if bordered:
            cell.border = BORDER
        if number_format:
            cell.number_format = number_format
        return cell

    def append(self, row: Sequence[Any], row_index: int) -> None:
        cells = []
        lines = 1
        for index, value in enumerate(chain(row, [None] * (self.ncols - len(row)))):
            if index >= self.ncols:
                cells.append(_styled(self.ws, value, BODY_FONT))
                continue
            kind = type(value)
            if kind is int or kind is float or value is None:
                cell = self.cells[index]
                cell._value, cell.data_type = value, "n"  # what openpyxl's own assignment does, checked
                cells.append(cell)
                continue
            if kind is datetime:
                if timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                cell = self.datetime_cells[index]
            elif kind is date:
                cell = self.date_cells[index]
            else:
                cell = self.cells[index]
                if kind is str:
                    if value.startswith(FORMULA_TRIGGERS):
                        value = "'" + value
                    if len(value) * 2 > self.widths[index] - PADDING or "\n" in value:
                        lines = max(lines, line_count(value, self.widths[index]))
            cell.value = value
            if kind is str:
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        if lines > 1:
            self.ws.row_dimensions[row_index].height = lines * LINE_HEIGHT + ROW_PADDING
        self.ws.append(cells)


def _cells_to_row(cells: Sequence[WriteOnlyCell], row_idx: int):
    """Stands in for `WriteOnlyWorksheet._values_to_row` on this writer's sheets, whose rows arrive
    as ready cells: openpyxl's own would assign each cell to a spare cell first and catch the
    resulting error, twice the work per cell on the export's hot path (benchmarks/excel_import.py)."""
    for col_idx, cell in enumerate(cells, 1):
        cell.column = col_idx
        cell.row = row_idx
        yield cell


def _styled(ws, value: Any, font=None, *, fill=None, border=None, alignment=None) -> WriteOnlyCell:
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    cell = WriteOnlyCell(ws, value=escape_cell(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if border:
        cell.border = border
    if alignment:
        cell.alignment = alignment
    return cell


def _page_setup(ws, header_row: int) -> None:
    """A4 landscape, one page wide (as many pages down as needed), the header row on every page,
    the sheet's name and the page number in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 9


def _trimmed(row: Sequence[Any]) -> list:
    values = list(row)
    while values and (values[-1] is None or values[-1] == ""):
        values.pop()
    return values


class _SheetWriter:
    """One sheet: the title lines, the header row, the rows, the footer (a table of its own, e.g.
    資料5's municipalities, and notes). `row_index` follows openpyxl's so heights land on their row."""

    def __init__(self, wb: Workbook, sheet: Sheet):
        self.ws = ws = wb.create_sheet(title=sheet.title[:31])
        ws._values_to_row = _cells_to_row  # every row below is appended as cells
        self.sheet = sheet
        self.rows = iter(sheet.rows)
        self.sample = [list(r) for r in islice(self.rows, FIT_SAMPLE)]
        self.footer = [_trimmed(r) for r in sheet.footer]
        self.ncols = max(
            [len(sheet.headers), 1]
            + [len(r) for r in self.sample]
            + [len(r) for r in self.footer if _is_table_row(r)]
        )
        self.widths = _fit_widths(sheet, self.sample, self.footer, self.ncols)
        for index, width in enumerate(self.widths):
            ws.column_dimensions[get_column_letter(index + 1)].width = width
        self.header_row = len(sheet.preface) + 2 if sheet.preface else 1
        ws.freeze_panes = f"A{self.header_row + 1}"  # the header row (and the title above it) stay in view
        _page_setup(ws, self.header_row)
        self.row_index = 0
        self.print_columns = self.ncols

    def write(self) -> None:
        sheet = self.sheet
        for line in sheet.preface:
            self.spanning(line, TITLE_FONT, TITLE_LINE_HEIGHT)
        if sheet.preface:
            self.blank()
        self.header(sheet.headers, self.widths)
        body = _RowWriter(self.ws, _formats(sheet.columns, self.ncols), self.widths, bordered=True)
        for row in chain(self.sample, self.rows):
            self.row_index += 1
            body.append(row, self.row_index)
        self.write_footer()
        if self.print_columns > self.ncols:
            self.ws.print_area = f"A1:{get_column_letter(self.print_columns)}{self.row_index}"

    def blank(self) -> None:
        self.row_index += 1
        self.ws.append([])

    def header(self, headers: Sequence[Any], widths: list[float]) -> None:
        self.row_index += 1
        lines = max([1] + [line_count(str(h), widths[i]) for i, h in enumerate(headers)])
        if lines > 1:
            self.ws.row_dimensions[self.row_index].height = lines * LINE_HEIGHT + ROW_PADDING
        padded = chain(headers, [""] * (len(widths) - len(headers)))
        self.ws.append(
            [
                _styled(self.ws, h, HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=HEADER_ALIGNMENT)
                for h in padded
            ]
        )

    def spanning(self, value: Any, font: Font, line_height: float) -> None:
        """A line of its own (a title, a note) across the table: merged and wrapped, its height set
        (LibreOffice would size a merged row by its first column). A line wider than the table but
        not than a page runs on to the right instead, and the print area grows to hold it."""
        self.row_index += 1
        text = str(value)
        scale = font.size / BODY_FONT.size  # a 12 pt title takes a fifth more room a character
        table_width = sum(self.widths)
        wanted = max(text_width(line) for line in text.split("\n")) * scale + PADDING
        if table_width < wanted <= PAGE_WIDTH and "\n" not in text:
            self.print_columns = max(
                self.print_columns, self.ncols + math.ceil((wanted - table_width) / DEFAULT_WIDTH)
            )
            self.ws.append([_styled(self.ws, value, font)])
            return
        if self.ncols > 1:
            self.ws.merged_cells.add(
                CellRange(min_col=1, min_row=self.row_index, max_col=self.ncols, max_row=self.row_index)
            )
        lines = line_count(text, table_width / scale)
        self.ws.row_dimensions[self.row_index].height = lines * line_height + ROW_PADDING
        self.ws.append([_styled(self.ws, value, font, alignment=NOTE_ALIGNMENT)])

    def write_footer(self) -> None:
        """Totals and notes under the table. Rows of several cells form a table of their own
        (bordered, its first all-text row styled as its header); a row of one cell is a note."""
        sheet = self.sheet
        columns = sheet.footer_columns if sheet.footer_columns is not None else sheet.columns
        width = max([0] + [len(r) for r in self.footer if _is_table_row(r)])
        table = _RowWriter(self.ws, _formats(columns, width), self.widths[:width], bordered=True)
        in_table = False
        for row in self.footer:
            if _is_table_row(row):
                if not in_table and all(isinstance(v, str) for v in row if v is not None):
                    self.header(row, self.widths[:width])
                else:
                    self.row_index += 1
                    table.append(row, self.row_index)
                in_table = True
                continue
            in_table = False
            if row:
                self.spanning(
                    row[0] if row[0] not in (None, "") else _trimmed(row)[-1], BODY_FONT, LINE_HEIGHT
                )
            else:
                self.blank()


def _write_sheet(wb: Workbook, sheet: Sheet) -> None:
    _SheetWriter(wb, sheet).write()


def default_title(sheet: Sheet) -> str:
    return sheet.preface[0] if sheet.preface else sheet.title


def write_workbook(
    sheets: Iterable[Sheet], target, *, title: str | None = None, author: str | None = None
) -> None:
    """Write `sheets` to `target` (a path or a binary file object) in write-only mode. The book's
    title defaults to the first sheet's first preface line; its author to the portal's name."""
    wb = Workbook(write_only=True)
    wb.properties.creator = author or getattr(settings, "PORTAL_XLSX_AUTHOR", settings.PORTAL_MAIL_NAME)
    wb.properties.lastModifiedBy = wb.properties.creator
    wb.properties.language = "ja-JP"
    for sheet in sheets:
        if wb.properties.title is None:
            wb.properties.title = title or default_title(sheet)
        _write_sheet(wb, sheet)
    wb.save(target)


def xlsx_response(sheets: Iterable[Sheet], filename: str, *, title: str | None = None) -> FileResponse:
    """Write the book to a temporary file (never all in memory) and stream it."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_workbook(sheets, tmp, title=title)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
