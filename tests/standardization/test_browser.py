"""A liaison updates two steps and a planned date; staff approve; the heat map and カルテ show it."""

import pytest
from playwright.sync_api import expect

from tests.browser import approve_as_staff, assert_accessible, login, logout, submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_standardization_journey(live_server, browser, people):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")

    login(page, base, "liaison-hagi")
    page.get_by_role("button", name="報告を作成する").click()
    page.get_by_role("link", name="情報システムの標準化・共通化を編集する").click()
    expect(page.get_by_label("推進体制の立ち上げ: 完了した業務数")).to_have_value("20")  # carried forward
    page.get_by_label("現行システムの概要調査: 完了した業務数").fill("12")
    page.get_by_label("現行システムの概要調査: 一部").check()
    page.get_by_label("標準仕様との比較分析: 完了予定日").fill("2023-05-31")
    # tick operations one by one for 標準仕様との比較分析: the count follows from the ticks
    page.get_by_text("業務を選ぶ（標準仕様との比較分析）").click()
    for name in ("児童手当", "住民基本台帳", "戸籍"):
        page.get_by_role(
            "group", name="標準仕様との比較分析: 完了した業務（業務ごとに入力する場合）"
        ).get_by_label(name, exact=True).check()
    assert_accessible(page, "std-section-form")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    expect(page.locator("#sec-standardization + table, .report-section").first).to_contain_text(
        "12業務（一部）"
    )
    expect(page.get_by_text("3業務").first).to_be_visible()
    assert_accessible(page, "std-report")
    submit_report(page)
    logout(page)

    approve_as_staff(page, base, "萩市")
    logout(page)

    login(page, base, "council")
    page.get_by_role("link", name="資料1 情報システムの標準化・共通化").first.click()
    # one municipality of nineteen approved: the default stays on the last complete quarter (issue #14)
    expect(page.locator(".as-of")).to_contain_text("令和5年3月末時点")
    expect(page.locator("#coverage")).to_contain_text("承認済み 19/19団体")
    # the member chooses the new quarter; its heading says how partial it is
    page.get_by_label("報告期間").select_option("2023-Q1")
    page.get_by_role("button", name="表示").click()
    expect(page.locator(".as-of")).to_contain_text("令和5年6月末時点")
    expect(page.locator("h1")).to_contain_text("承認済み 1/19団体")
    expect(page.locator("#chart-std-heatmap[data-drawn=true]")).to_be_visible()
    heat = page.locator("#chart-std-heatmap")
    expect(heat).to_contain_text("12(一部)")  # the cell text drawn in the heat map
    expect(page.locator("#changes-table")).to_contain_text("12(一部)")
    expect(page.locator("#risk-table")).to_contain_text("予定日を30日超過（未完了）")
    assert_accessible(page, "std-dashboard")
    page.locator("#phases-table").get_by_role("link", name="萩市").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("団体カルテ: 萩市")
    steps = page.locator("#karte-steps")
    expect(steps.locator("tr", has_text="現行システムの概要調査")).to_contain_text("12(一部)")
    expect(steps.locator("tr", has_text="標準仕様との比較分析")).to_contain_text("予定日を30日超過")
    expect(page.locator("#karte-lines")).to_contain_text("3業務について標準仕様との比較分析")
    assert_accessible(page, "std-karte")
    page.close()
