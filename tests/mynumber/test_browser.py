"""Staff import a counts workbook with one bad row, see why, fix it, import; the dashboard shows it."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def workbook(path, hagi_applications):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "データ"
    ws.append(["時点", "団体コード", "団体名", "人口", "申請件数", "交付枚数"])
    ws.append(["2023-06-30", "", "全国", 125_000_000, 97_000_000, 85_000_000])
    ws.append(["2023-06-30", "350001", "山口県", 1_310_000, 1_060_000, 960_000])
    ws.append(["2023-06-30", "352047", "萩市", 44_000, hagi_applications, 33_700])
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_counts_import_journey(live_server, browser, people):
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    login(page, base, "prefecture")
    page.goto(f"{base}/mynumber/")
    page.get_by_role("link", name="件数を取り込む").click()
    assert_accessible(page, "mynumber-import")
    page.get_by_label("Excel ファイル（.xlsx）").set_input_files(
        workbook(ARTIFACTS / "counts-bad.xlsx", 45_000)
    )
    page.get_by_role("button", name="内容を確認する（まだ書き込みません）").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("申請件数（45,000）が人口（44,000）を超えています")
    expect(errors).to_contain_text("4")  # the spreadsheet row
    assert_accessible(page, "mynumber-import-errors")

    page.get_by_label("Excel ファイル（.xlsx）").set_input_files(
        workbook(ARTIFACTS / "counts-good.xlsx", 35_600)
    )
    page.get_by_role("button", name="内容を確認する（まだ書き込みません）").click()
    expect(page.get_by_role("heading", name="確認できました: counts-good.xlsx（3行）")).to_be_visible()
    expect(page.get_by_text("新規 3行")).to_be_visible()
    page.get_by_role("button", name="取り込む").click()
    expect(page.locator(".message-success")).to_contain_text("counts-good.xlsx を取り込みました")
    expect(page.locator(".as-of")).to_contain_text("令和5年6月末現在")
    expect(page.locator("#prefecture-block")).to_contain_text("80.9% (全国77.6%)")
    expect(page.locator("#mynumber-table")).to_contain_text("76.6%")  # 萩市 33,700 / 44,000
    expect(page.locator("#chart-mynumber-trend[data-drawn=true]")).to_be_visible()
    assert_accessible(page, "mynumber-dashboard")
    page.close()
