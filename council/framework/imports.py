"""The one import pipeline: read an .xlsx, validate every row, write nothing unless all are clean.

An app describes its sheet with an `Importer` (headers, a `RowForm` for one row, `parse`, `apply`);
`run_import` reads the upload, collects every bad row with its reason, and only then, when asked to
commit, applies the plan in one transaction. Staff see the dry run first
(`council.framework.import_views.ImportView`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from council.dates import validate_date_in_range
from council.framework.workbooks import WorkbookRefused, open_workbook, sheet_rows
from council.framework.xlsx import unescape_cell
from council.numbers import MAX_DIGITS, NotANumber, parse_decimal, parse_integer
from council.text import clean_lines, clean_text, quoted

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet's row number; None for the whole file
    column: str
    message: str

    def __str__(self):
        where = f"{self.row}行目" if self.row else "ファイル"
        return f"{where}{'「' + self.column + '」' if self.column else ''}: {self.message}"


MAX_ERRORS = 1_000  # validation stops at this many errors
SHOWN_ERRORS = 100  # the import page lists this many of them


class TooManyErrors(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} errors")


class RowErrors(list):
    """The errors an importer's `parse` collects: at `MAX_ERRORS` it stops the validation (a sheet
    of 20,000 bad rows costs no more than one of 1,000, and the page stays readable)."""

    def append(self, error: RowError) -> None:
        super().append(error)
        if len(self) >= MAX_ERRORS:
            raise TooManyErrors(list(self))

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)


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
    stopped: bool = False  # validation stopped at MAX_ERRORS: there may be more

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:SHOWN_ERRORS]

    @property
    def unshown_errors(self) -> int:
        return max(len(self.errors) - SHOWN_ERRORS, 0)

    @property
    def stopped_at(self) -> int | None:
        """The last row checked before validation stopped."""
        return max((e.row or 0 for e in self.errors), default=None) if self.stopped else None


class Importer:
    """One kind of sheet. Subclasses set `title`, `headers` (required columns), optionally
    `sheet_name`, a `row_form` validating the cells of one row (`RowForm`), and implement `parse`
    (validate, no writes) and `apply` (write)."""

    title = ""
    headers: Sequence[str] = ()
    sheet_name: str | None = None
    row_form: type[RowForm] | None = None

    def get_row_form_kwargs(self) -> dict[str, Any]:
        """What `row_form` needs besides the cells (look-ups done once per import)."""
        return {}

    def row_cleaner(self) -> RowCleaner:
        return RowCleaner(self.row_form, **self.get_row_form_kwargs())

    def parse(self, rows: list[SheetRow], user) -> tuple[Any, list[RowError]]:
        raise NotImplementedError

    def apply(self, plan: Any, user) -> str:
        raise NotImplementedError

    def describe(self, plan: Any) -> str:
        """What `apply` would do, for the dry-run preview."""
        return ""


def upload_limit() -> int:
    """The largest upload any import takes, in bytes (`PORTAL_MAX_UPLOAD_BYTES`)."""
    return getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def read_sheet(content: bytes, importer: Importer) -> tuple[list[SheetRow], list[RowError]]:
    """The sheet's rows under their headers, or why the file cannot be read (`workbooks`: bounded
    by what the file expands to, its rows and its columns)."""
    limit = upload_limit()
    if len(content) > limit:
        return [], [RowError(None, "", f"ファイルが大きすぎます（上限 {limit // (1024 * 1024)} MB）。")]
    try:
        with open_workbook(content) as book:
            if importer.sheet_name and importer.sheet_name in book.sheetnames:
                sheet = book[importer.sheet_name]
            else:
                sheet = book.worksheets[0]
            return _sheet_rows(sheet, importer)
    except WorkbookRefused as refused:
        return [], [RowError(None, "", refused.message)]


def _sheet_rows(sheet, importer: Importer) -> tuple[list[SheetRow], list[RowError]]:
    rows = sheet_rows(sheet)
    number, first = next(rows, (1, ()))
    header = [cell_text(v) for v in first] if number == 1 else []
    missing = [h for h in importer.headers if h not in header]
    if missing:
        return [], [
            RowError(1, h, f"列「{quoted(h)}」がありません。1行目に必要な列: {'、'.join(importer.headers)}")
            for h in missing
        ]
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        return [], [RowError(1, h, "同じ名前の列が2つ以上あります。") for h in duplicated]
    result = []
    for number, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        cells = {h: unescape_cell(v) for h, v in zip(header, values, strict=False) if h}
        result.append(SheetRow(number, cells))
    if not result:
        return [], [RowError(None, "", "データの行がありません。")]
    return result, []


def run_import(importer: Importer, content: bytes, user, *, commit: bool) -> ImportResult:
    """Validate the whole file; with `commit`, write it in one transaction if (and only if) every
    row is clean."""
    rows, errors = read_sheet(content, importer)
    if errors:
        return ImportResult(errors=errors)
    try:
        plan, errors = importer.parse(rows, user)
    except TooManyErrors as stop:
        return ImportResult(errors=stop.errors, rows=len(rows), stopped=True)
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
                f"団体コード「{quoted(code)}」は"
                + (outside if code in self.known else "登録されていません。"),
            )
        elif name and name != organisation.name:
            err(
                "団体名",
                f"団体名「{quoted(name)}」が団体コード {code}（{organisation.name}）と一致しません。",
            )
            return None
        return organisation


# --- row forms: a sheet row validated like any Django form -----------------------------------


def cell_text(value, *, multiline: bool = False) -> str:
    """The text of a cell (a whole number typed as a number reads as its digits), without the
    invisible characters a paste brings (bidi controls, BOM, zero-width; `council.text`), line breaks
    kept only where the column may hold several lines. `TextCell` reads with it, and so do the key
    columns the framework resolves itself (団体コード, 団体名, 報告期間)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_lines(str(value)) if multiline else clean_text(str(value))


