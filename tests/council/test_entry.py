"""Safe data entry (#13): a save posted after the login expired comes back, not saved, after the
login; the login's expiry is known to the page without writing the session; extending it."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from council import entry, services
from council.middleware import LoginRequiredMiddleware
from council.models import DXStructure, ReportingPeriod, ReportStatus, Role
from tests.factories import UserFactory
from tests.hardening.test_bad_input import fingerprint


@pytest.fixture
def draft(hagi, liaison):
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    return services.report_start(municipality=hagi, period=period, user=liaison)


def typed(**overrides) -> dict:
    data = {
        "department": "期限切れの後に保存した部署",
        "policy": "established",
        "promotion_body": "萩市DX推進本部",
        "has_external_talent": "on",
        "external_talent_count": "3",
        "expected_version": "1",
        "entry_user": "liaison-hagi",
    }
    data.update(overrides)
    return data


def log_in(client, username="liaison-hagi", next_url=""):
    return client.post("/accounts/login/", {"username": username, "password": "pw", "next": next_url})


def expire_every_session():
    Session.objects.all().delete()  # as the clock would: the browser's cookie now names no session


def test_a_save_after_the_login_expired_comes_back_after_the_login_not_saved(client, liaison, draft):
    url = reverse("reports:section", args=[draft.pk, "dx"])
    log_in(client)
    assert client.get(url).status_code == 200
    expire_every_session()
    before = fingerprint()

    response = client.post(url, typed())
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"
    login_page = client.get(response.url).content.decode()
    assert LoginRequiredMiddleware.EXPIRED in login_page
    assert fingerprint() == before  # nothing saved

    response = log_in(client, next_url=url)
    assert response.status_code == 302 and response.url == url
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "ログインの前に入力した内容を表示しています（まだ保存していません）" in html
    assert 'value="期限切れの後に保存した部署"' in html and 'value="3"' in html
    assert "data-entry-unsaved" in html  # leaving it asks first
    assert fingerprint() == before  # shown, still not saved

    again = client.get(url).content.decode()  # given back once
    assert "ログインの前に入力した内容" not in again and "期限切れの後に保存した部署" not in again

    expected_version = re.search(r'name="expected_version" value="(\d+)"', html).group(1)
    response = client.post(url, typed(expected_version=expected_version))
    assert response.status_code == 302
    assert DXStructure.objects.get(report=draft).department == "期限切れの後に保存した部署"


def test_values_kept_at_expiry_go_to_no_one_else(client, liaison, hagi, draft):
    """On a shared computer, another person of the same municipality logging in next does not get
    what the first one typed."""
    UserFactory(username="liaison-hagi-2", role=Role.LIAISON, organisation=hagi)
    url = reverse("reports:section", args=[draft.pk, "dx"])
    client.post(url, typed())
    log_in(client, username="liaison-hagi-2")
    html = client.get(url).content.decode()
    assert "期限切れの後に保存した部署" not in html and "ログインの前に入力した内容" not in html


def test_values_kept_at_expiry_wait_for_their_own_form_and_expire(client, liaison, draft):
    url = reverse("reports:section", args=[draft.pk, "dx"])
    other = reverse("reports:section", args=[draft.pk, "online_procedures"])
    client.post(url, typed())
    log_in(client)
    assert "期限切れの後に保存した部署" not in client.get(other).content.decode()
    session = client.session
    session[entry.UNSAVED]["at"] = time.time() - entry.KEEP_SECONDS - 1
    session.save()
    assert "期限切れの後に保存した部署" not in client.get(url).content.decode()
    assert entry.UNSAVED not in client.session


def test_kept_values_of_a_report_locked_meanwhile_come_back_beside_the_reason(client, liaison, draft):
    url = reverse("reports:section", args=[draft.pk, "dx"])
    client.post(url, typed())
    services.report_submit(report=draft, user=liaison)  # a colleague submitted it meanwhile
    log_in(client)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "この報告は「提出済」のため編集できません" in html and "入力した内容は保存されていません" in html
    assert 'value="期限切れの後に保存した部署"' in html
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def test_an_action_item_update_after_the_login_expired_comes_back_too(client, liaison, hagi):
    from council.models import ActionItem, Meeting

    item = ActionItem.objects.create(meeting=Meeting.objects.get(), title="確認", owner=hagi)
    url = reverse("council:action", args=[item.pk])
    data = {"status": "open", "progress": "期限切れの後に書いた進捗", "entry_user": "liaison-hagi"}
    assert client.post(url, data).status_code == 302
    log_in(client)
    html = client.get(url).content.decode()
    assert "ログインの前に入力した内容を表示しています" in html and "期限切れの後に書いた進捗" in html
    assert "もう一度「更新する」を押してください" in html
    item.refresh_from_db()
    assert item.progress != "期限切れの後に書いた進捗"


def test_only_data_entry_views_keep_a_post(client, liaison, draft):
    response = client.post(reverse("reports:submit", args=[draft.pk]), {"entry_user": "liaison-hagi"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert entry.UNSAVED not in client.session
    assert LoginRequiredMiddleware.EXPIRED not in client.get(response.url).content.decode()


def test_the_page_knows_when_the_login_expires_without_writing_the_session(client, liaison, draft, settings):
    settings.SESSION_COOKIE_AGE = 3600
    settings.PORTAL_SESSION_WARNING_SECONDS = 300
    url = reverse("reports:section", args=[draft.pk, "dx"])
    log_in(client)  # a login saves the session: its expiry is recorded
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    assert not [q for q in captured if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    expires_in = int(re.search(r'data-expires-in="(\d+)"', html).group(1))
    assert 3590 <= expires_in <= 3600
    assert 'data-warn-before="300"' in html and f'data-extend-url="{reverse("session_extend")}"' in html
    assert "まもなくログインの有効期限が切れます" in html and "ログインを延長する" in html
    stored = Session.objects.get(session_key=client.session.session_key).expire_date.timestamp()
    assert abs(stored - (time.time() + expires_in)) < 5


def test_a_session_whose_expiry_is_unknown_shows_no_timer(client, liaison, draft):
    client.force_login(liaison)  # saved without the middleware: no recorded expiry
    html = client.get(reverse("reports:section", args=[draft.pk, "dx"])).content.decode()
    assert "data-entry" in html and 'id="session-timer"' not in html


def test_extending_the_login_saves_the_session_for_another_full_age(client, liaison, settings):
    settings.SESSION_COOKIE_AGE = 600
    url = reverse("session_extend")
    assert client.post(url).status_code == 401  # not logged in: the page says the login expired
    log_in(client)
    assert client.get(url).status_code == 405
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    response = client.post(url)
    assert response.status_code == 200 and response.json() == {"expires_in": 600}
    assert "no-cache" in response["Cache-Control"]
    expire_date = Session.objects.get(session_key=client.session.session_key).expire_date.timestamp()
    assert abs(expire_date - (time.time() + 600)) < 5
    assert abs(client.session[entry.EXPIRES_AT] - (time.time() + 600)) < 5


def test_extending_is_csrf_checked(liaison):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(liaison)
    assert client.post(reverse("session_extend")).status_code == 403
