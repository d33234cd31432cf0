"""資料3 by fiscal year (April–March): results filed under their fiscal year, every year with data
selectable, one definition of participating in a year for the table, the chart and the Excel, and
「程度」 only where the materials say it."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from council import services
from tests.rpa.test_rpa import MATERIALS_TABLE_3, save, scenario

#: the materials (2023-05-11, 資料3) on the two years' numbers of scenarios, as printed
MATERIALS_R4 = "以下 5 業務について R P A シナリオ作成・業務での運用"
MATERIALS_R5 = "昨年度同様、5業務程度でシナリオ作成を行い"


@pytest.fixture
def hagi_q1_approved(hagi, liaison, staff, q1):
    """萩市 reports ③'s effect for April–June 2023 and joins ⑤; staff approve."""
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    save(
        report,
        liaison,
        usage=[{"scenario_id": scenario(3).pk, "runs": 40, "hours_saved": Decimal("12.5")}],
        requests=[{"scenario_id": scenario(5).pk, "action": "join"}],
    )
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    return report


def chart_rows(page: str, key: str) -> list[list]:
    """The chart's data table (the figure's numbers as the page offers them in text)."""
    after = page.split(f'id="chart-{key}"', 1)[1]
    body = re.search(r"<tbody>(.*?)</tbody>", after, re.S).group(1)
    rows = []
    for head, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body, re.S):
        values = re.findall(r"<td>(.*?)</td>", cells)
        rows.append([head, int(values[0]), values[1]])
    return rows


def book(client, query=""):
    response = client.get(reverse("rpa:export") + query)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_april_to_june_2023_is_filed_under_reiwa_5(client, member, hagi_q1_approved):
    client.force_login(member)
    page = client.get(reverse("rpa:dashboard")).content.decode()
    assert re.search(r'<option value="2023" selected>令和5年度</option>', page)
    assert '<option value="2022">令和4年度</option>' in page
    assert 'data-kpi="hours">12.5<' in page
    r4 = client.get(reverse("rpa:dashboard") + "?year=2022").content.decode()
    assert 'data-kpi="hours">0<' in r4 and "実行回数・削減時間の承認済みの報告はまだありません" in r4
    assert client.get(reverse("rpa:dashboard") + "?year=2023").status_code == 200
    assert client.get(reverse("rpa:dashboard") + "?year=2031").status_code == 404


def test_2023_is_selectable_before_any_report(client, member):
    client.force_login(member)
    page = client.get(reverse("rpa:dashboard") + "?year=2023").content.decode()
    assert '<option value="2023" selected>令和5年度</option>' in page


def test_table_chart_and_excel_agree_on_who_participated(client, member, staff, hagi_q1_approved):
    client.force_login(member)
    r4 = client.get(reverse("rpa:dashboard") + "?year=2022").content.decode()
    fifth = "【⑤会計年度任用職員の勤怠管理業務】"
    scenario_list = r4[r4.index('id="rpa-table"') :]  # after the charts (and their data tables)
    table = re.search(rf"<th scope=\"row\">{fifth}</th><td>(.*?)</td>", scenario_list).group(1)
    chart = next(row for row in chart_rows(r4, "rpa-participation") if row[0] == fifth)
    assert sorted(table.split("・")) == sorted(chart[2].split("・")) and chart[1] == 8 and "萩市" not in table
    # the materials' own list for 令和4年度
    assert dict(MATERIALS_TABLE_3)[fifth] == table
    r5 = client.get(reverse("rpa:dashboard") + "?year=2023").content.decode()
    chart5 = next(row for row in chart_rows(r5, "rpa-participation") if row[0] == fifth)
    assert chart5[1] == 9 and "萩市" in chart5[2]
    client.force_login(staff)
    sheet = book(client, "?period=2022")["資料3 RPA等共同利用"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0] == fifth}
    assert rows[fifth] == table


def test_the_excel_effects_sheet_holds_what_the_dashboard_shows(client, staff, hagi_q1_approved):
    client.force_login(staff)
    effects = list(book(client)["効果"].iter_rows(values_only=True))
    assert effects[0][:7] == (
        "団体コード",
        "団体名",
        "年度",
        "四半期",
        "シナリオ",
        "実行回数",
        "削減時間（時間）",
    )
    assert len(effects) == 2
    assert (
        effects[1][1:4] == ("萩市", "令和5年度", 1) and effects[1][5] == 40 and float(effects[1][6]) == 12.5
    )
    assert len(list(book(client, "?period=2022")["効果"].iter_rows(values_only=True))) == 1  # headers only


def test_teido_only_where_the_materials_say_it(client, member):
    client.force_login(member)
    page = client.get(reverse("rpa:dashboard") + "?year=2022").content.decode()
    assert "程度" not in MATERIALS_R4 and "5業務程度" in MATERIALS_R5
    assert "シナリオ作成 5業務。" in page  # 令和4年度: 「以下5業務について」
    assert "シナリオ作成 5業務程度。" in page  # 令和5年度: 「5業務程度でシナリオ作成」
    assert page.count("5業務程度") == 2  # the 令和5年度 heading and its text, not 令和4年度's
