import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from council.framework.xlsx import Sheet, escape_cell, unescape_cell, write_workbook
from council.models import DXStructure

# 資料7 as printed in the materials of 2023-05-11 (市町名, 担当所属, 全体方針の策定, 全庁的なDX推進体制,
# 外部人材確保(CIO補佐官等), 情報職の採用); an empty cell is an empty string.
MATERIALS_TABLE_7 = """\
下関市|情報政策課DX推進室|○|下関市IT推進本部|○(1名)|
宇部市|デジタル推進課|○|宇部市DX推進本部|○|
山口市|デジタル推進課|○|山口市DX推進本部|○(2名)|
萩市|DX推進室|○|萩市DX推進本部||○(1名)
防府市|デジタル推進課|○|防府市デジタル推進本部||
下松市|デジタル推進課|○|下松市ICT推進プロジェクト本部||
岩国市|デジタル推進課|○|岩国市デジタル化推進会議|○|
光市|情報・DX推進課|○|光市行政改革推進本部|○(1名)|
長門市|デジタル戦略課|○|長門市デジタル推進本部|○(1名)|
柳井市|政策企画課|○|柳井市DX推進本部||
美祢市|デジタル推進課|○|美祢市DX推進本部|○(1名)|
周南市|スマートシティ推進課|○|周南市スマートシティ推進本部|○(2名)|
山陽小野田市|デジタル推進課||山陽小野田市行政改革推進プロジェクト会議|○(1名)|
周防大島町|政策企画課DX推進班|○|周防大島町DX推進本部||
和木町|企画総務課||和木町DX推進本部||
上関町|総務課||||
田布施町|企画財政課デジタル推進室|○|田布施町デジタル推進本部||
平生町|デジタル推進課|○|DX推進委員会||
阿武町|総務課|R5予定|総務課||"""
HEADERS = [
    "市町名",
    "担当所属",
    "全体方針の策定",
    "全庁的なDX推進体制",
    "外部人材確保(CIO補佐官等)",
    "情報職の採用",
]


def read_table(book, sheet="資料7 市町のDX推進体制等"):
    rows = [[("" if v is None else v) for v in row] for row in book[sheet].iter_rows(values_only=True)]
    start = rows.index(HEADERS)
    return rows[:start], rows[start + 1 :]


def test_download_reproduces_material_7_cell_for_cell(client, staff):
    client.force_login(staff)
    response = client.get("/council/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dx_structure_2022-Q4.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    preface, body = read_table(book)
    assert preface[0][0] == "市町のDX推進体制等"
    assert "令和5年3月末時点" in preface[1][0]
    assert body == [line.split("|") for line in MATERIALS_TABLE_7.splitlines()]


def test_long_sheet_has_codes_and_counts(client, staff):
    client.force_login(staff)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/council/export.xlsx").streaming_content)))
    rows = list(book["データ"].iter_rows(values_only=True))
    assert rows[0][:3] == ("団体コード", "団体名", "報告期間")
    yamaguchi = next(r for r in rows if r[1] == "山口市")
    assert yamaguchi[0] == "352039" and yamaguchi[9] == 2 and yamaguchi[2] == "令和4年度 第4四半期"
    assert len(rows) == 20


def test_command_writes_the_same_book_as_the_download(client, staff, tmp_path):
    client.force_login(staff)
    downloaded = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get("/council/export.xlsx?period=2022-Q4").streaming_content))
    )
    out = tmp_path / "dx.xlsx"
    call_command("export_xlsx", "dx", str(out), "--period", "2022-Q4", stdout=io.StringIO())
    written = openpyxl.load_workbook(out)
    assert downloaded.sheetnames == written.sheetnames
    for name in written.sheetnames:
        assert list(downloaded[name].iter_rows(values_only=True)) == list(
            written[name].iter_rows(values_only=True)
        )


def test_command_defaults_to_latest_approved_period(tmp_path, seeded):
    out = tmp_path / "dx.xlsx"
    stdout = io.StringIO()
    call_command("export_xlsx", "dx", str(out), stdout=stdout)
    assert "令和4年度 第4四半期" in stdout.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuchapp"], "の出力はありません"),
        (["dx", "--period", "2023Q1"], "形式: 2023-Q1"),
        (["dx", "--period", "2031-Q1"], "はありません"),
    ],
)
def test_command_errors_are_japanese(tmp_path, seeded, args, message):
    out = tmp_path / "x.xlsx"
    with pytest.raises(CommandError) as info:
        call_command("export_xlsx", args[0], str(out), *args[1:])
    assert message in str(info.value)
    assert not out.exists()


def test_formula_like_text_is_escaped(client, staff):
    DXStructure.objects.filter(report__municipality__slug="hagi").update(department='=HYPERLINK("http://x")')
    DXStructure.objects.filter(report__municipality__slug="ube").update(promotion_body="@SUM(1)")
    client.force_login(staff)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/council/export.xlsx").streaming_content)))
    _, body = read_table(book)
    assert body[3][1] == '\'=HYPERLINK("http://x")'
    assert body[1][3] == "'@SUM(1)"
    sheet = book["資料7 市町のDX推進体制等"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@a", "\tx", "\rx"])
def test_escape_round_trip(text):
    assert escape_cell(text) == "'" + text
    assert unescape_cell(escape_cell(text)) == text
    assert escape_cell("普通の文字") == "普通の文字"
    assert escape_cell(-1) == -1  # numbers are numbers


def test_write_workbook_writes_preface_header_and_footer(tmp_path):
    out = tmp_path / "t.xlsx"
    write_workbook(
        [Sheet(title="表", headers=["a", "b"], rows=[[1, "x"]], preface=["題"], footer=[["合計", 1]])], out
    )
    rows = list(openpyxl.load_workbook(out)["表"].iter_rows(values_only=True))
    assert rows == [("題", None), (None, None), ("a", "b"), (1, "x"), ("合計", 1)]


@pytest.mark.parametrize("preface", [[], ["資料7 市町のDX推進体制等", "令和5年3月末時点"]])
def test_the_header_row_stays_in_view_when_scrolling(tmp_path, preface):
    """Frozen panes keep everything above the first data row: the preface, its blank line and the header."""
    out = tmp_path / "book.xlsx"
    write_workbook(
        [Sheet(title="表", preface=preface, headers=["市町名", "担当所属"], rows=[["萩市", "総務課"]])], out
    )
    ws = openpyxl.load_workbook(out).active
    first_data_row = ws.freeze_panes.removeprefix("A")
    assert [c.value for c in ws[int(first_data_row)]] == ["萩市", "総務課"]
    assert [c.value for c in ws[int(first_data_row) - 1]] == ["市町名", "担当所属"]
