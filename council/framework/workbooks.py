"""Reading an uploaded workbook within bounds set by what it expands to, not by its size on disk.

An .xlsx is a zip of XML: 200 KB can expand to gigabytes, declare a million columns, or hold a
couple of hundred thousand rows. Before any XML is parsed, `check_archive` reads the zip's
directory and refuses a file whose parts would expand past `PORTAL_MAX_UNCOMPRESSED_BYTES` in all,
whose shared strings or other parts openpyxl loads whole exceed `PORTAL_MAX_LOADED_PART_BYTES`,
or that is compressed more than `MAX_COMPRESSION_RATIO` times (Python's zipfile stops each part at
the size the directory declares, so a lying directory gains nothing). `sheet_rows` then reads the
sheet streaming (openpyxl read-only) and stops at `MAX_DATA_ROWS` rows under the header and at
`MAX_COLUMNS` columns.
openpyxl parses with defusedxml when it is installed (it is a dependency): a workbook declaring
XML entities is refused like any other unreadable file. Every refusal is a `WorkbookRefused`
carrying one message in Japanese.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import openpyxl
from django.conf import settings
from openpyxl import load_workbook

logger = logging.getLogger(__name__)

# openpyxl parses some 3–5 MB of sheet XML a second on this team's machines: the limits below keep
# the worst file within the upload limit to about 2 s of parsing (benchmarks/hostile_uploads.py)
MAX_DATA_ROWS = 10_000  # a national 資料1 sheet has 6,733 (1,741 municipalities × a few steps)
MAX_COLUMNS = 64  # the widest sheet the portal reads has 14 columns
MAX_MEMBERS = 1_000
MAX_COMPRESSION_RATIO = 100  # real workbooks: 5–30
DEFAULT_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024  # the national 資料1 sheet expands to about 3 MB
DEFAULT_MAX_LOADED_PART_BYTES = 2 * 1024 * 1024  # shared strings, styles: real ones are well under 1 MB
SMALL = 1024 * 1024  # below this a high ratio is harmless (an empty sheet compresses well)

UNREADABLE = "Excel ファイル（.xlsx）として読み込めません。ファイルの形式を確認してください。"

# openpyxl in read-only mode streams the worksheets; every other part it reads is loaded whole
STREAMED_PREFIX = "xl/worksheets/"


class WorkbookRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= SMALL else f"{size / 1024:.0f} KB"


def check_archive(content: bytes) -> None:
    """Refuse, from the zip's directory alone, a workbook that would expand too far."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise WorkbookRefused(UNREADABLE) from None
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused(f"ファイルの中の部品が多すぎます（{len(members):,}個）。{UNREADABLE}")
    total_limit = getattr(settings, "PORTAL_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
    part_limit = getattr(settings, "PORTAL_MAX_LOADED_PART_BYTES", DEFAULT_MAX_LOADED_PART_BYTES)
    total = sum(m.file_size for m in members)
    if total > total_limit:
        raise WorkbookRefused(
            f"ファイルを展開すると大きすぎます（展開後 {_mb(total)}、上限 {_mb(total_limit)}）。"
            "不要なシートや書式を削除するか、ファイルを分けてください。"
        )
    for member in members:
        if not member.filename.startswith(STREAMED_PREFIX) and member.file_size > part_limit:
            raise WorkbookRefused(
                f"ファイルの中の「{member.filename}」が大きすぎます（展開後 {_mb(member.file_size)}、"
                f"上限 {_mb(part_limit)}）。値だけを新しいブックに貼り付けて保存し直してください。"
            )
    if total > SMALL and total > MAX_COMPRESSION_RATIO * max(len(content), 1):
        raise WorkbookRefused(
            f"ファイルの圧縮率が異常です（{total // max(len(content), 1):,}倍）。"
            "Excel で保存し直したファイルを選んでください。"
        )


@contextmanager
def open_workbook(content: bytes) -> Iterator[Any]:
    """The workbook, read-only and values only, after `check_archive`. Anything openpyxl or the XML
    parser raises on a malformed or hostile file, while opening or while the caller streams its
    rows, becomes `WorkbookRefused` (the file is the user's, the failure is not a server error)."""
    if not openpyxl.DEFUSEDXML:  # OPENPYXL_DEFUSEDXML=False in the environment, or defusedxml missing
        raise RuntimeError("openpyxl must parse uploads with defusedxml")
    check_archive(content)
    book = None
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        yield book
    except WorkbookRefused:
        raise
    except Exception as error:  # a hostile file can reach any corner of openpyxl's reader
        logger.info("workbook refused: %s: %s", type(error).__name__, error)
        raise WorkbookRefused(UNREADABLE) from None
    finally:
        if book is not None:
            book.close()


def sheet_rows(sheet) -> Iterator[tuple[int, tuple]]:
    """(row number, values of the first `MAX_COLUMNS` cells) of the header and of each row with
    cells up to `MAX_DATA_ROWS` rows under it. A value in a column past `MAX_COLUMNS`, or in any
    row past those, refuses the file (what lies further down is parsed, within `check_archive`'s
    bound on the sheet's size, but not kept).

    This is openpyxl 3.1's own read-only loop (`ReadOnlyWorksheet._cells_by_row`) without its
    padding: that one drops cells right of `max_col` unseen, fills every gap with empty rows (a
    row at 1,048,576 means a million of them) and trusts the sheet's <dimension>, which may lie."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book, last = sheet.parent, MAX_DATA_ROWS + 1
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            values: list[Any] = [None] * MAX_COLUMNS
            for cell in cells:
                if cell["value"] in (None, ""):
                    continue
                if cell["column"] > MAX_COLUMNS:
                    raise WorkbookRefused(
                        f"列が多すぎます（上限 {MAX_COLUMNS} 列）。不要な列を削除してください。"
                    )
                if number > last:
                    raise WorkbookRefused(
                        f"行が多すぎます（見出しの下に {MAX_DATA_ROWS:,} 行まで）。ファイルを分けてください。"
                    )
                values[cell["column"] - 1] = cell["value"]
            if number <= last:
                yield number, tuple(values)
