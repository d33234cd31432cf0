"""axe-core over every page of the portal, as each role sees it, and a keyboard-only liaison journey.
(The Django admin has its own sweep: test_admin.py.)"""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# the password pages anyone reaches from the login page or a mail (a link's own pages, valid and
# used, are swept in tests/accounts/test_browser.py)
ANONYMOUS_PAGES = [
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/MQ/not-a-token/",
    "/accounts/reset/done/",
    "/accounts/invitation/MQ/not-a-token/",
    "/accounts/invitation/done/",
]


def portal_pages(report_id, meeting_id, action_id, offer_id):
    staff = [
        "/",
        "/notices/",
        "/reports/",
        "/reports/review/",
        "/reports/completeness/",
        f"/reports/{report_id}/",
        f"/reports/{report_id}/review/",
        f"/reports/{report_id}/submit/",
        "/council/",
        "/standardization/",
        "/standardization/hagi/",
        "/online-procedures/",
        "/mynumber/",
        "/rpa/",
        "/analog-review/",
        "/analog-review/inventory/",
        "/standardization/import/",
        "/online-procedures/import/",
        "/mynumber/import/",
        "/analog-review/inventory/import/",
        "/programmes/",
        f"/programmes/offers/{offer_id}/",
        "/council/meetings/",
        f"/council/meetings/{meeting_id}/",
        f"/council/meetings/{meeting_id}/materials/1/",
        f"/council/meetings/{meeting_id}/materials/6/",
        f"/council/meetings/{meeting_id}/print/",
        f"/council/meetings/{meeting_id}/present/",
        "/council/actions/",
        f"/council/actions/{action_id}/",
        "/accounts/import/",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
    ]
    liaison = [
        "/",
        "/notices/",
        "/reports/",
        f"/reports/{report_id}/",
        f"/reports/{report_id}/submit/",
        *[
            f"/reports/{report_id}/{key}/"
            for key in ("dx", "standardization", "online_procedures", "rpa", "analog_review")
        ],
        "/analog-review/inventory/",
        "/programmes/",
        f"/programmes/offers/{offer_id}/",
        "/council/actions/",
        f"/council/actions/{action_id}/",
        "/accounts/password_change/",
    ]
    member = [
        "/",
        "/notices/",
        "/council/",
        "/mynumber/",
        "/programmes/",
        f"/council/meetings/{meeting_id}/present/",
        "/accounts/password_change/",
    ]
    return {"prefecture": staff, "liaison-hagi": liaison, "council": member}


def pages_with_content():
    """A draft report with a conversation, an action item and notices, so that every page has something
    to show; returns the URLs of `portal_pages` for each demo user."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from council import services
    from council.framework import registry
    from council.models import ActionItem, Meeting, Municipality, Notice, ReportingPeriod
    from council.notices import News, notify

    hagi = Municipality.objects.get(slug="hagi")
    report = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=None
    )
    # a conversation on it: a staff edit (代理入力, and a change against the last approved report)
    # and a comment in the thread
    staff = get_user_model().objects.get(username="prefecture")
    dx = registry.sections.get("dx")
    section = dx.instance_for(report)
    data = {name: getattr(section, name) for name in section.content_fields()}
    services.section_save(
        report=report,
        section=dx,
        data=data | {"department": "デジタル推進課"},
        expected_version=section.version,
        user=staff,
    )
    services.report_comment(report=report, user=staff, comment="担当所属の変更を確認しました。")
    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    action = ActionItem.objects.create(meeting=meeting, title="書かない窓口の導入検討", owner=hagi)
    # a read and an unread notice for everyone: the home page's list and the notices page
    for title in (
        "【差戻し】萩市 令和5年度 第1四半期の状況報告",
        "【受付開始】令和5年度 第1四半期の状況報告",
    ):
        notify(
            get_user_model().objects.all(),
            News("test", title, "差戻しコメント:\n人数を確認してください。", f"/reports/{report.pk}/"),
        )
    Notice.objects.filter(title__startswith="【受付開始】").update(read_at=timezone.now())
    # an open call with a registration: the liaison's form, the staff's uptake, the home page's block
    from datetime import timedelta

    from programmes import services as programmes
    from programmes.models import Offer

    call = programmes.offer_open(
        offer=Offer.objects.get(title="地域連携型"),
        opens=None,
        closes=timezone.localdate() + timedelta(days=7),
        user=None,
    )
    programmes.registration_save(
        offer=call, organisation=Municipality.objects.get(slug="ube"), kind="interest", user=None
    )
    return portal_pages(report.pk, meeting.pk, action.pk, call.pk)


def test_axe_on_the_login_and_password_pages(live_server, browser, people):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "every-login")
    for url in ANONYMOUS_PAGES:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, (url, response.status)
        assert_accessible(page, f"every-anonymous-{url.strip('/').replace('/', '_')}")
    page.close()


@pytest.mark.parametrize("username", ["prefecture", "liaison-hagi", "council"])
def test_axe_on_every_page(username, live_server, browser, people):
    """One test a role, so the workers share them."""
    urls = pages_with_content()[username]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    login(page, live_server.url, username)
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, (username, url, response.status)
        assert_accessible(page, f"every-{username}-{url.strip('/').replace('/', '_') or 'top'}")
    page.goto(f"{live_server.url}/")
    logout(page)
    page.close()


def tab_to(page, name: str, limit: int = 80):
    """Press Tab until the focused element's text or label contains `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; if (!e) return '';"
            " const label = e.labels && e.labels.length ? e.labels[0].innerText : '';"
            " return (e.innerText || e.value || '') + ' ' + label + ' ' + (e.getAttribute('aria-label') || ''); }"
        )
        if name in focused:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def press_and_wait(page, key: str):
    with page.expect_navigation():
        page.keyboard.press(key)


def test_keyboard_only_liaison_journey(live_server, browser, people):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page.goto(f"{live_server.url}/accounts/login/")
    if page.evaluate("() => document.activeElement && document.activeElement.id") != "id_username":
        tab_to(page, "ユーザー名")  # autofocus puts it there; reach it by Tab otherwise
    page.keyboard.type("liaison-hagi")
    page.keyboard.press("Tab")
    page.keyboard.type("pw")
    press_and_wait(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("萩市の状況報告")
    tab_to(page, "報告を作成する")
    press_and_wait(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("令和5年度 第1四半期")
    tab_to(page, "DX推進体制を編集する")
    press_and_wait(page, "Enter")
    tab_to(page, "外部人材確保（CIO補佐官等）")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    tab_to(page, "保存する")
    press_and_wait(page, "Enter")
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    expect(page.locator(".section-values").first).to_contain_text("○(2名)")
    tab_to(page, "提出内容を確認する")
    press_and_wait(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("提出内容の確認")
    tab_to(page, "この内容で提出する")
    press_and_wait(page, "Enter")
    expect(page.locator(".message-success")).to_contain_text("提出しました")
    page.close()
