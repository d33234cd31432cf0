"""The one import pipeline: read an .xlsx, validate every row, write nothing unless all are clean.

An app describes its sheet with an `Importer` (headers, `parse`, `apply`); `run_import` reads the
upload, collects every bad row with its reason, and only then, when asked to commit, applies the
plan in one transaction. Staff see the dry run first (`council.framework.import_views.ImportView`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from council.framework.xlsx import unescape_cell

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet's row number; None for the whole file
    column: str
    message: str

    def __str__(self):
        where = f"{self.row}行目" if self.row else "ファイル"
        return f"{where}{'「' + self.column + '」' if self.column else ''}: {self.message}"


class ImportRejected(Exception):
    def __init__(self, errors: Iterable[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(map(str, self.errors)))


@dataclass
class SheetRow:
    number: int
    values: dict[str, Any]


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    plan: Any = None
    summary: str = ""
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """One kind of sheet. Subclasses set `title`, `headers` (required columns), optionally
    `sheet_name`, and implement `parse` (validate, no writes) and `apply` (write)."""

    title = ""
    headers: Sequence[str] = ()
    sheet_name: str | None = None

    def parse(self, rows: list[SheetRow], user) -> tuple[Any, list[RowError]]:
        raise NotImplementedError

    def apply(self, plan: Any, user) -> str:
        raise NotImplementedError

    def describe(self, plan: Any) -> str:
        """What `apply` would do, for the dry-run preview."""
        return ""


def read_sheet(content: bytes, importer: Importer) -> tuple[list[SheetRow], list[RowError]]:
    limit = getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)
    if len(content) > limit:
        return [], [RowError(None, "", f"ファイルが大きすぎます（上限 {limit // (1024 * 1024)} MB）。")]
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return [], [
            RowError(
                None, "", "Excel ファイル（.xlsx）として読み込めません。ファイルの形式を確認してください。"
            )
        ]
    try:
        if importer.sheet_name and importer.sheet_name in book.sheetnames:
            sheet = book[importer.sheet_name]
        else:
            sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
        missing = [h for h in importer.headers if h not in header]
        if missing:
            return [], [
                RowError(1, h, f"列「{h}」がありません。1行目に必要な列: {'、'.join(importer.headers)}")
                for h in missing
            ]
        duplicated = sorted({h for h in header if h and header.count(h) > 1})
        if duplicated:
            return [], [RowError(1, h, "同じ名前の列が2つ以上あります。") for h in duplicated]
        result = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS:
                return [], [
                    RowError(None, "", f"行が多すぎます（上限 {MAX_ROWS:,} 行）。ファイルを分けてください。")
                ]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            cells = {h: unescape_cell(v) for h, v in zip(header, values, strict=False) if h}
            result.append(SheetRow(number, cells))
        if not result:
            return [], [RowError(None, "", "データの行がありません。")]
        return result, []
    finally:
        book.close()


def run_import(importer: Importer, content: bytes, user, *, commit: bool) -> ImportResult:
    """Validate the whole file; with `commit`, write it in one transaction if (and only if) every
    row is clean."""
    rows, errors = read_sheet(content, importer)
    if errors:
        return ImportResult(errors=errors)
    plan, errors = importer.parse(rows, user)
    result = ImportResult(
        errors=sorted(errors, key=lambda e: (e.row or 0, e.column)), plan=plan, rows=len(rows)
    )
    if result.errors:
        return result
    result.summary = importer.describe(plan)
    if commit:
        try:
            with transaction.atomic():
                result.summary = importer.apply(plan, user)
        except ImportRejected as rejected:
            result.errors = rejected.errors
    return result


class OrganisationLookup:
    """The organisations an import may write for (the user's scope) and every code that exists, so
    an unknown code and another organisation's code get different messages."""

    def __init__(self, user, queryset=None, outside_hint: str = ""):
        from council.models import Municipality

        scope = queryset if queryset is not None else Municipality.objects.for_user(user)
        self.visible = {m.code: m for m in scope}
        self.known = set(Municipality.objects.values_list("code", flat=True))
        self.outside_hint = outside_hint

    def resolve(self, code: str, name: str, err):
        """The organisation of a row's 団体コード (checked against 団体名 when given), or None after
        reporting why through `err(column, message)`."""
        organisation = self.visible.get(code)
        if not code:
            err("団体コード", "値がありません。")
        elif organisation is None:
            outside = f"この利用者が取り込める団体ではありません{self.outside_hint}。"
            err(
                "団体コード",
                f"団体コード「{code}」は" + (outside if code in self.known else "登録されていません。"),
            )
        elif name and name != organisation.name:
            err("団体名", f"団体名「{name}」が団体コード {code}（{organisation.name}）と一致しません。")
            return None
        return organisation


# --- cell readers: each returns (value, error message or "") ------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_int(value, *, minimum: int | None = None, maximum: int | None = None, required: bool = True):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ("値がありません。" if required else "")
    if isinstance(value, bool):
        return None, "数値で入力してください。"
    if isinstance(value, float):
        if not value.is_integer():
            return None, f"整数で入力してください（{value}）。"
        value = int(value)
    if isinstance(value, str):
        text = value.strip().translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
        if not text.lstrip("-").isdigit():
            return None, f"数値で入力してください（「{value}」は数値ではありません）。"
        value = int(text)
    if not isinstance(value, int):
        return None, "数値で入力してください。"
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        return None, f"{minimum}〜{maximum} の範囲で入力してください（{value}）。"
    return value, ""


TRUE_WORDS = {"○", "〇", "はい", "true", "1", "yes", "一部"}
FALSE_WORDS = {"", "×", "いいえ", "false", "0", "no"}


def cell_bool(value):
    if isinstance(value, bool):
        return value, ""
    text = cell_text(value).lower()
    if text in TRUE_WORDS:
        return True, ""
    if text in FALSE_WORDS:
        return False, ""
    return None, f"「{value}」は ○ か空欄で入力してください。"


def cell_date(value):
    from datetime import date, datetime

    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip().replace("/", "-")), ""
        except ValueError:
            pass
    return None, f"日付は 2023-04-01 の形で入力してください（「{value}」）。"
