"""A liaison reports a scenario's effect and asks to join another; staff approve; the dashboard shows it."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rpa_journey(live_server, browser, people):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    login(page, base, "liaison-hagi")
    page.get_by_role("button", name="報告を作成する").click()
    page.get_by_role("link", name="RPA等共同利用を入力する").click()
    page.get_by_label("法人市民税確定・中間申告書の入力業務: 実行回数").fill("40")
    page.get_by_label("法人市民税確定・中間申告書の入力業務: 削減時間（時間）").fill("12.5")
    page.get_by_role("group", name="利用を開始するシナリオ").get_by_label(
        "会計年度任用職員の勤怠管理業務"
    ).check()
    assert_accessible(page, "rpa-section-form")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".report-section", has_text="RPA等共同利用")).to_contain_text("12.5時間")
    expect(page.locator(".report-section", has_text="RPA等共同利用")).to_contain_text(
        "利用開始の申請: 会計年度任用職員の勤怠管理業務"
    )
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
    page.get_by_role("link", name="資料3 RPA等共同利用").first.click()
    expect(page.locator('[data-kpi="hours"]')).to_have_text("12.5")
    expect(page.locator("#chart-rpa-participation[data-drawn=true]")).to_be_visible()
    participation = page.locator("#chart-rpa-participation").locator("xpath=..").locator("table")
    expect(participation.locator("tr", has_text="会計年度任用職員の勤怠管理業務")).to_contain_text("萩市")
    assert_accessible(page, "rpa-dashboard")
    page.close()
