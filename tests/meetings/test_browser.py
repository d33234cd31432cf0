"""The presenter view and the print view in Chromium: every slide fits the shared 1920×1080 screen,
chart text at least 18 px, the keyboard (arrows, Home/End, Esc), the charts' modebar, the print
view's pages; axe-core clean on every slide."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MATERIALS = [
    "資料1 情報システムの標準化・共通化",
    "資料2 行政手続のオンライン化",
    "資料3 県・市町におけるRPA等共同利用",
    "資料4 アナログ規制の点検・見直し",
    "資料5 マイナンバーカードの申請・交付状況",
    "資料6 デジタル関連の県の取組状況等",
    "資料7 市町のDX推進体制等",
    "資料8 意見交換等",
]

# the visible slide's overflow, and the font size of every text drawn in its charts' SVG
MEASURE = """() => {
  const slide = document.querySelector('.slide:not([hidden])');
  const sizes = Array.from(slide.querySelectorAll('.js-chart svg text'))
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  return {
    page: document.documentElement.scrollHeight, viewport: window.innerHeight,
    pageWidth: document.documentElement.scrollWidth, viewportWidth: window.innerWidth,
    slide: slide.scrollHeight, slideBox: slide.clientHeight, sizes: sizes,
    cardLabels: Array.from(slide.querySelectorAll('.kpi-label')).map(t => parseFloat(getComputedStyle(t).fontSize)),
    cardValues: Array.from(slide.querySelectorAll('.kpi-value')).map(t => parseFloat(getComputedStyle(t).fontSize)),
    cardsClipped: Array.from(slide.querySelectorAll('.kpis li')).some(li => li.scrollWidth > li.clientWidth),
  };
}"""


def test_presenter_every_slide_fits_the_shared_screen(live_server, browser, people):
    from council.models import Meeting

    base = live_server.url
    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="ja-JP")
    login(page, base, "council")
    page.get_by_role("link", name="会議", exact=True).click()
    page.get_by_role("link", name="令和5年度 第1回山口県デジタル・ガバメント構築連携会議").click()
    assert_accessible(page, "meeting-detail")
    page.get_by_role("link", name="会議モードで開く").click()
    expect(page.locator(".slide:not([hidden]) .slide-title")).to_have_text(meeting.full_title)
    total = page.locator(".slide").count()
    # 13 slides of the materials' narratives (資料1 2, 2 1, 4 2, 5 1, 6 5, 8 1); 2 of headline cards before
    # a heat map (資料1, 3)
    assert total == 22 + 13
    titles, chart_slides, card_slides = [], 0, 0
    for index in range(1, total + 1):
        slide = page.locator(f'.slide[data-slide="{index}"]')
        expect(slide).to_be_visible()
        expect(page.locator("[data-current]")).to_have_text(str(index))
        for chart in slide.locator(".js-chart").all():
            expect(chart).to_have_attribute("data-drawn", "true")
        m = page.evaluate(MEASURE)
        assert m["page"] <= m["viewport"] and m["pageWidth"] <= m["viewportWidth"], (index, m)
        assert m["slide"] <= m["slideBox"], (index, m)  # nothing inside the slide scrolls either
        if slide.locator(".js-chart").count():
            chart_slides += 1
            assert m["sizes"] and min(m["sizes"]) >= 18, (index, sorted(set(m["sizes"])))
        if m["cardLabels"]:  # the headline cards read from the back of the room, none clipped
            card_slides += 1
            assert min(m["cardLabels"]) >= 18 and min(m["cardValues"]) >= 48, (index, m)
            assert not m["cardsClipped"], (index, m)
        assert_accessible(page, f"present-{index:02d}")  # saves present-NN.png too
        titles.append(slide.locator(".slide-title").inner_text())
        if index < total:
            page.keyboard.press("ArrowRight")
    assert chart_slides == 8  # 資料1 2, 資料3 1, 資料5 1, 資料6 1 (uptake by municipality), 資料7 2, …
    assert card_slides == 6  # each material with data (資料1–3, 5–7) shows its dashboard's cards once
    # each material's slides in order, numbered (1/n) … (n/n) when it has more than one
    for material in MATERIALS:
        own = [t for t in titles if t.startswith(material)]
        assert own, material
        if len(own) > 1:
            assert own == [f"{material} ({i}/{len(own)})" for i in range(1, len(own) + 1)]
    assert (
        titles[2] == "資料1 情報システムの標準化・共通化 (1/7)"
    )  # its text, its 2 pages of narrative, its cards, 2 figures, table
    page.keyboard.press("ArrowRight")  # past the end stays on the last slide
    expect(page.locator("[data-current]")).to_have_text(str(total))
    page.keyboard.press("Home")
    expect(page.locator("[data-current]")).to_have_text("1")
    page.get_by_role("button", name="次のスライド").click()
    expect(page.locator("[data-current]")).to_have_text("2")
    page.keyboard.press("End")
    expect(page.locator(f'.slide[data-slide="{total}"]')).to_be_visible()
    page.keyboard.press("Escape")  # leaves the mode for the meeting's page
    page.wait_for_url(f"{base}/council/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.full_title)
    page.close()


def test_charts_modebar_saves_the_image_under_the_title_and_resets_only(live_server, browser, people):
    from council.models import Meeting

    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="ja-JP", accept_downloads=True)
    login(page, live_server.url, "council")
    present = f"{live_server.url}/council/meetings/{meeting.pk}/present/"
    page.goto(present)
    first_figure = page.evaluate(  # 資料7's first figure
        """() => [...document.querySelectorAll('.slide')].find(
            s => s.querySelector('.js-chart') && s.textContent.includes('DX推進体制の整備状況（団体数）')
        ).dataset.slide"""
    )
    page.goto(f"{present}#{first_figure}")
    page.reload()
    chart = page.locator(".slide:not([hidden]) .js-chart")
    expect(chart).to_have_attribute("data-drawn", "true")
    title = page.locator(".slide:not([hidden]) .chart-block h3").inner_text()
    assert title == "DX推進体制の整備状況（団体数）"
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    assert [b.get_attribute("data-title") for b in buttons.all()] == ["画像（PNG）を保存", "元の範囲に戻す"]
    assert (
        chart.locator(".modebar-btn[data-title*='Chart Studio'], .modebar-btn[data-title*='Share']").count()
        == 0
    )
    with page.expect_download() as download:
        buttons.first.click()
    assert download.value.suggested_filename == f"{title}.png"
    # a count axis: whole numbers only (19 organisations: 0, 5, 10, 15)
    ticks = chart.locator(".xtick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    page.keyboard.press("ArrowRight")  # 資料7's people chart: a handful of people, ticks 0, 1, 2
    people_chart = page.locator(".slide:not([hidden]) .js-chart")
    expect(people_chart).to_have_attribute("data-drawn", "true")
    ticks = people_chart.locator(".ytick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    page.close()


def test_print_view_fits_each_slide_on_one_a4_landscape_page(live_server, browser, people):
    from council.models import Meeting

    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    page = browser.new_page(locale="ja-JP")
    login(page, live_server.url, "council")
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/print/")
    sections = page.locator(".print-page")
    expect(sections).to_have_count(20 + 13)  # and 13 pages of the materials' narratives
    page.wait_for_function("() => [...document.querySelectorAll('.js-chart')].every(c => c.dataset.drawn)")
    assert_accessible(page, "meeting-print")
    page.emulate_media(media="print")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.print-page')].map(s => ({
          overflowY: s.scrollHeight - s.clientHeight, overflowX: s.scrollWidth - s.clientWidth,
          svgTooWide: [...s.querySelectorAll('.js-chart svg.main-svg')].some(
            g => g.getBoundingClientRect().right > s.getBoundingClientRect().right + 1),
          content: s.querySelectorAll('.slide-title').length
            + s.querySelectorAll('table, .js-chart, .slide-text p, .agenda, .kpis').length,
        }))"""
    )
    for number, box in enumerate(boxes, start=1):
        # nothing clipped or pushed onto a page of its own, and every page holds more than headings
        assert box["overflowY"] <= 0 and box["overflowX"] <= 0 and not box["svgTooWide"], (number, box)
        assert box["content"] >= 2, (number, box)
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    (ARTIFACTS / "meeting-print.pdf").write_bytes(pdf)
    # one page per section: none spilled over (a page with only a header or a footnote), none lost
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 20 + 13
    page.close()


