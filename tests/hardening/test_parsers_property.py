"""No cell crashes an import: every parser of what people type, given anything at all, returns a
value or a message (Hypothesis generates the input). Cells arrive as openpyxl gives them: None,
text, int, float (NaN and infinities too), bool, datetime, date, time, timedelta."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analog_review.imports import InventoryImporter, ScopeCell
from council import wareki
from council.dates import validate_date_in_range
from council.dx.notation import parse_headcount, parse_policy
from council.framework.imports import (
    BooleanCell,
    DateCell,
    DecimalCell,
    IntegerCell,
    RowCleaner,
    SheetRow,
    TextCell,
)
from council.numbers import MAX_DIGITS, parse_decimal, parse_integer
from mynumber.imports import CountsImporter, RateCell
from online_procedures.imports import OnlineCountImporter
from standardization.imports import StepProgressImporter
from standardization.notation import parse_line

# what a person might type: digits of every width and script, signs, separators, units, words
TYPED = st.one_of(
    st.text(),
    st.text(alphabet="0123456789０１２３４５６７８９١٢①²,，.．-－−+＋%％ 　件手続業務eE", max_size=40),
    st.from_regex(r"\A[+-]?[0-9]{1,20}(,[0-9]{3})*(\.[0-9]{0,20})?[%件]?\Z"),
    st.sampled_from(["NaN", "nan", "inf", "-Infinity", "1e999999", "9" * 5000, "--1", "0x1F", "1_000", "Ⅻ"]),
)
CELLS = st.one_of(
    st.none(),
    TYPED,
    st.integers(),
    # the largest integers openpyxl can give: it reads <v> with int(), which refuses over 4,300 digits
    st.integers(min_value=10**4000, max_value=10**4299),
    st.floats(),  # NaN and ±inf included
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
)

FIELDS = [
    IntegerCell("数"),
    IntegerCell("人口", minimum=0, maximum=200_000_000, required=False),
    DecimalCell("率", places=1, percent=True),
    DecimalCell("時間", places=2),
    RateCell("申請率", required=False),
    DateCell("日付", required=False),
    BooleanCell("一部"),
    TextCell("名前"),
    TextCell("備考", multiline=True, required=False),
    ScopeCell("該非", required=False),
]


@pytest.mark.parametrize("field", FIELDS, ids=[f"{type(f).__name__}-{f.label}" for f in FIELDS])
@given(value=CELLS)
@example(value=float("nan"))
@example(value=10**4299)
@example(value="9" * 5000)
def test_every_cell_gives_a_value_or_a_message(field, value):
    try:
        cleaned = field.clean(value)
    except ValidationError as error:
        assert all(message and isinstance(message, str) for message in error.messages)
        assert all(len(message) < 300 for message in error.messages)
    else:
        assert cleaned is None or isinstance(cleaned, int | Decimal | date | bool | str)


@given(text=TYPED)
def test_numbers_are_read_or_refused_with_a_message(text):
    for parse in (parse_integer, parse_decimal, lambda t: parse_decimal(t, places=1, percent=True)):
        try:
            value = parse(text)
        except ValueError as error:
            assert str(error) and len(str(error)) < 300
        else:
            assert abs(value) < 10**MAX_DIGITS


@given(n=st.integers(min_value=-(10**MAX_DIGITS) + 1, max_value=10**MAX_DIGITS - 1))
def test_a_number_reads_back_however_it_is_written(n):
    full_width = str(n).translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    for written in (str(n), f"{n:,}", full_width, f"{n}件", f" {n:,}手続 ", f"{n}.0"):
        assert parse_integer(written) == n, written
    assert parse_decimal(f"{n}%", percent=True) == n


@given(text=st.one_of(st.text(), st.from_regex(r"\A(全|[0-9]{1,6})業務について.{0,10}(\(一部\))?\Z")))
def test_the_materials_notation_is_read_or_refused(text):
    for parse in (lambda t: parse_line(t, 20), parse_headcount, parse_policy):
        try:
            parse(text)
        except ValidationError as error:
            assert error.messages


@given(value=st.one_of(st.dates(), st.datetimes()))
def test_dates_are_checked_and_written_in_wareki_without_raising(value):
    try:
        validate_date_in_range(value)
    except ValidationError as error:
        assert "1989-01-08〜2100-12-31" in error.messages[0]
    day = value.date() if isinstance(value, datetime) else value
    assert wareki.wareki_date(value) and wareki.wareki_month_end(day) and wareki.deadline_label(day)
    assert wareki.wareki_fiscal_year(day.year) and wareki.short_fiscal_year(day.year)


IMPORTERS = [StepProgressImporter, OnlineCountImporter, CountsImporter, InventoryImporter]


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS, ids=[i.__name__ for i in IMPORTERS])
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_row_form_gives_a_row_or_messages_under_its_headers(seeded, importer, data):
    cleaner: RowCleaner = importer().row_cleaner()
    columns = list(cleaner.columns.values())
    cells = data.draw(st.fixed_dictionaries({column: CELLS for column in columns}))
    cleaned, errors = cleaner.clean(SheetRow(2, cells))
    assert (cleaned is None) == bool(errors)
    assert all(e.row == 2 and e.column in {*columns, ""} and e.message for e in errors)
