"""The presenter view in Chromium: keyboard through every slide, a screenshot of each, axe-core clean."""

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_presenter_keyboard_walk(live_server, browser, people):
    from council.models import Meeting

    base = live_server.url
    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    page = browser.new_page(viewport={"width": 1600, "height": 900}, locale="ja-JP")
    login(page, base, "council")
    page.get_by_role("link", name="会議", exact=True).click()
    page.get_by_role("link", name="令和5年度 第1回山口県デジタル・ガバメント構築連携会議").click()
    assert_accessible(page, "meeting-detail")
    page.get_by_role("link", name="会議モードで開く").click()
    expect(page.locator(".slide:not([hidden]) .slide-title")).to_have_text(meeting.full_title)
    titles = []
    total = 10
    for index in range(1, total + 1):
        slide = page.locator(f'.slide[data-slide="{index}"]')
        expect(slide).to_be_visible()
        expect(page.locator("[data-current]")).to_have_text(str(index))
        for chart in slide.locator(".js-chart").all():
            expect(chart).to_have_attribute("data-drawn", "true")
        page.screenshot(path=str(ARTIFACTS / f"present-{index:02d}.png"))
        assert_accessible(page, f"present-{index:02d}")
        titles.append(slide.locator(".slide-title").inner_text())
        if index < total:
            page.keyboard.press("ArrowRight")
    assert titles[2:] == [
        "資料1 情報システムの標準化・共通化",
        "資料2 行政手続のオンライン化",
        "資料3 県・市町におけるRPA等共同利用",
        "資料4 アナログ規制の点検・見直し",
        "資料5 マイナンバーカードの申請・交付状況",
        "資料6 デジタル関連の県の取組状況等",
        "資料7 市町のDX推進体制等",
        "資料8 意見交換等",
    ]
    expect(page.locator('.slide[data-slide="10"]')).to_be_visible()
    page.keyboard.press("ArrowRight")  # past the end stays on the last slide
    expect(page.locator("[data-current]")).to_have_text("10")
    page.keyboard.press("Home")
    expect(page.locator("[data-current]")).to_have_text("1")
    page.get_by_role("button", name="次のスライド").click()
    expect(page.locator("[data-current]")).to_have_text("2")
    page.keyboard.press("End")
    expect(page.locator('.slide[data-slide="10"]')).to_be_visible()
    page.close()


def test_print_view_is_a4_landscape(live_server, browser, people):
    from council.models import Meeting

    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    page = browser.new_page(locale="ja-JP")
    login(page, live_server.url, "council")
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/print/")
    expect(page.locator(".print-page")).to_have_count(10)
    assert_accessible(page, "meeting-print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    (ARTIFACTS / "meeting-print.pdf").write_bytes(pdf)
    page.close()
