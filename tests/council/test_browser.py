"""The quarterly report journey in real Chromium, with axe-core on every page it visits."""

import pytest
from playwright.sync_api import expect

from council.models import StatusReport
from tests.browser import approve_as_staff, assert_accessible, login, logout, submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_journey_from_liaison_to_dashboard(live_server, browser, people):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")

    # the login page is all an anonymous visitor gets
    page.goto(f"{base}/council/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/council/")
    assert_accessible(page, "login")

    # a liaison starts the 令和5年度 第1四半期 report, pre-filled from the last approved one
    login(page, base, "liaison-hagi")
    expect(page.get_by_role("heading", level=1)).to_have_text("萩市の状況報告")
    assert_accessible(page, "liaison-home")
    page.get_by_role("button", name="報告を作成する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("萩市 令和5年度 第1四半期")
    page.get_by_role("link", name="DX推進体制を編集する").click()
    expect(page.get_by_label("担当所属")).to_have_value("DX推進室")
    page.get_by_label("外部人材確保（CIO補佐官等）").check()
    page.get_by_label("外部人材の人数").fill("3")
    assert_accessible(page, "section-form")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    expect(page.locator(".section-values")).to_contain_text("○(3名)")
    assert_accessible(page, "report-draft")
    page.get_by_role("link", name="提出内容を確認する").click()
    expect(page.locator("#submit-sections")).to_contain_text("DX推進体制")
    assert_accessible(page, "submit-confirm")
    page.get_by_role("button", name="この内容で提出する").click()
    expect(page.locator(".message-success")).to_contain_text("提出しました")
    logout(page)

    # staff return it with a comment
    login(page, base, "prefecture")
    assert_accessible(page, "staff-home")
    page.get_by_role("link", name="確認待ち").first.click()
    assert_accessible(page, "review-queue")
    page.get_by_role("link", name="萩市").click()
    expect(page.locator("#cmp-dx")).to_contain_text("変更")
    assert_accessible(page, "review-report")
    page.get_by_label("差戻しの理由（必須）").fill("外部人材の人数は2名ではありませんか。確認してください。")
    page.get_by_role("button", name="差し戻す").click()
    expect(page.locator(".message-success")).to_contain_text("差し戻しました")
    logout(page)

    # the liaison sees the comment, fixes the count and submits again
    login(page, base, "liaison-hagi")
    expect(page.locator(".returned-note")).to_contain_text("外部人材の人数は2名ではありませんか")
    page.get_by_role("link", name="入力・提出する").click()
    assert_accessible(page, "report-returned")
    page.get_by_role("link", name="DX推進体制を編集する").click()
    page.get_by_label("外部人材の人数").fill("2")
    page.get_by_role("button", name="保存する").click()
    submit_report(page)
    logout(page)

    # staff approve; the completeness view shows it
    approve_as_staff(page, base, "萩市")
    page.goto(f"{base}/reports/completeness/?period=2023-Q1")
    expect(page.locator("#completeness-table")).to_contain_text("承認済")
    assert_accessible(page, "completeness")
    logout(page)

    # the council member sees the new figure on the dashboard, charts drawn
    login(page, base, "council")
    assert_accessible(page, "member-home")
    page.get_by_role("link", name="資料7 市町のDX推進体制等").first.click()
    # one municipality of nineteen approved: the default stays on the last complete quarter (issue #14)
    expect(page.locator(".as-of")).to_contain_text("令和5年3月末時点")
    expect(page.locator("#coverage")).to_contain_text("承認済み 19/19団体")
    # the member chooses the new quarter; its heading says how partial it is
    page.get_by_label("報告期間").select_option("2023-Q1")
    page.get_by_role("button", name="表示").click()
    expect(page.locator(".as-of")).to_contain_text("令和5年6月末時点")
    expect(page.locator("h1")).to_contain_text("承認済み 1/19団体")
    expect(page.locator("#dx-table")).to_contain_text("○(2名)")
    expect(page.locator('[data-kpi="talent"]')).to_have_text("1")
    expect(page.locator("#chart-dx-status[data-drawn=true]")).to_be_visible()
    expect(page.locator("#chart-dx-people[data-drawn=true] .main-svg").first).to_be_visible()
    assert_accessible(page, "dashboard")
    page.close()

    report = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2023, period__quarter=1)
    assert [e.action for e in report.events.all()] == ["create", "submit", "return", "submit", "approve"]
    assert report.council_dxstructure.external_talent_count == 2