def test_a_long_material_text_fits_its_slides(live_server, browser, people):
    from council.models import Meeting

    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    material = meeting.materials.get(number=6)
    material.description = "\n".join(
        f"{i}. やまぐちDX加速化事業（376,188千円）の取組と、市町への支援の内容を説明します。" * 3
        for i in range(30)
    )
    material.save()
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="ja-JP")
    login(page, live_server.url, "council")
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/present/")
    slides = page.locator(".slide", has_text="資料6 デジタル関連の県の取組状況等")
    count = slides.count()
    assert count > 1
    for index in range(count):
        number = slides.nth(index).get_attribute("data-slide")
        page.keyboard.press("Home")
        for _ in range(int(number) - 1):
            page.keyboard.press("ArrowRight")
        expect(slides.nth(index)).to_be_visible()
        m = page.evaluate(MEASURE)
        assert m["page"] <= m["viewport"] and m["slide"] <= m["slideBox"], (number, m)
    page.close()


def test_presenter_slides_fit_a_laptop_screen_too(live_server, browser, people):
    """On 1366×768 the slide's type and the figures' shrink in proportion: every slide still fits."""
    from council.models import Meeting

    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    login(page, live_server.url, "council")
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/present/")
    total = page.locator(".slide").count()
    for index in range(1, total + 1):
        slide = page.locator(f'.slide[data-slide="{index}"]')
        expect(slide).to_be_visible()
        for chart in slide.locator(".js-chart").all():
            expect(chart).to_have_attribute("data-drawn", "true")
        m = page.evaluate(MEASURE)
        assert m["page"] <= m["viewport"] and m["pageWidth"] <= m["viewportWidth"], (index, m)
        assert m["slide"] <= m["slideBox"], (index, m)
        page.keyboard.press("ArrowRight")
    page.close()