TRUE_WORDS = {"○", "〇", "はい", "true", "1", "yes", "一部"}
FALSE_WORDS = {"", "×", "いいえ", "false", "0", "no"}


class CellField(forms.Field):
    """A field that reads one spreadsheet cell: `column` is the header of the column it reads (and
    the field's label, so the form's errors name the column). Cells arrive as openpyxl gives them
    (None, str, int, float, bool, datetime); a blank one is `empty_value`, anything else goes to
    `read`, which returns the value or raises `ValidationError` worded for the person who typed it."""

    default_error_messages = {"required": "値がありません。"}
    empty_value: Any = None

    def __init__(self, column: str, **kwargs):
        super().__init__(label=column, **kwargs)

    def to_python(self, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.empty_value
        return self.read(value)

    def read(self, value):
        raise NotImplementedError


class TextCell(CellField):
    """Text; one line unless `multiline` (a note keeps its line breaks)."""

    empty_value = ""

    def __init__(self, column: str, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(column, **kwargs)

    def read(self, value) -> str:
        return cell_text(value, multiline=self.multiline)


def _number_cell(value) -> str | int | float:
    """A cell that may hold a number: a finite int or float, or text; anything else is refused."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError("数値で入力してください。")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(f"数値で入力してください（{value}）。")
    if isinstance(value, int | float) and abs(value) >= 10**MAX_DIGITS:
        raise ValidationError(f"数値の桁数が多すぎます（{MAX_DIGITS}桁まで）。")
    return value


class IntegerCell(CellField):
    """A whole number, from a numeric cell or typed as text (`council.numbers.parse_integer`:
    full-width digits, `1,234`, a unit such as `8手続`). Without bounds of its own it still stays
    within what an integer column holds."""

    LARGEST = 2**31 - 1  # PostgreSQL's integer

    def __init__(self, column: str, *, minimum: int | None = None, maximum: int | None = None, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        super().__init__(column, **kwargs)

    def read(self, value) -> int:
        value = _number_cell(value)
        if isinstance(value, float):
            if not value.is_integer():
                raise ValidationError(f"整数で入力してください（{value}）。")
            return int(value)
        if isinstance(value, str):
            try:
                return parse_integer(value)
            except ValueError as error:
                raise ValidationError(str(error)) from None
        return value

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        low = self.minimum is not None and value < self.minimum
        high = self.maximum is not None and value > self.maximum
        if low or high:
            if self.minimum is not None and self.maximum is not None:
                expected = f"{self.minimum}〜{self.maximum} の範囲"
            else:
                expected = f"{self.minimum} 以上" if low else f"{self.maximum} 以下"
            raise ValidationError(f"{expected}で入力してください（{value}）。")
        if abs(value) > self.LARGEST:
            raise ValidationError(f"数値が大きすぎます（{self.LARGEST:,} まで）。")


class DecimalCell(CellField):
    """A number with a fraction, rounded to `places` (`77.4`; `77.4%` when `percent`).
    `not_a_number`, when set, words the message for text that is no number (`{value}` is what was
    typed)."""

    not_a_number = ""

    def __init__(self, column: str, *, places: int = 1, percent: bool = False, **kwargs):
        self.places, self.percent = places, percent
        super().__init__(column, **kwargs)

    def read(self, value) -> Decimal:
        value = _number_cell(value)
        if not isinstance(value, str):
            return Decimal(value).quantize(Decimal(1).scaleb(-self.places))
        try:
            return parse_decimal(value, places=self.places, percent=self.percent)
        except NotANumber as error:
            message = self.not_a_number.format(value=quoted(value)) if self.not_a_number else str(error)
            raise ValidationError(message) from None
        except ValueError as error:
            raise ValidationError(str(error)) from None


class BooleanCell(CellField):
    """○ (or はい, 1, …) is yes; a blank cell (or ×, 0, …) is no."""

    empty_value = False

    def __init__(self, column: str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(column, **kwargs)

    def read(self, value) -> bool:
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValidationError(f"「{quoted(value)}」は ○ か空欄で入力してください。")


class DateCell(CellField):
    """A date cell, or a date typed as 2023-04-01 (or 2023/04/01), within the portal's bounds
    (`council.dates`: 1989-01-08 to 2100-12-31)."""

    def read(self, value) -> date:
        if isinstance(value, datetime):
            value = value.date()
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value.strip().replace("/", "-"))
        if not isinstance(value, date):
            raise ValidationError(f"日付は 2023-04-01 の形で入力してください（「{quoted(value)}」）。")
        validate_date_in_range(value)
        return value


class RowForm(forms.Form):
    """One sheet row, validated like any Django form (as NetBox's bulk import validates each row
    with its import form). Fields are `CellField`s labelled with the column they read; `clean()`
    holds the rules between cells, calling the one place a rule shared with the report forms lives.

    A row form must be a function of its cells and of the keyword arguments its importer passes
    (`Importer.get_row_form_kwargs`, computed once per import): `RowCleaner` reuses the outcome of
    a row for every later row with the same cells."""

    def __init__(self, cells: dict[str, Any]):
        super().__init__(
            data={name: cells.get(field.label) for name, field in self.base_fields.items()}, auto_id=False
        )

    @classmethod
    def columns(cls) -> dict[str, str]:
        """Field name → the column header it reads."""
        return {name: str(field.label) for name, field in cls.base_fields.items()}


class RowCleaner:
    """Binds each sheet row to an importer's row form and turns `form.errors` into `RowError`s
    under the Japanese headers (an error of the whole row under none).

    A row whose cells in the form's columns are the same as an earlier row's gets that row's
    outcome without another form: building a form costs about 100 µs, a national sheet has some
    7,000 rows and a few dozen distinct ones."""

    def __init__(self, form_class: type[RowForm], **form_kwargs):
        self.form_class, self.form_kwargs = form_class, form_kwargs
        self.columns = form_class.columns()
        self._outcomes: dict[tuple, tuple[dict | None, list[tuple[str, str]]]] = {}

    def clean(self, row: SheetRow) -> tuple[dict | None, list[RowError]]:
        """The row's cleaned values (None if any cell is bad) and its errors."""
        # the type is part of the key: True == 1 == 1.0, but they are different cells
        key = tuple((type(v), v) for v in (row.values.get(c) for c in self.columns.values()))
        outcome = self._outcomes.get(key)
        if outcome is None:
            outcome = self._outcomes[key] = self._bind(row.values)
        cleaned, errors = outcome
        return (
            dict(cleaned) if cleaned is not None else None,
            [RowError(row.number, column, message) for column, message in errors],
        )

    def _bind(self, cells: dict[str, Any]) -> tuple[dict | None, list[tuple[str, str]]]:
        form = self.form_class(cells, **self.form_kwargs)
        if form.is_valid():
            return form.cleaned_data, []
        return None, [
            (self.columns.get(name, ""), message)
            for name, messages in form.errors.items()
            for message in messages
        ]
