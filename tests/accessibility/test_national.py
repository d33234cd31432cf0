"""The national view in Chromium: a national viewer's dashboards draw the prefecture chart, pass
axe-core, and choosing a prefecture in the selector opens its municipalities."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/council/", "/standardization/", "/online-procedures/", "/rpa/", "/analog-review/", "/mynumber/"]


def test_national_dashboards_in_the_browser(live_server, browser, people):
    from council.models import ReportingPeriod, Role
    from council.synthetic import add_synthetic_municipalities
    from tests.factories import PrefectureFactory, UserFactory

    hiroshima = PrefectureFactory(number=34, name="広島県", slug="hiroshima-pref")
    add_synthetic_municipalities(
        prefecture=hiroshima, n=3, period=ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
    )
    UserFactory(username="national", role=Role.MEMBER)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    login(page, live_server.url, "national")
    for url in PAGES:
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("#national-table tbody tr")).to_have_count(2)
        expect(page.locator(".chart[data-drawn=true]").first).to_be_visible()
        assert_accessible(page, f"national-{url.strip('/')}")
    page.goto(f"{live_server.url}/online-procedures/")
    page.get_by_label("都道府県", exact=True).select_option(label="山口県")
    with page.expect_navigation():
        page.get_by_role("button", name="表示").last.click()
    assert "pref=35" in page.url
    expect(page.get_by_text("R5.4時点合計 19市町延べ440手続")).to_be_visible()
    assert_accessible(page, "national-online-procedures-yamaguchi")
    page.close()
