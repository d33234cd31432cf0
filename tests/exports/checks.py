"""What a user checks in an exported sheet, written once for every workbook the portal exports."""

from __future__ import annotations

import math

from django.conf import settings
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from council.framework.xlsx_text import format_number, text_width

MIN_LINE_POINTS = 13  # one line of 10 pt text needs at least this much height


def shown(cell):
    """The cell as a spreadsheet shows it: numbers in their display format."""
    return format_number(cell.value, cell.number_format)


def header_row(ws) -> int:
    assert ws.print_title_rows, f"{ws.title}: no header row repeated on every printed page"
    first, last = ws.print_title_rows.replace("$", "").split(":")
    assert first == last
    return int(first)


def assert_book_properties(wb) -> None:
    assert wb.properties.title, "the workbook has no document title"
    assert wb.properties.creator == settings.PORTAL_MAIL_NAME


def assert_prints_like_the_materials(ws) -> None:
    """A4 landscape one page wide, the header row repeated and frozen, a footer with the sheet's
    name and page; a styled, framed header; every framed cell wrapped, in a column wide enough for
    its numbers, and on a row tall enough for every line of its text."""
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9), ws.title
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&A" in ws.oddFooter.center.text and "&P" in ws.oddFooter.center.text
    h = header_row(ws)
    assert ws.freeze_panes == f"A{h + 1}"
    headers = [c for c in ws[h] if c.value is not None]
    assert headers, f"{ws.title}: empty header row"
    for cell in headers:
        assert cell.font.b and cell.fill.fgColor.rgb.endswith("DDEBF7") and cell.border.bottom.style == "thin"
    for row in ws.iter_rows(min_row=h):
        for cell in row:
            if isinstance(cell, MergedCell) or cell.value is None:
                continue
            framed = cell.border.left.style == "thin"
            if not framed:
                continue  # a note under the table, spanning it
            width = ws.column_dimensions[get_column_letter(cell.column)].width
            text = str(shown(cell))
            where = f"{ws.title}!{cell.coordinate}"
            if cell.is_date:
                assert width >= len("2023-03-31"), f"{where}: a date in a column of {width}"
                continue
            if isinstance(cell.value, int | float):
                assert text_width(text) <= width, f"{where}: {text} does not fit a width of {width}"
                continue
            assert cell.alignment.wrap_text, f"{where} does not wrap"
            lines = sum(max(1, math.ceil(text_width(line) / width)) for line in text.split("\n"))
            if lines > 1:
                height = ws.row_dimensions[cell.row].height
                assert height and height >= lines * MIN_LINE_POINTS, (
                    f"{where}: {lines} lines of text on a row of {height} pt"
                )
