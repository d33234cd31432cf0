"""Workbooks an attacker or an unlucky user uploads, generated (never committed as binaries).

Each builder returns the bytes of an .xlsx under the portal's 5 MB upload limit. They start from a
real workbook written by openpyxl and replace one part of the zip, so everything else about the
file is what Excel would accept. The tests use them, and so does `benchmarks/hostile_uploads.py`.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable, Iterable

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook(headers: list, rows: Iterable[list], title: str = "データ") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def part(content: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(content)).read(name)


def replace_part(content: bytes, name: str, chunks: Callable[[], Iterable[bytes]]) -> bytes:
    """`content` with the zip member `name` written from `chunks` (streamed: a part of a gigabyte
    is never held in memory)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == name:
                continue
            target.writestr(info, source.read(info.filename))
        with target.open(name, "w", force_zip64=True) as part:
            for chunk in chunks():
                part.write(chunk)
    return out.getvalue()


def _sheet(rows_xml: Callable[[], Iterable[bytes]], dimension: str = "A1") -> Callable[[], Iterable[bytes]]:
    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/><sheetData>'.encode()
        yield from rows_xml()
        yield b"</sheetData></worksheet>"

    return chunks


def _header_row(headers: list) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headers)
    return f'<row r="1">{cells}</row>'.encode()


def expanding(headers: list, expanded_bytes: int) -> bytes:
    """A sheet padded with whitespace between its rows until it is `expanded_bytes` long: tiny on
    disk (deflate compresses it about a thousand times), huge once unzipped."""

    def rows():
        yield _header_row(headers)
        block = b" " * (1024 * 1024)
        for _ in range(expanded_bytes // len(block)):
            yield block

    return replace_part(workbook(headers, []), SHEET, _sheet(rows))


def huge_loaded_part(headers: list, name: str, expanded_bytes: int) -> bytes:
    """Shared strings (or styles) that openpyxl would load whole, `expanded_bytes` long, made of
    random text so that they compress no better than real ones."""
    rng = random.Random(1)

    def chunks():
        if name == STRINGS:
            yield f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}>'.encode()
            written = 0
            while written < expanded_bytes:
                item = f"<si><t>{rng.getrandbits(64):x}</t></si>".encode()
                written += len(item)
                yield item
            yield b"</sst>"
        else:
            yield f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}><cellXfs>'.encode()
            written = 0
            while written < expanded_bytes:
                item = f'<xf numFmtId="{rng.randrange(200)}" fontId="0" fillId="0" borderId="0"/>'.encode()
                written += len(item)
                yield item
            yield b"</cellXfs></styleSheet>"

    return replace_part(workbook(headers, [["x"] * len(headers)]), name, chunks)


def entity_declaration(headers: list, *, external: bool = False) -> bytes:
    """A sheet declaring an XML entity: the billion laughs, or an external entity naming a file on
    the server."""
    if external:
        doctype = '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    else:
        doctype = (
            "<!DOCTYPE worksheet ["
            + '<!ENTITY a0 "ha">'
            + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
            + "]>"
        )
    entity = "&e;" if external else "&a9;"

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet {NS}><sheetData>'.encode()
        yield _header_row(headers)
        yield f'<row r="2"><c t="inlineStr"><is><t>{entity}</t></is></c></row>'.encode()
        yield b"</sheetData></worksheet>"

    return replace_part(workbook(headers, []), SHEET, chunks)


def wide(headers: list, column: str = "XFD") -> bytes:
    """A value in column `column` (XFD: Excel's last), with a dimension declaring every cell."""

    def rows():
        yield _header_row(headers)
        yield f'<row r="2"><c r="{column}2" t="inlineStr"><is><t>x</t></is></c></row>'.encode()

    return replace_part(workbook(headers, []), SHEET, _sheet(rows, dimension=f"A1:{column}1048576"))


def far_row(headers: list, row: int = 1_048_576) -> bytes:
    """One data row, at Excel's last row: a million empty rows before it."""

    def rows():
        yield _header_row(headers)
        cells = "".join(f'<c t="inlineStr"><is><t>x{i}</t></is></c>' for i in range(len(headers)))
        yield f'<row r="{row}">{cells}</row>'.encode()

    return replace_part(workbook(headers, []), SHEET, _sheet(rows))


def dense(headers: list, rows: int, columns: int, seed: int = 1) -> bytes:
    """`rows` rows of `columns` random numbers: the most cells a file within the limits can hold."""
    rng = random.Random(seed)

    def chunks():
        yield _header_row(headers)
        for r in range(2, rows + 2):
            cells = "".join(f"<c><v>{rng.getrandbits(40)}</v></c>" for _ in range(columns))
            yield f'<row r="{r}">{cells}</row>'.encode()

    return replace_part(workbook(headers, []), SHEET, _sheet(chunks))


def many_rows(headers: list, make_row: Callable[[int], list], count: int) -> bytes:
    """`count` rows made by `make_row(i)` (openpyxl's write-only mode: fast and small)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("データ")
    sheet.append(headers)
    for i in range(count):
        sheet.append(make_row(i))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
