"""In Chromium: staff approve one municipality's report of a new quarter; a council member's default
dashboards still show the last complete quarter with 19/19, and the new quarter, chosen, says 1/19."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import approve_as_staff, assert_accessible, login, logout, submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_approval_in_a_new_quarter_keeps_the_complete_quarter_on_screen(live_server, browser, people):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    login(page, base, "liaison-hagi")
    page.get_by_role("button", name="報告を作成する").click()
    submit_report(page)
    logout(page)

    approve_as_staff(page, base, "萩市")
    logout(page)

    login(page, base, "council")
    for path, name in (
        ("/standardization/", "standardization"),
        ("/online-procedures/", "online-procedures"),
        ("/council/", "council"),
    ):
        page.goto(base + path)
        expect(page.locator(".as-of").first).to_contain_text("令和4年度 第4四半期")
        expect(page.locator("#coverage")).to_contain_text("承認済み 19/19団体")
        expect(page.locator("h1")).not_to_contain_text("1/19")
        assert_accessible(page, f"coverage-default-{name}")
    # the new quarter is still there to choose, and says how partial it is
    page.get_by_label("報告期間").select_option("2023-Q1")
    page.get_by_role("button", name="表示").click()
    expect(page.locator("h1")).to_contain_text("承認済み 1/19団体")
    expect(page.locator('[data-kpi="policy"]').locator("xpath=..")).to_contain_text("承認済み 1/19団体")
    assert re.search(r"period=2023-Q1", page.url)
    assert_accessible(page, "coverage-partial-council")
    page.close()
