"""A liaison imports an inventory with one bad row, fixes it, confirms the counts and submits;
staff approve; the dashboard shows the counts."""

import pytest
from playwright.sync_api import expect

from tests.analog_review.test_analog import HAGI, book
from tests.browser import ARTIFACTS, assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analog_review_journey(live_server, browser, people):
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    bad = [row[:] for row in HAGI]
    bad[2][5] = "FD規制"  # not one of the eight types
    (ARTIFACTS / "inventory-bad.xlsx").write_bytes(book(bad))
    (ARTIFACTS / "inventory-good.xlsx").write_bytes(book(HAGI))

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    login(page, base, "liaison-hagi")
    page.goto(f"{base}/analog-review/inventory/")
    assert_accessible(page, "analog-inventory-empty")
    page.get_by_role("link", name="Excelから取り込む").click()
    page.get_by_label("Excel ファイル（.xlsx）").set_input_files(str(ARTIFACTS / "inventory-bad.xlsx"))
    page.get_by_role("button", name="内容を確認する（まだ書き込みません）").click()
    expect(page.locator("#import-errors")).to_contain_text("類型「FD規制」は登録されていません")
    page.get_by_label("Excel ファイル（.xlsx）").set_input_files(str(ARTIFACTS / "inventory-good.xlsx"))
    page.get_by_role("button", name="内容を確認する（まだ書き込みません）").click()
    expect(page.get_by_text("新規 3件、更新 0件、変更なし 0件。")).to_be_visible()
    page.get_by_role("button", name="取り込む").click()
    expect(page.locator("#inventory-table")).to_contain_text("萩市火災予防条例")
    assert_accessible(page, "analog-inventory")

    page.goto(f"{base}/")
    page.get_by_role("button", name="報告を作成する").click()
    page.get_by_role("link", name="アナログ規制の点検・見直しを入力する").click()
    expect(page.locator("#analog-confirm-table")).to_contain_text("実地監査規制")
    page.get_by_label("台帳から集計した上の件数を確認しました").check()
    page.get_by_label("進める上での課題").fill("要綱・要領等の洗い出しが未了")
    assert_accessible(page, "analog-section-form")
    page.get_by_role("button", name="保存する").click()
    page.get_by_role("link", name="提出内容を確認する").click()
    page.get_by_role("button", name="この内容で提出する").click()
    expect(page.locator(".message-success")).to_contain_text("提出しました")
    logout(page)

    login(page, base, "prefecture")
    page.goto(f"{base}/reports/review/")
    page.get_by_role("link", name="萩市").click()
    page.get_by_role("button", name="承認する").click()
    logout(page)

    login(page, base, "council")
    page.get_by_role("link", name="資料4 アナログ規制の点検・見直し").first.click()
    expect(page.locator("#type-status-table tr", has_text="実地監査規制")).to_contain_text("1")
    expect(page.locator("#organisation-table")).to_contain_text("萩市")
    expect(page.locator("#chart-analog-started[data-drawn=true]")).to_be_visible()
    assert_accessible(page, "analog-dashboard")
    page.close()
