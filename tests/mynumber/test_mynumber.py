"""資料5: snapshots, derived rates, the materials' table, the counts import."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from council.framework.imports import run_import
from mynumber.imports import CountsImporter
from mynumber.models import Snapshot, SnapshotRow, derived_rate
from tests.exports.checks import shown

MATERIALS_TABLE_5 = [
    ("下関市", "77.4%", "68.9%"),
    ("宇部市", "77.4%", "68.0%"),
    ("山口市", "79.1%", "71.3%"),
    ("萩市", "80.0%", "75.5%"),
    ("防府市", "83.0%", "75.6%"),
    ("下松市", "80.2%", "73.0%"),
    ("岩国市", "83.8%", "78.2%"),
    ("光市", "80.9%", "75.2%"),
    ("長門市", "82.4%", "78.0%"),
    ("柳井市(※)", "88.2%", "85.4%"),
    ("美祢市", "78.7%", "72.0%"),
    ("周南市", "81.6%", "72.8%"),
    ("山陽小野田市", "78.8%", "72.0%"),
    ("周防大島町", "75.9%", "70.0%"),
    ("和木町", "84.0%", "78.6%"),
    ("上関町", "75.0%", "71.1%"),
    ("田布施町", "80.5%", "74.7%"),
    ("平生町", "80.7%", "74.9%"),
    ("阿武町", "84.6%", "80.6%"),
]


@pytest.mark.parametrize(
    ("part", "whole", "rate"),
    [
        (774, 1000, "77.4"),
        (7745, 10000, "77.5"),
        (77449, 100000, "77.4"),
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (0, 5, "0.0"),
        (5, 5, "100.0"),
    ],
)
def test_derived_rates_round_half_up_to_one_decimal(part, whole, rate):
    assert derived_rate(part, whole) == Decimal(rate)


def test_export_reproduces_material_5(client, staff):
    client.force_login(staff)
    response = client.get(reverse("mynumber:export"))
    assert response["Content-Disposition"].startswith('attachment; filename="mynumber_2023-03-31.xlsx"')
    cells = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))[
            "資料5 申請・交付状況"
        ].iter_rows()
    )
    # as a spreadsheet shows them: numbers in their display format (the values stay numbers)
    rows = [tuple(shown(c) for c in row) for row in cells]
    assert rows[1][0] == "(令和5年3月末現在)"
    header = rows.index(("申請率", "全国順位", "交付率", "全国順位"))
    assert rows[header + 1] == ("80.1% (全国76.8%)", "4位", "72.6% (全国67.0%)", "4位")
    assert [c.value for c in cells[header + 1]] == [80.1, 4, 72.6, 4]
    table = rows.index(("市町名", "申請率", "交付率", None))
    assert [tuple(r[:3]) for r in rows[table + 1 : table + 20]] == MATERIALS_TABLE_5
    assert rows[table + 21][0] == "※柳井市は、特別区・市の中で、申請率全国4位、交付率全国3位"


def test_dashboard_shows_block_ranking_and_leader(client, member):
    client.force_login(member)
    page = client.get(reverse("mynumber:dashboard")).content.decode()
    assert "80.1% (全国76.8%)" in page and "4位" in page
    assert "※柳井市は、特別区・市の中で、申請率全国4位、交付率全国3位" in page
    assert "交付率が最も高いのは柳井市" in page
    assert 'id="chart-mynumber-ranking"' in page
    assert client.get(reverse("mynumber:dashboard") + "?as_of=2031-01-01").status_code == 404


def counts_book(rows, as_of="2023-06-30"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "データ"
    ws.append(["時点", "団体コード", "団体名", "人口", "申請件数", "交付枚数"])
    for row in rows:
        ws.append([as_of, *row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = [
    ["", "全国", 125_000_000, 97_000_000, 85_000_000],
    ["350001", "山口県", 1_310_000, 1_060_000, 960_000],
    ["352047", "萩市", 44_000, 35_600, 33_700],
]


def test_import_of_counts_derives_rates_and_adds_a_snapshot(client, member, staff):
    result = run_import(CountsImporter(), counts_book(GOOD), staff, commit=True)
    assert result.ok, result.errors
    snapshot = Snapshot.objects.get(as_of=date(2023, 6, 30))
    hagi = snapshot.rows.get(organisation__slug="hagi")
    assert (hagi.application_rate, hagi.issuance_rate) == (Decimal("80.9"), Decimal("76.6"))
    national = snapshot.rows.get(organisation__isnull=True)
    assert national.application_rate == Decimal("77.6")
    client.force_login(member)
    page = client.get(reverse("mynumber:dashboard")).content.decode()
    assert "令和5年6月末現在" in page and 'id="chart-mynumber-trend"' in page  # two snapshots: a trend
    again = run_import(CountsImporter(), counts_book(GOOD), staff, commit=True)
    assert "新規 0行、更新 0行、変更なし 3行" in again.summary


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["352047", "萩市", 44_000, 45_000, 30_000], "申請件数", "人口（44,000）を超えています"),
        (["352047", "萩市", 44_000, 30_000, 31_000], "交付枚数", "申請件数（30,000）を超えています"),
        (["352047", "萩市", 0, 0, 0], "人口", "0 のため"),
        (["352047", "萩市", 44_000, None, 30_000], "人口", "3つそろえて"),
        (["352047", "萩市", -5, 0, 0], "人口", "範囲"),
        (["352047", "萩市", "四万", 1, 1], "人口", "数値ではありません"),
        (["999999", "", 1, 1, 1], "団体コード", "登録されていません"),
        (["352047", "宇部市", 10, 1, 1], "団体名", "一致しません"),
        (["350001", "山口県", 10, 1, 1], "団体コード", "2行目にもあります"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(staff, row, column, message):
    before = SnapshotRow.objects.count()
    rows = [["350001", "山口県", 1_310_000, 1_060_000, 960_000], row]
    result = run_import(CountsImporter(), counts_book(rows), staff, commit=True)
    assert any(e.column == column and message in e.message for e in result.errors), result.errors
    assert SnapshotRow.objects.count() == before
    assert not Snapshot.objects.filter(as_of=date(2023, 6, 30)).exists()


def test_two_dates_in_one_file_are_refused(staff):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["時点", "団体コード", "団体名", "人口", "申請件数", "交付枚数"])
    ws.append(["2023-06-30", "352047", "萩市", 10, 5, 1])
    ws.append(["2023-07-31", "352021", "宇部市", 10, 5, 1])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = run_import(CountsImporter(), buffer.getvalue(), staff, commit=True)
    assert any("1つの時点だけ" in e.message for e in result.errors)


def test_export_import_round_trip(client, staff):
    client.force_login(staff)
    content = b"".join(client.get(reverse("mynumber:export")).streaming_content)
    fields = ("organisation_id", "application_rate", "issuance_rate", "application_rank", "rank_note")
    before = sorted(SnapshotRow.objects.values_list(*fields), key=lambda t: t[0] or 0)
    result = run_import(CountsImporter(), content, staff, commit=True)
    assert result.ok, result.errors
    assert "変更なし 21行" in result.summary
    assert sorted(SnapshotRow.objects.values_list(*fields), key=lambda t: t[0] or 0) == before


def test_roles(client, staff, liaison, member):
    for user, expected in ((staff, [200, 200, 200]), (liaison, [200, 404, 404]), (member, [200, 404, 404])):
        client.force_login(user)
        codes = [
            client.get(reverse(name)).status_code
            for name in ("mynumber:dashboard", "mynumber:export", "mynumber:import")
        ]
        assert codes == expected, user


def test_query_counts_do_not_grow(client, member, count_queries, grow_prefecture, seeded):
    from council.models import Municipality

    client.force_login(member)
    url = reverse("mynumber:dashboard")
    client.get(url)
    at_19 = count_queries(lambda: client.get(url))
    grown = grow_prefecture(181)  # the synthetic hook gives each new town its counts at the snapshot
    assert SnapshotRow.objects.filter(snapshot=Snapshot.objects.get(), organisation__in=grown).count() == 181
    assert Municipality.objects.count() == 201
    assert count_queries(lambda: client.get(url)) == at_19
