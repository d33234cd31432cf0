"""Uploads are bounded by what they expand to (`council.framework.workbooks`), validation stops
at a capped number of errors, every message names its column in Japanese, and a dry run whose file
cannot be kept (a full disk) says so and leaves nothing behind. The refusals of each hostile file,
with the every-table fingerprint, are cases of `test_bad_input`; here is what those cannot show."""

import random
import re

import openpyxl
import pytest
from django.db import connection

from council.framework.imports import MAX_ERRORS, SHOWN_ERRORS, Importer, read_sheet, run_import
from council.framework.workbooks import MAX_COLUMNS, MAX_DATA_ROWS, WorkbookRefused, check_archive
from council.models import ImportStash
from tests.hardening import hostile_files as hostile
from tests.hardening.test_bad_input import COUNTS, INVENTORY, ONLINE, STD, fingerprint, xlsx


class Plain(Importer):
    headers = ONLINE


def test_openpyxl_parses_uploads_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True  # set when defusedxml is installed, unless disabled


def test_the_last_allowed_row_is_read():
    content = hostile.many_rows(ONLINE, lambda i: ["352047", "萩市", "2023-Q1", i], MAX_DATA_ROWS)
    rows, errors = read_sheet(content, Plain())
    assert errors == []
    assert len(rows) == MAX_DATA_ROWS and rows[-1].number == MAX_DATA_ROWS + 1
    assert rows[-1].values["利用手続数"] == MAX_DATA_ROWS - 1


def test_the_last_allowed_column_is_read():
    headers = [f"列{i}" for i in range(1, MAX_COLUMNS + 1)]
    content = hostile.many_rows(headers, lambda i: list(range(i, i + MAX_COLUMNS)), 3)
    rows, errors = read_sheet(content, type("Wide", (Importer,), {"headers": headers})())
    assert errors == []
    assert [r.values[f"列{MAX_COLUMNS}"] for r in rows] == [MAX_COLUMNS - 1, MAX_COLUMNS, MAX_COLUMNS + 1]


def test_a_sheet_whose_dimension_lies_is_read_whole():
    honest = hostile.workbook(ONLINE, [["352047", "萩市", "2023-Q1", n] for n in range(5)])
    sheet = hostile.part(honest, hostile.SHEET)
    assert b'<dimension ref="A1:D6" />' in sheet
    lying = hostile.replace_part(honest, hostile.SHEET, lambda: [sheet.replace(b"A1:D6", b"A1:B2")])
    rows, errors = read_sheet(lying, Plain())
    assert errors == [] and [r.values["利用手続数"] for r in rows] == [0, 1, 2, 3, 4]


def test_empty_rows_far_down_cost_nothing_and_are_ignored():
    content = hostile.replace_part(
        hostile.workbook(ONLINE, []),
        hostile.SHEET,
        lambda: [
            f'<?xml version="1.0"?><worksheet {hostile.NS}><sheetData>'.encode(),
            hostile._header_row(ONLINE),
            b'<row r="2"><c t="inlineStr"><is><t>352047</t></is></c></row>',
            b'<row r="1048576"><c t="inlineStr"><is><t></t></is></c></row>',
            b"</sheetData></worksheet>",
        ],
    )
    rows, errors = read_sheet(content, Plain())
    assert errors == [] and [r.number for r in rows] == [2]


@pytest.mark.parametrize(
    "limits, content, message",
    [
        ({"PORTAL_MAX_UNCOMPRESSED_BYTES": 10_000}, lambda: xlsx(ONLINE, [["x" * 20_000]]).read(), "展開後"),
        (
            {"PORTAL_MAX_LOADED_PART_BYTES": 20_000},
            lambda: hostile.huge_loaded_part(ONLINE, hostile.STRINGS, 30_000),
            "xl/sharedStrings.xml」が大きすぎます",
        ),
    ],
)
def test_the_limits_are_settings(settings, limits, content, message):
    for name, value in limits.items():
        setattr(settings, name, value)
    with pytest.raises(WorkbookRefused) as refused:
        check_archive(content())
    assert message in refused.value.message


