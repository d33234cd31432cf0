"""Safe data entry (#13) in real Chromium: the leave warning, the login's expiry warning and its
extension, a save after the login expired coming back after the login; axe-core on each state."""

import time

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from council import services
from council.models import DXStructure, Municipality, ReportingPeriod, ReportStatus
from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(people):
    hagi = Municipality.objects.get(slug="hagi")
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    return services.report_start(municipality=hagi, period=period, user=None)


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    yield page
    page.close()


def dialogs_of(page) -> list[str]:
    """The types of the browser's own dialogs (beforeunload …) as they open; each is dismissed
    (the person chooses to stay)."""
    seen: list[str] = []

    def on_dialog(dialog):
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def test_leaving_a_changed_form_asks_first_and_submitting_does_not(live_server, page, draft):
    base = live_server.url
    url = f"{base}/reports/{draft.pk}/dx/"
    seen = dialogs_of(page)
    login(page, base, "liaison-hagi")
    page.goto(url)
    page.get_by_label("担当所属").click()  # a person's first click: the browser lets the page ask
    page.get_by_role("link", name="保存せずに戻る").click()
    expect(page).to_have_url(f"{base}/reports/{draft.pk}/")  # nothing changed: no question
    assert seen == []

    page.goto(url)
    page.get_by_label("担当所属").click()
    page.get_by_label("担当所属").fill("デジタル推進課")
    page.get_by_role("link", name="保存せずに戻る").click()
    page.wait_for_timeout(300)
    assert seen == ["beforeunload"]
    expect(page).to_have_url(url)  # the person chose to stay; what they typed is there
    expect(page.get_by_label("担当所属")).to_have_value("デジタル推進課")

    page.get_by_label("担当所属").fill("DX推進室")  # typed back: nothing left to lose
    page.get_by_role("link", name="保存せずに戻る").click()
    expect(page).to_have_url(f"{base}/reports/{draft.pk}/")
    assert seen == ["beforeunload"]

    page.goto(url)
    page.get_by_label("担当所属").click()
    page.get_by_label("担当所属").fill("デジタル推進課")
    page.get_by_role("button", name="保存する").click()  # submitting is not leaving
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    assert seen == ["beforeunload"]
    assert DXStructure.objects.get(report=draft).department == "デジタル推進課"


def test_the_expiry_warning_extends_the_login_and_then_says_it_expired(live_server, page, draft, settings):
    settings.SESSION_COOKIE_AGE = 10
    settings.PORTAL_SESSION_WARNING_SECONDS = 7
    base = live_server.url
    url = f"{base}/reports/{draft.pk}/dx/"
    login(page, base, "liaison-hagi")
    logged_in = time.monotonic()
    page.goto(url)
    warning = page.get_by_role("dialog", name="まもなくログインの有効期限が切れます")
    expect(warning).to_be_visible(timeout=8000)
    expect(warning).to_contain_text("秒でログインの有効期限が切れます")
    assert_accessible(page, "entry-expiry-warning")
    page.get_by_role("button", name="ログインを延長する").click()
    expect(warning).to_be_hidden()
    expect(page.locator("#entry-status")).to_contain_text("ログインを延長しました")

    # past the first expiry, the login still holds: the page and a save work
    time.sleep(max(0.0, 11 - (time.monotonic() - logged_in)))
    expect(warning).to_be_visible(timeout=8000)  # the extended login's own warning time: extend again
    page.get_by_role("button", name="ログインを延長する").click()
    expect(warning).to_be_hidden()
    page.get_by_label("担当所属").fill("延長後に保存")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    assert DXStructure.objects.get(report=draft).department == "延長後に保存"

    # left alone, the page warns, then says the login has expired and what 保存する will do
    page.goto(url)
    expect(warning).to_be_visible(timeout=8000)
    expired = page.get_by_role("dialog", name="ログインの有効期限が切れました")
    expect(expired).to_be_visible(timeout=12000)
    expect(expired).to_contain_text("ログインするとこのフォームに戻って入力した内容を表示します")
    assert_accessible(page, "entry-expired")
    page.get_by_role("button", name="閉じる").click()
    expect(expired).to_be_hidden()
    page.goto(url)
    expect(page).to_have_url(f"{base}/accounts/login/?next=/reports/{draft.pk}/dx/")


def test_a_save_after_the_login_expired_comes_back_after_the_login(live_server, page, draft):
    base = live_server.url
    url = f"{base}/reports/{draft.pk}/dx/"
    seen = dialogs_of(page)
    login(page, base, "liaison-hagi")
    page.goto(url)
    page.get_by_label("担当所属").fill("期限切れの後に保存した部署")
    page.get_by_label("外部人材確保（CIO補佐官等）").check()
    page.get_by_label("外部人材の人数").fill("4")
    Session.objects.all().delete()  # the login expires while the person types
    page.get_by_role("button", name="保存する").click()

    expect(page).to_have_url(f"{base}/accounts/login/?next=/reports/{draft.pk}/dx/")
    expect(page.locator(".messages")).to_contain_text("入力した内容はまだ保存していません")
    assert_accessible(page, "entry-login-after-expiry")
    assert DXStructure.objects.get(report=draft).department == "DX推進室"  # nothing saved
    page.get_by_label("ユーザー名").fill("liaison-hagi")
    page.get_by_label("パスワード").fill("pw")
    page.get_by_role("button", name="ログイン").click()

    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", name="ログインの前に入力した内容を表示しています")).to_be_visible()
    expect(page.get_by_label("担当所属")).to_have_value("期限切れの後に保存した部署")
    expect(page.get_by_label("外部人材確保（CIO補佐官等）")).to_be_checked()
    expect(page.get_by_label("外部人材の人数")).to_have_value("4")
    assert_accessible(page, "entry-restored")
    assert DXStructure.objects.get(report=draft).department == "DX推進室"  # shown, not saved

    # still unsaved: leaving asks first
    page.get_by_role("heading", level=1).click()
    page.get_by_role("link", name="保存せずに戻る").click()
    page.wait_for_timeout(300)
    assert seen == ["beforeunload"]
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    dx = DXStructure.objects.get(report=draft)
    assert (dx.department, dx.external_talent_count) == ("期限切れの後に保存した部署", 4)


def test_a_save_refused_because_the_report_was_submitted_keeps_what_was_typed(live_server, page, draft):
    base = live_server.url
    url = f"{base}/reports/{draft.pk}/dx/"
    login(page, base, "liaison-hagi")
    page.goto(url)
    page.get_by_label("担当所属").fill("提出の後に入力した部署")
    services.report_submit(report=draft, user=None)  # a colleague submits meanwhile
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-error")).to_contain_text("この報告は「提出済」のため編集できません")
    expect(page.get_by_role("heading", name="入力した内容は保存されていません")).to_be_visible()
    expect(page.get_by_label("担当所属")).to_have_value("提出の後に入力した部署")
    assert_accessible(page, "entry-locked")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert DXStructure.objects.get(report=draft).department == "DX推進室"
