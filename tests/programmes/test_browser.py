"""資料6 in Chromium: staff open a call → the liaison sees it on the home page and registers → staff
see the uptake; staff record an opinion live in 会議モード. axe-core on every page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_open_a_call_liaison_registers_staff_see_uptake(live_server, browser, people):
    from programmes.models import Offer, Registration

    base = live_server.url
    call = Offer.objects.get(title="地域連携型")
    closes = timezone.localdate() + timedelta(days=10)
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")

    login(page, base, "prefecture")
    page.goto(f"{base}/programmes/")
    expect(page.get_by_role("heading", name="研修一覧（25研修）")).to_be_visible()
    assert_accessible(page, "programmes-dashboard")
    page.get_by_role("link", name="デジタル活用支援推進事業（総務省） 地域連携型").click()
    expect(page.locator("#offer-status")).to_have_text("現在は受付していません")
    page.get_by_label("受付締切日").fill(closes.isoformat())
    page.get_by_role("button", name="受付を開始する").click()
    expect(page.locator("#offer-status")).to_contain_text("受付中")
    assert_accessible(page, "programmes-offer-staff")
    logout(page)

    login(page, base, "liaison-hagi")
    offers = page.locator("#open-offers")
    expect(offers).to_contain_text("デジタル活用支援推進事業（総務省） 地域連携型")
    expect(offers).to_contain_text("未登録")
    assert_accessible(page, "programmes-home-liaison")
    offers.get_by_role("link", name="デジタル活用支援推進事業（総務省） 地域連携型").click()
    page.get_by_label("登録の種類").select_option(label="申込")
    page.get_by_label("参加予定人数").fill("3")
    page.get_by_role("button", name="登録する").click()
    expect(page.locator("#own-registration")).to_have_text("登録済み: 申込（3人）")
    assert_accessible(page, "programmes-offer-liaison")
    page.goto(f"{base}/")
    expect(page.locator("#open-offers")).to_contain_text("申込")
    logout(page)

    login(page, base, "prefecture")
    page.goto(f"{base}{call.get_absolute_url()}")
    expect(page.locator("#registrations")).to_contain_text("萩市")
    expect(page.get_by_role("heading", name="団体別の登録（1団体）")).to_be_visible()
    page.goto(f"{base}/programmes/")
    hagi = page.locator("#uptake-table tr", has=page.get_by_role("rowheader", name="萩市", exact=True))
    expect(hagi.locator("td").first).to_have_text("1")
    expect(hagi.locator("td").nth(3)).to_have_text("3")
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"programmes-dashboard-{width}.png"), full_page=True)
    assert Registration.objects.get(offer=call).participants == 3


def test_staff_record_an_opinion_without_leaving_the_presenter_view(live_server, browser, people):
    from council.models import Meeting, Opinion

    base = live_server.url
    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="ja-JP")
    login(page, base, "prefecture")
    page.goto(f"{base}/council/meetings/{meeting.pk}/present/#7")
    expect(page.locator("[data-current]")).to_have_text("7")
    title = page.locator(".slide:not([hidden]) .slide-title").inner_text()
    page.get_by_role("button", name="意見を記録").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("議題")).to_have_value(
        str(meeting.materials.get(number=int(title.split()[0].removeprefix("資料"))).agenda_item_id)
    )
    assert_accessible(page, "present-opinion-dialog")
    dialog.get_by_label("団体").select_option(label="美祢市")
    dialog.get_by_label("発言者").fill("美祢市 DX推進監")
    dialog.get_by_label("内容").fill("書かない窓口の導入経験を共有したい")
    page.keyboard.press("ArrowRight")  # typing keys stay in the form: the slide does not move
    dialog.get_by_role("button", name="記録する").click()
    expect(page.locator("[data-live-opinion-status]")).to_have_text("意見を記録しました: 美祢市 DX推進監")
    expect(dialog).to_be_hidden()
    expect(page.locator("[data-current]")).to_have_text("7")
    opinion = Opinion.objects.get(meeting=meeting, content="書かない窓口の導入経験を共有したい")
    assert opinion.organisation.name == "美祢市"
    page.screenshot(path=str(ARTIFACTS / "present-opinion-recorded.png"))
