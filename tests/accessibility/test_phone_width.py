"""At phone width (390 px): the header menu folds behind an accessible button, no page scrolls
sideways (only tables, inside their own boxes), the liaison's report forms are usable."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
  boxes: [...document.querySelectorAll('.table-scroll, main table')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).length,
  // a status badge (作成中, 提出済 …) broken over several lines reads as single characters
  brokenBadges: [...document.querySelectorAll('.badge')]
    .filter(e => e.getClientRects().length > 1
      || e.getBoundingClientRect().height > 2.6 * parseFloat(getComputedStyle(e).fontSize))
    .map(e => e.textContent.trim()),
})"""


def test_no_page_scrolls_sideways_at_phone_width(live_server, browser, people):
    from council import services
    from council.models import Meeting, Municipality, ReportingPeriod

    report = services.report_start(
        municipality=Municipality.objects.get(slug="hagi"),
        period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1),
        user=None,
    )
    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    sections = ("dx", "standardization", "online_procedures", "rpa", "analog_review")
    pages = {
        "liaison-hagi": [
            "/",
            "/notices/",
            "/reports/",
            f"/reports/{report.pk}/",
            *[f"/reports/{report.pk}/{key}/" for key in sections],
            f"/reports/{report.pk}/submit/",
            "/analog-review/inventory/",
            "/council/actions/",
        ],
        "council": [
            "/",
            "/council/",
            "/standardization/",
            "/online-procedures/",
            "/rpa/",
            "/analog-review/",
            "/mynumber/",
            "/council/meetings/",
            f"/council/meetings/{meeting.pk}/",
            f"/council/meetings/{meeting.pk}/materials/1/",
        ],
    }
    page = browser.new_page(viewport=PHONE, locale="ja-JP")
    scrolled_boxes = 0
    for username, urls in pages.items():
        login(page, live_server.url, username)
        for url in urls:
            assert page.goto(f"{live_server.url}{url}").status == 200, url
            page.wait_for_load_state("load")
            for chart in page.locator(".js-chart").all():
                expect(chart).to_have_attribute("data-drawn", "true")
            m = page.evaluate(OVERFLOW)
            assert m["page"] <= m["viewport"], (username, url, m)
            assert m["brokenBadges"] == [], (username, url, m["brokenBadges"])
            scrolled_boxes += m["boxes"]
            assert_accessible(page, f"phone-{username}-{url.strip('/').replace('/', '_') or 'top'}")
        page.get_by_role("button", name="メニュー").click()
        logout(page)
    assert scrolled_boxes > 0  # wide tables are there, and they scroll in their own boxes
    page.close()


def test_liaison_fills_a_section_on_a_phone(live_server, browser, people):
    from council import services
    from council.models import Municipality, ReportingPeriod

    report = services.report_start(
        municipality=Municipality.objects.get(slug="hagi"),
        period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1),
        user=None,
    )
    page = browser.new_page(viewport=PHONE, locale="ja-JP")
    login(page, live_server.url, "liaison-hagi")
    page.goto(f"{live_server.url}/reports/{report.pk}/dx/")
    field = page.get_by_label("担当所属")
    box = field.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    field.fill("デジタル推進課")
    assert_accessible(page, "phone-section-form")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    # 資料1's step table is wider than a phone: it scrolls in its own box, reachable by keyboard
    page.goto(f"{live_server.url}/reports/{report.pk}/standardization/")
    box = page.locator(".table-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.get_by_label("推進体制の立ち上げ: 完了した業務数").fill("20")
    assert_accessible(page, "phone-standardization-form")
    page.close()


def test_header_menu_folds_behind_a_keyboard_button_on_a_phone(live_server, browser, people):
    page = browser.new_page(viewport=PHONE, locale="ja-JP")
    login(page, live_server.url, "council")
    toggle = page.get_by_role("button", name="メニュー")
    menu_link = page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="会議", exact=True
    )
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "site-menu")
    expect(menu_link).to_be_hidden()
    # the heading of the page is on the first screen, not below the menu
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 200
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()
    assert_accessible(page, "phone-menu-open")
    page.keyboard.press("Tab")  # into the menu
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    page.keyboard.press(" ")
    expect(menu_link).to_be_visible()
    menu_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("会議")
    # a wide screen shows the menu and no button
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(toggle).to_be_hidden()
    expect(menu_link).to_be_visible()
    page.close()
