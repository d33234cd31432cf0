"""In real Chromium: a stored name with markup is drawn as text in the charts, never as a link."""

import pytest
from playwright.sync_api import expect

from council.models import Municipality
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = '<a href="https://example.com">萩市</a>'


@pytest.mark.parametrize("url", ["/standardization/", "/online-procedures/", "/rpa/", "/mynumber/"])
def test_a_municipality_named_with_a_link_is_drawn_as_text(live_server, browser, people, url):
    Municipality.objects.filter(slug="hagi").update(name=LINK)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    login(page, live_server.url, "council")
    page.goto(f"{live_server.url}{url}")
    charts = page.locator(".js-chart")
    expect(charts.first).to_have_attribute("data-drawn", "true")
    for i in range(charts.count()):
        expect(charts.nth(i)).to_have_attribute("data-drawn", "true")
    # plotly.js turns <a href> in a label into an SVG link (the mode bar's buttons are outside the SVG)
    links = page.evaluate("Array.from(document.querySelectorAll('.js-chart svg a')).length")
    assert links == 0
    assert page.locator(".js-chart svg text", has_text=LINK).count() >= 1  # the name, shown literally
    page.close()


def test_the_hover_label_shows_the_name_as_text(live_server, browser, people):
    Municipality.objects.filter(slug="hagi").update(name=LINK)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    login(page, live_server.url, "council")
    page.goto(f"{live_server.url}/online-procedures/")
    chart = page.locator("#chart-online-comparison")
    expect(chart).to_have_attribute("data-drawn", "true")
    bars = chart.locator(".bars .point path")
    hovered = []
    for i in range(bars.count()):
        bars.nth(i).hover(force=True)
        page.wait_for_timeout(100)  # plotly.js throttles hover events
        text = chart.locator(".hoverlayer").text_content() or ""
        if "萩市" in text:
            hovered.append(text)
            break
    # the name literally, and the period (the trace's name) in the secondary box
    assert hovered and LINK in hovered[0] and "時点" in hovered[0], hovered
    assert page.evaluate("document.querySelectorAll('.js-chart svg a').length") == 0
    page.close()
