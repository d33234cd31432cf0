"""Import rows are validated by forms: each app's row form reads the cells under their Japanese
headers, gives typed values for a good row and, for a bad cell, the header and a Japanese message."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from council.framework.imports import (
    BooleanCell,
    DateCell,
    IntegerCell,
    RowCleaner,
    RowError,
    RowForm,
    SheetRow,
    TextCell,
    run_import,
)


class SampleRowForm(RowForm):
    name = TextCell("名称")
    count = IntegerCell("件数", minimum=0, maximum=20)
    partial = BooleanCell("一部")
    due = DateCell("期限", required=False)


def clean(form_class, cells, number=7, **kwargs):
    return RowCleaner(form_class, **kwargs).clean(SheetRow(number, cells))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"名称": " 萩市 ", "件数": 3, "一部": "○", "期限": datetime(2024, 3, 31)},
            {"name": "萩市", "count": 3, "partial": True, "due": date(2024, 3, 31)},
        ),
        (
            {"名称": 352047.0, "件数": "１２", "一部": None, "期限": "2023/04/01"},
            {"name": "352047", "count": 12, "partial": False, "due": date(2023, 4, 1)},
        ),
        (
            {"名称": "萩市", "件数": 20.0, "一部": "×", "期限": "  "},
            {"name": "萩市", "count": 20, "partial": False, "due": None},
        ),
        (
            {"名称": "萩市", "件数": "0", "一部": True},
            {"name": "萩市", "count": 0, "partial": True, "due": None},
        ),
    ],
)
def test_a_good_row_gives_typed_values(cells, expected):
    assert clean(SampleRowForm, cells) == (expected, [])


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"件数": 1}, "名称", "値がありません。"),
        ({"名称": "萩市", "件数": None}, "件数", "値がありません。"),
        (
            {"名称": "萩市", "件数": "十八"},
            "件数",
            "数値で入力してください（「十八」は数値ではありません）。",
        ),
        ({"名称": "萩市", "件数": "--5"}, "件数", "数値で入力してください（「--5」は数値ではありません）。"),
        ({"名称": "萩市", "件数": 2.5}, "件数", "整数で入力してください（2.5）。"),
        ({"名称": "萩市", "件数": True}, "件数", "数値で入力してください。"),
        ({"名称": "萩市", "件数": 21}, "件数", "0〜20 の範囲で入力してください（21）。"),
        ({"名称": "萩市", "件数": -1}, "件数", "0〜20 の範囲で入力してください（-1）。"),
        ({"名称": "萩市", "件数": 1, "一部": "たぶん"}, "一部", "「たぶん」は ○ か空欄で入力してください。"),
        (
            {"名称": "萩市", "件数": 1, "期限": "来月"},
            "期限",
            "日付は 2023-04-01 の形で入力してください（「来月」）。",
        ),
        (
            {"名称": "萩市", "件数": 1, "期限": 45000},
            "期限",
            "日付は 2023-04-01 の形で入力してください（「45000」）。",
        ),
    ],
)
def test_a_bad_cell_is_named_by_its_header_in_japanese(cells, column, message):
    values, errors = clean(SampleRowForm, cells)
    assert values is None
    assert errors == [RowError(7, column, message)]


def test_every_bad_cell_of_a_row_is_reported():
    _, errors = clean(SampleRowForm, {"件数": "x", "一部": "?", "期限": "?"})
    assert [e.column for e in errors] == ["名称", "件数", "一部", "期限"]


def test_an_error_of_the_whole_row_has_no_column():
    class Form(SampleRowForm):
        def clean(self):
            raise ValidationError("行全体の誤り。")

    assert clean(Form, {"名称": "萩市", "件数": 1}) == (None, [RowError(7, "", "行全体の誤り。")])


def test_rows_with_the_same_cells_share_one_form_but_not_their_values():
    built = []

    class Counting(SampleRowForm):
        def __init__(self, cells):
            built.append(cells)
            super().__init__(cells)

    cleaner = RowCleaner(Counting)
    first, _ = cleaner.clean(SheetRow(2, {"名称": "萩市", "件数": 1, "一部": "", "ignored": "a"}))
    second, _ = cleaner.clean(SheetRow(3, {"名称": "萩市", "件数": 1, "一部": "", "ignored": "b"}))
    assert len(built) == 1 and first == second and first is not second
    first["count"] = 99
    assert cleaner.clean(SheetRow(4, {"名称": "萩市", "件数": 1, "一部": ""}))[0]["count"] == 1
    # True == 1 in Python, but a TRUE cell is not a number: the cell's type is part of the key
    _, errors = cleaner.clean(SheetRow(5, {"名称": "萩市", "件数": True, "一部": ""}))
    assert errors == [RowError(5, "件数", "数値で入力してください。")] and len(built) == 2
    _, errors = cleaner.clean(SheetRow(6, {"名称": "萩市", "件数": "x"}))
    _, again = cleaner.clean(SheetRow(9, {"名称": "萩市", "件数": "x"}))
    assert [e.row for e in errors + again] == [6, 9]  # an outcome reused keeps its own row number


# --- each app's row form, with the look-ups its importer makes once per import ------------------


def app_clean(importer_class, cells):
    return importer_class().row_cleaner().clean(SheetRow(3, cells))


STEP = {"ステップ": "推進体制の立ち上げ", "業務数": 3, "一部": "", "完了予定日": None, "完了日（実績）": None}


def test_step_row_form(db, seeded):
    from standardization.imports import StepProgressImporter
    from standardization.models import Step

    values, errors = app_clean(StepProgressImporter, {**STEP, "一部": "○", "完了予定日": "2025-03-31"})
    assert errors == []
    assert values == {
        "step_id": Step.objects.get(name="推進体制の立ち上げ").pk,
        "operations_done": 3,
        "partial": True,
        "planned_date": date(2025, 3, 31),
        "actual_date": None,
    }


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"ステップ": "要件定義"}, "ステップ", "ステップ「要件定義」は登録されていません。"),
        ({"業務数": 21}, "業務数", "業務数は 0〜20 の範囲で入力してください（21）。"),
        ({"業務数": "三"}, "業務数", "数値で入力してください（「三」は数値ではありません）。"),
        ({"業務数": 0, "一部": "○"}, "一部", "1以上"),
        ({"完了予定日": "1999-01-01"}, "完了予定日", "の範囲で入力してください"),
        ({"完了日（実績）": "2099-01-01"}, "完了日（実績）", "未来の日付は入力できません"),
    ],
)
def test_step_row_form_rules_are_step_row_errors(db, seeded, changes, column, message):
    from standardization.imports import StepProgressImporter

    values, errors = app_clean(StepProgressImporter, {**STEP, **changes})
    assert values is None
    assert [(e.row, e.column) for e in errors] == [(3, column)] and message in errors[0].message


def test_count_row_form(db, seeded):
    from online_procedures.imports import OnlineCountImporter

    assert app_clean(OnlineCountImporter, {"利用手続数": "27"}) == ({"available_count": 27}, [])
    assert app_clean(OnlineCountImporter, {"利用手続数": 28}) == (
        None,
        [RowError(3, "利用手続数", "手続数は 0〜27 の範囲で入力してください（28）。")],
    )


COUNTS = {"時点": "2023-06-30", "人口": 44_000, "申請件数": 35_600, "交付枚数": 33_700}


def test_counts_row_form_derives_the_rates(db):
    from mynumber.imports import CountsImporter

    values, errors = app_clean(CountsImporter, {**COUNTS, "申請率": "80.9%", "申請率全国順位": 12})
    assert errors == []
    assert values["as_of"] == date(2023, 6, 30) and values["application_rank"] == 12
    assert (values["application_rate"], values["issuance_rate"]) == (Decimal("80.9"), Decimal("76.6"))


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"時点": None}, "時点", "値がありません。"),
        ({"申請率": "たかい"}, "申請率", "率は数値で入力してください（「たかい」）。"),
        ({"申請率": "nan"}, "申請率", "率は数値で入力してください（「nan」）。"),
        ({"交付率": 101}, "交付率", "率は 0〜100 の範囲で入力してください（101.0）。"),
        ({"申請率": 50}, "申請率", "申請率 50.0% が件数から計算した値（80.9%）と一致しません。"),
        ({"交付枚数": 40_000}, "交付枚数", "交付枚数（40,000）が申請件数（35,600）を超えています。"),
        ({"人口": None}, "人口", "人口・申請件数・交付枚数は3つそろえて入力してください。"),
        (
            {"人口": None, "申請件数": None, "交付枚数": None, "申請率": 80},
            "申請率",
            "件数がない行は、申請率と交付率を入力してください。",
        ),
        ({"申請率全国順位": 0}, "申請率全国順位", "1〜2000 の範囲で入力してください（0）。"),
        (
            {"時点": "0001-01-01"},
            "時点",
            "日付は 1989-01-08〜2100-12-31 の範囲で入力してください（0001-01-01）。",
        ),
        (
            {"時点": date(9999, 12, 31)},
            "時点",
            "日付は 1989-01-08〜2100-12-31 の範囲で入力してください（9999-12-31）。",
        ),
    ],
)
def test_counts_row_form_rules(db, changes, column, message):
    from mynumber.imports import CountsImporter

    assert app_clean(CountsImporter, {**COUNTS, **changes}) == (None, [RowError(3, column, message)])


PROVISION = {
    "識別番号": "A-1",
    "例規名": "萩市財務規則",
    "規定": "第1条",
    "例規の種類": "規則",
    "類型": "目視規制",
}


def test_provision_row_form(db, seeded):
    from analog_review.imports import InventoryImporter
    from analog_review.models import RegulationType

    values, errors = app_clean(InventoryImporter, {**PROVISION, "該非": "該当", "目標時期": "2026-03-31"})
    assert errors == []
    assert values["regulation_type"] == RegulationType.objects.get(name="目視規制")
    assert (values["rule_level"], values["in_scope"], values["status"], values["target_date"]) == (
        "rule",
        True,
        "identified",
        date(2026, 3, 31),
    )


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"規定": ""}, "規定", "値がありません。"),
        ({"類型": "紙規制"}, "類型", "類型「紙規制」は登録されていません"),
        ({"例規の種類": "要綱"}, "例規の種類", "例規の種類「要綱」は"),
        (
            {"該非": "たぶん"},
            "該非",
            "該非は 該当・非該当・空欄（未判断）のいずれかにしてください（「たぶん」）。",
        ),
        ({"状況": "完了"}, "状況", "状況「完了」は"),
        ({"状況": "該非判断済"}, "該非", "該非判断（該当／非該当）を入力してください"),
        ({"識別番号": "X" * 61}, "識別番号", "61"),  # the model's max_length, named by its column
        ({"目標時期": "0001-01-01"}, "目標時期", "1989-01-08〜2100-12-31 の範囲"),  # issue #12's 500
    ],
)
def test_provision_row_form_rules(db, seeded, changes, column, message):
    from analog_review.imports import InventoryImporter

    values, errors = app_clean(InventoryImporter, {**PROVISION, **changes})
    assert values is None
    assert [(e.row, e.column) for e in errors] == [(3, column)] and message in errors[0].message, errors


def test_pasted_invisible_characters_are_dropped_from_names_and_codes(db, seeded):
    """Issue #12: a bidi override, a BOM or a zero-width space pasted into a cell is not stored (it
    would make two identical-looking names differ, or reverse how a name reads); a note keeps its
    line breaks."""
    from analog_review.imports import InventoryImporter

    values, errors = app_clean(
        InventoryImporter,
        {
            **PROVISION,
            "識別番号": "\ufeffA-1\u200b",
            "例規名": "\u202e萩市財務規則\u202c",
            "備考": "一行目\u200d\n二行目",
        },
    )
    assert errors == []
    assert (values["reference"], values["rule_title"], values["note"]) == (
        "A-1",
        "萩市財務規則",
        "一行目\n二行目",
    )


def test_a_code_and_a_name_pasted_with_a_bom_still_find_their_municipality(db, seeded, staff):
    from online_procedures.imports import OnlineCountImporter
    from online_procedures.models import OnlineProcedureStatus
    from tests.online_procedures.test_online import long_book

    result = run_import(
        OnlineCountImporter(), long_book([["\ufeff352047", "萩\u200b市", "2023-Q1", 20]]), staff, commit=True
    )
    assert result.ok, result.errors
    assert (
        OnlineProcedureStatus.objects.get(
            report__municipality__code="352047", report__period__quarter=1
        ).available_count
        == 20
    )