def test_an_ordinary_workbook_passes_the_archive_check():
    check_archive(
        xlsx(STD, [["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 3, "", None, None]] * 50).read()
    )


def test_validation_stops_at_the_cap_and_the_page_shows_the_first_errors(client, staff):
    client.force_login(staff)
    content = hostile.many_rows(
        STD, lambda i: ["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", f"x{i}", "", None, None], 5_000
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = fingerprint()
    response = client.post("/standardization/import/", {"file": SimpleUploadedFile("bad.xlsx", content)})
    page = response.content.decode()
    assert response.status_code == 400 and fingerprint() == before
    assert f"取り込めません: {MAX_ERRORS}件以上の誤り（何も書き込んでいません）" in page
    assert (
        f"誤りが多いため、{MAX_ERRORS + 1}行目で確認を打ち切りました。最初の{SHOWN_ERRORS}件を示します。"
        in page
    )
    table = page.split('<table id="import-errors">')[1].split("</table>")[0]
    assert table.count("<tr>") == SHOWN_ERRORS + 1  # the header and the first errors
    assert "「x0」は数値ではありません" in table and f"「x{SHOWN_ERRORS}」" not in table
    assert len(page) < 100_000


def test_fewer_errors_than_the_cap_are_counted_exactly(staff):
    content = hostile.many_rows(
        STD, lambda i: ["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", f"x{i}", "", None, None], 150
    )
    from standardization.imports import StepProgressImporter

    result = run_import(StepProgressImporter(), content, staff, commit=False)
    assert len(result.errors) == 150 and not result.stopped
    assert len(result.shown_errors) == SHOWN_ERRORS and result.unshown_errors == 50


IMPORTS = [
    ("/standardization/import/", STD, "データ", "staff"),
    ("/online-procedures/import/", ONLINE, "データ", "staff"),
    (
        "/mynumber/import/",
        [*COUNTS, "申請率", "交付率", "申請率全国順位", "交付率全国順位", "注記"],
        "データ",
        "staff",
    ),
    (
        "/analog-review/inventory/import/",
        [*INVENTORY, "該非", "見直しの方向性", "状況", "目標時期", "備考"],
        "台帳",
        "liaison",
    ),
]


@pytest.mark.parametrize("url, headers, title, who", IMPORTS)
@pytest.mark.parametrize("junk", ["長" * 400, "--1", "①", "NaN", "9" * 5000, "0001-01-01", "=1+1", "\u202e"])
def test_every_message_names_a_column_by_its_japanese_header(
    client, staff, liaison, url, headers, title, who, junk
):
    client.force_login(staff if who == "staff" else liaison)
    before = fingerprint()
    response = client.post(url, {"file": xlsx(headers, [[junk] * len(headers)], title=title)})
    assert response.status_code == 400 and fingerprint() == before
    table = response.content.decode().split('<table id="import-errors">')[1].split("</table>")[0]
    columns = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", table)
    assert columns and set(columns) <= {*headers, "—"}
    messages = re.findall(r"</td><td>([^<]*)</td></tr>", table)
    assert not any(re.search(r"\b[a-z]+_[a-z_]+\b|\breference\b|\bNone\b", m) for m in messages), messages
    assert all(len(m) < 300 for m in messages)  # a pasted essay is quoted by its start


@pytest.fixture
def disk_full():
    """The next write of an import stash fails as a full disk does, on this database (and only for
    this test: SQLite's pragma outlives the test's transaction, so it is put back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # rolled back with the test's transaction
            cursor.execute(
                "CREATE FUNCTION pg_temp.disk_full() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; "
                "END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER disk_full BEFORE INSERT ON {ImportStash._meta.db_table} "
                "FOR EACH ROW EXECUTE FUNCTION pg_temp.disk_full()"
            )
            yield
            return
        # SQLite's own "database or disk is full": no page may be added
        cursor.execute("PRAGMA max_page_count")
        limit = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0]}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA max_page_count = {limit}")


def test_a_full_disk_at_the_dry_run_says_so_and_leaves_nothing(client, staff, request):
    client.force_login(staff)
    before = fingerprint()
    request.getfixturevalue("disk_full")  # after the fingerprint: reading needs no page
    # random text beside the row: on SQLite the file needs pages the full database cannot give
    noise = "".join(random.Random(1).choices("あいうえおかきくけこ0123456789", k=30_000))
    row = ["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 3, "", None, None, noise]
    response = client.post("/standardization/import/", {"file": xlsx([*STD, "メモ"], [row])})
    page = response.content.decode()
    assert response.status_code == 503
    assert (
        "ファイルを取り込みまで保管できませんでした（サーバーの空き容量の不足など）。何も書き込んでいません。"
        in page
    )
    assert 'name="token"' not in page  # no confirm button for a file that was not kept
    assert fingerprint() == before and not ImportStash.objects.exists()
