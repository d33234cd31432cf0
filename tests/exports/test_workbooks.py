"""Every exported workbook read back with openpyxl: numbers stored as numbers in the materials'
display formats, text only where the materials print text, wrapped cells on rows tall enough,
fitted widths, and the print setup and document properties of every sheet."""

import math

import pytest

from council.framework.xlsx import text_width
from tests.exports.books import MATERIAL_SHEETS, MEETING, exported_books, load
from tests.exports.checks import assert_book_properties, assert_prints_like_the_materials, header_row, shown


@pytest.fixture
def books(client, liaison, staff, hagi):
    return {
        name: load(content)
        for name, content in exported_books(client, liaison=liaison, staff=staff, hagi=hagi).items()
    }


def rows_of(ws, start=None):
    """The rows under the header, as cells, by the first cell's text."""
    h = header_row(ws) if start is None else start
    return {str(row[0].value): row for row in ws.iter_rows(min_row=h + 1) if row[0].value is not None}


def test_every_sheet_of_every_book_prints_like_the_materials(books):
    assert set(books) == {*MATERIAL_SHEETS, MEETING}
    for wb in books.values():
        assert_book_properties(wb)
        for ws in wb.worksheets:
            assert_prints_like_the_materials(ws)


def test_book_titles_name_the_material_and_period(books):
    assert books["standardization"].properties.title == "情報システムの標準化・共通化（令和4年度 第4四半期）"
    assert books["mynumber"].properties.title == "マイナンバーカードの申請・交付状況（令和5年3月末現在）"
    assert books[MEETING].properties.title == "令和5年度 第1回山口県デジタル・ガバメント構築連携会議 資料"


def test_material_1_phases_wrap_on_rows_that_show_every_phase(books):
    for ws in (books["standardization"]["資料1 完了済みフェーズ"], books[MEETING]["資料1"]):
        ube = rows_of(ws)["宇部市"][1]
        lines = ube.value.split("\n")
        assert lines == [
            "18業務について現行システムの概要調査(一部)",
            "18業務についてRFI資料の作成",
            "18業務についてRFIの実施",
            "18業務についてRFI結果(一部)",
        ]
        assert ube.alignment.wrap_text and ws.row_dimensions[ube.row].height >= 4 * 13
        width = ws.column_dimensions["B"].width
        assert max(text_width(line) for line in lines) <= width  # one line per phase
        assert ws.column_dimensions["A"].width >= text_width("山陽小野田市")
    data = books["standardization"]["データ"]
    row = next(r for r in data.iter_rows(min_row=2) if r[1].value == "宇部市")
    assert row[4].value == 18 and isinstance(row[4].value, int) and shown(row[4]) == "18業務"


def test_material_2_counts_are_numbers_shown_as_procedures(books):
    for ws in (books["online_procedures"]["資料2 オンライン化取組状況"], books[MEETING]["資料2"]):
        shimonoseki = rows_of(ws)["下関市"]
        assert [c.value for c in shimonoseki[:3]] == ["下関市", 8, 22]
        assert [c.number_format for c in shimonoseki[1:3]] == ['0"手続"', '0"手続"']
        assert [shown(c) for c in shimonoseki[:3]] == ["下関市", "8手続", "22手続"]
        values = [c.value for row in ws.iter_rows() for c in row]
        assert "R5.4時点合計 19市町延べ440手続" in values
        counts = [row[2].value for name, row in rows_of(ws).items() if name.endswith(("市", "町"))]
        assert len(counts) == 19 and sum(counts) == 440


def test_material_5_rates_are_numbers_in_the_materials_notation(books):
    for ws in (books["mynumber"]["資料5 申請・交付状況"], books[MEETING]["資料5"]):
        h = header_row(ws)
        block = ws[h + 1]
        assert [c.value for c in block] == [80.1, 4, 72.6, 4]
        assert [shown(c) for c in block] == ["80.1% (全国76.8%)", "4位", "72.6% (全国67.0%)", "4位"]
        table = rows_of(ws, next(c.row for c in ws["A"] if c.value == "市町名"))
        shimonoseki, yanai = table["下関市"], table["柳井市(※)"]
        assert [c.value for c in shimonoseki[:3]] == ["下関市", 77.4, 68.9]
        assert [shown(c) for c in yanai[:3]] == ["柳井市(※)", "88.2%", "85.4%"]
        assert all(c.number_format == '0.0"%"' for c in shimonoseki[1:3])
    data = books["mynumber"]["データ"]
    pref = next(r for r in data.iter_rows(min_row=2) if r[2].value == "山口県")
    assert pref[3].number_format == "#,##0"  # the seed has rates only; counts show with separators
    assert (pref[6].value, shown(pref[6]), shown(pref[8])) == (80.1, "80.1%", "4位")


def test_material_7_keeps_the_materials_text_marks(books):
    for ws in (books["dx"]["資料7 市町のDX推進体制等"], books[MEETING]["資料7"]):
        rows = rows_of(ws)
        assert [c.value for c in rows["山口市"][2:5:2]] == ["○", "○(2名)"]
        assert rows["阿武町"][2].value == "R5予定" and rows["阿武町"][2].data_type == "s"
        assert ws.column_dimensions["D"].width >= text_width("山陽小野田市行政改革推進プロジェクト会議")
    data = rows_of(books["dx"]["データ"])
    yamaguchi = next(row for row in data.values() if row[1].value == "山口市")
    assert yamaguchi[9].value == 2 and shown(yamaguchi[9]) == "2名"


def test_material_3_and_4_counts_are_numbers(books):
    ws = books["analog_review"]["類型×状況"]
    total = rows_of(ws)["合計"]
    assert [c.value for c in total] == ["合計", 1, 1, 1, 0, 0, 3]
    assert all(c.number_format == '#,##0"件"' for c in total[1:]) and shown(total[6]) == "3件"
    effects = books["rpa"]["効果"]
    headers = [c.value for c in effects[1]]
    assert headers[-2:] == ["実行回数", "削減時間（時間）"]
    for row in effects.iter_rows(min_row=2):
        assert isinstance(row[5].value, int) and isinstance(row[6].value, float)


def test_meeting_text_materials_wrap_within_the_page(books):
    ws = books[MEETING]["資料6"]
    text = ws.cell(header_row(ws) + 1, 1)
    width = ws.column_dimensions["A"].width
    assert width <= 60 and text.alignment.wrap_text
    lines = math.ceil(text_width(text.value) / width)
    assert lines == 1 or ws.row_dimensions[text.row].height >= lines * 13
