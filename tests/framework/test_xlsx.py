"""The one Excel writer: what every sheet gets (borders, a styled frozen header, fitted widths,
wrapped text with row heights, A4 landscape one page wide, print titles, a footer, the book's
title and author), what `Column`s add (number formats, widths), and that it stays safe (formula
escaping) and streamed (rows past the fitting sample)."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone

from council.framework.xlsx import (
    FIT_SAMPLE,
    MAX_WIDTH,
    Column,
    Sheet,
    format_number,
    text_width,
    write_workbook,
)
from tests.exports.checks import assert_prints_like_the_materials, shown


def written(*sheets, **kwargs) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_workbook(sheets, buffer, **kwargs)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def test_a_plain_sheet_gets_the_standard_look():
    wb = written(Sheet(title="一覧", headers=["団体名", "件数"], rows=[["下関市", 3], ["山陽小野田市", 12]]))
    ws = wb["一覧"]
    assert_prints_like_the_materials(ws)
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.oddFooter.center.text == "&A　&P / &N"  # the sheet's name, page / pages
    header = ws["A1"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("DDEBF7")
    for cell in (ws["A1"], ws["B1"], ws["A3"], ws["B3"]):
        assert cell.border.left.style == cell.border.right.style == "thin"
        assert cell.border.top.style == cell.border.bottom.style == "thin"
    assert ws["B3"].value == 12 and ws["A3"].alignment.wrap_text
    # fitted: 山陽小野田市 is six full-width characters, twelve half-widths
    assert ws.column_dimensions["A"].width >= 12


def test_the_title_and_author_of_the_book():
    wb = written(
        Sheet(title="表", preface=["マイナンバーカードの申請・交付状況について"], headers=["a"], rows=[])
    )
    assert wb.properties.title == "マイナンバーカードの申請・交付状況について"
    assert wb.properties.creator == settings.PORTAL_MAIL_NAME
    wb = written(Sheet(title="表", headers=["a"], rows=[]), title="資料5（令和5年3月末現在）", author="県")
    assert (wb.properties.title, wb.properties.creator) == ("資料5（令和5年3月末現在）", "県")


def test_numbers_stay_numbers_with_their_columns_display_format():
    wb = written(
        Sheet(
            title="資料2",
            headers=["市町名", "R4.4時点", "R5.4時点", "予算"],
            rows=[["下関市", 8, 22, 376188], ["宇部市", None, 26, 0]],
            columns=[Column(), Column('0"手続"'), Column('0"手続"'), Column('#,##0"千円"')],
        )
    )
    ws = wb["資料2"]
    row = ws[2]
    assert [c.value for c in row] == ["下関市", 8, 22, 376188]
    assert [c.number_format for c in row[1:]] == ['0"手続"', '0"手続"', '#,##0"千円"']
    assert [shown(c) for c in row] == ["下関市", "8手続", "22手続", "376,188千円"]
    assert ws["B3"].value is None and ws["B3"].border.left.style == "thin"  # an empty cell keeps its frame


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (8, '0"手続"', "8手続"),
        (77.4, '0.0"%"', "77.4%"),
        (80.1, '0.0"% (全国76.8%)"', "80.1% (全国76.8%)"),
        (376188, '#,##0"千円"', "376,188千円"),
        (4, '0"位"', "4位"),
        (1234.5, "#,##0.0", "1,234.5"),
        (3, '"第"0"四半期"', "第3四半期"),
        ("全業務", '0"手続"', "全業務"),
        (None, '0"手続"', None),
        (5, None, 5),
        (5, "General", 5),
    ],
)
def test_format_number_shows_what_excel_shows(value, number_format, text):
    assert format_number(value, number_format) == text


def test_text_stays_text_and_dates_get_a_date_format():
    aware = timezone.make_aware(datetime(2023, 5, 11, 9, 30))
    wb = written(
        Sheet(
            title="t",
            headers=["業務", "時点", "日時"],
            rows=[["全業務", date(2023, 3, 31), aware], ["R5予定", None, None], ["○(2名)", None, None]],
        )
    )
    ws = wb["t"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["全業務", "R5予定", "○(2名)"]
    assert all(ws.cell(r, 1).data_type == "s" for r in (2, 3, 4))
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["C2"].value == datetime(2023, 5, 11, 9, 30) and ws["C2"].number_format == "yyyy-mm-dd hh:mm"


def test_formula_like_text_is_still_escaped():
    wb = written(
        Sheet(
            title="t",
            preface=["=cmd|' /C calc'!A0"],
            headers=["=SUM(A1)", "名前"],
            rows=[["=1+1", "+81 3", "-2", "@x"]],
            footer=[["=HYPERLINK()"]],
        )
    )
    ws = wb["t"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert ws["A1"].value == "'=cmd|' /C calc'!A0"
    assert ws["A3"].value == "'=SUM(A1)"
    assert [c.value for c in ws[4]] == ["'=1+1", "'+81 3", "'-2", "'@x"]


def test_multi_line_cells_wrap_and_their_row_shows_every_line():
    phases = "18業務について現行システムの概要調査(一部)\n18業務についてRFI資料の作成\n18業務についてRFIの実施\n18業務についてRFI結果(一部)"
    wb = written(
        Sheet(
            title="資料1",
            headers=["市町", "完了済みフェーズ"],
            rows=[["下関市", "全業務"], ["宇部市", phases]],
        )
    )
    ws = wb["資料1"]
    assert ws["B3"].value == phases and ws["B3"].alignment.wrap_text
    assert ws.row_dimensions[3].height >= 4 * 15  # four lines of 10 pt text
    assert ws.row_dimensions[2].height is None  # one line: the application's own height
    # the column is as wide as the longest line, not the whole text, so nothing wraps twice
    longest = max(text_width(line) for line in phases.split("\n"))
    assert longest <= ws.column_dimensions["B"].width < longest + 6


def test_long_text_is_capped_and_wrapped_with_the_height_it_needs():
    note = "（ポータルで管理するデータはありません）" * 8  # 160 half-widths
    ws = written(Sheet(title="資料6", headers=["内容"], rows=[[note]]))["資料6"]
    assert ws.column_dimensions["A"].width == MAX_WIDTH
    assert ws.row_dimensions[2].height >= 3 * 15


def test_explicit_widths_win_over_fitting():
    ws = written(
        Sheet(
            title="t",
            headers=["a", "b", "c"],
            rows=[["x", "y", "z"]],
            columns=[Column(width=30)],
            widths=[5, 7],
        )
    )["t"]
    assert [ws.column_dimensions[c].width for c in "ABC"] == [30, 7, 6]


def test_preface_footer_table_and_notes():
    """資料5's layout: a title, the prefecture's row, then the municipalities' table with its own
    header and formats, then a note; the header row under the title is the one repeated."""
    wb = written(
        Sheet(
            title="資料5",
            preface=["マイナンバーカードの申請・交付状況について", "(令和5年3月末現在)"],
            headers=["申請率", "全国順位", "交付率", "全国順位"],
            rows=[[80.1, 4, 72.6, 4]],
            columns=[
                Column('0.0"% (全国76.8%)"'),
                Column('0"位"'),
                Column('0.0"% (全国67.0%)"'),
                Column('0"位"'),
            ],
            footer=[
                [],
                ["市町名", "申請率", "交付率"],
                ["下関市", 77.4, 68.9],
                [],
                ["※柳井市は、特別区・市の中で…"],
            ],
            footer_columns=[Column(), Column('0.0"%"'), Column('0.0"%"')],
        )
    )
    ws = wb["資料5"]
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$4:$4"
    assert [shown(c) for c in ws[5]] == ["80.1% (全国76.8%)", "4位", "72.6% (全国67.0%)", "4位"]
    assert ws["A7"].value == "市町名" and ws["A7"].font.b and ws["C7"].border.top.style == "thin"
    assert [shown(c) for c in ws[8]][:3] == ["下関市", "77.4%", "68.9%"]
    assert ws["B8"].value == 77.4 and ws["D8"].value is None and ws["D8"].border.left.style is None
    assert ws["A10"].value.startswith("※柳井市") and ws["A10"].border.left.style is None
    assert ws["A1"].font.b and ws["A1"].font.sz == 12
    assert_prints_like_the_materials(ws)


def test_a_title_wider_than_the_table_runs_on_and_is_printed():
    title = "子育て(15手続)・介護(11手続)・被災者支援(1手続)、計27手続のマイナポータル活用状況"
    ws = written(Sheet(title="t", preface=[title], headers=["市町名", "件数"], rows=[["下関市", 1]]))["t"]
    assert ws.max_column == 2  # the table's columns only: readers of the values see the table
    assert ws.print_area is not None and ws.print_area.endswith("$4")
    last = ws.print_area.split(":")[1].split("$")[1]
    width = sum(ws.column_dimensions[c].width for c in "AB") + 8.43 * (
        openpyxl.utils.column_index_from_string(last) - 2
    )
    assert width >= text_width(title) * 1.2


def test_rows_past_the_fitting_sample_stream_and_still_wrap():
    rows = (["団体", "短い"] for _ in range(FIT_SAMPLE))
    late = ["最後の団体", "長い行\n二行目\n三行目"]
    ws = written(Sheet(title="t", headers=["団体名", "メモ"], rows=(r for r in [*rows, late])))["t"]
    last = FIT_SAMPLE + 2
    assert ws.cell(last, 2).value == late[1] and ws.cell(last, 2).alignment.wrap_text
    assert ws.row_dimensions[last].height >= 3 * 15
