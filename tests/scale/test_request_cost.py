"""A cheaper request (issue #15): with the shared cache (REDIS_URL) a logged-in read costs no query
for its session, its user or the dashboards' data version; nothing that keeps the portal safe is lost:
the login is still required, a lockout still holds, an expired session still ends the login, and a
deactivation, a new password or a new role holds on the very next request.

The shared cache is Redis in production (tests/scale/test_two_servers.py proves it across servers);
here one process's local-memory cache stands in for it, with the same settings REDIS_URL sets."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from council import services
from council.accounts import services as account_services
from council.models import ReportingPeriod, Role


@pytest.fixture
def shared_cache(settings):
    settings.SESSION_ENGINE = "council.sessions"
    settings.PORTAL_USER_CACHE_SECONDS = 300
    settings.DASHBOARD_VERSION_IN_CACHE = True
    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_ping_costs_two_queries_without_the_shared_cache(client, member, count_queries):
    """One server (`make run`, no REDIS_URL): the session and the user (with the profile) from the
    database, as before."""
    client.force_login(member)
    client.get("/ping")
    assert count_queries(lambda: client.get("/ping")) == 2


def test_ping_and_a_cached_dashboard_cost_no_query_with_the_shared_cache(
    client, shared_cache, member, count_queries
):
    client.force_login(member)
    assert client.get("/ping").content == b"ok"
    assert count_queries(lambda: client.get("/ping")) == 0
    url = reverse("council:dashboard") + "?period=2022-Q4"
    assert "承認済みの報告 19／19団体" in client.get(url).content.decode()
    assert count_queries(lambda: client.get(url)) == 0
    assert "承認済みの報告 19／19団体" in client.get(url).content.decode()


def test_an_approval_shows_on_the_next_request_with_the_version_in_the_cache(
    client, shared_cache, member, liaison, staff, hagi, django_capture_on_commit_callbacks
):
    """The page this process keeps in its own memory (as the shared cache does) is served only at
    the data version every request reads with its session: an approval, on any server, moves it."""
    from council.framework.cache import PAGES

    client.force_login(member)
    url = reverse("council:dashboard") + "?period=2023-Q1"
    assert "承認済みの報告 0／19団体" in client.get(url).content.decode()
    assert PAGES.entries  # kept in this process
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    services.report_submit(report=report, user=liaison)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=staff)
    assert "承認済みの報告 1／19団体" in client.get(url).content.decode()
    # the cached version lost (a Redis restart, an eviction): the row refills it, nothing stale
    cache.delete("dashboards:version")
    assert "承認済みの報告 1／19団体" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_reopen(report=report, user=staff)
    assert "承認済みの報告 0／19団体" in client.get(url).content.decode()


def test_a_version_read_before_a_change_never_overwrites_it(
    db, shared_cache, django_capture_on_commit_callbacks
):
    """A reader that read the row before a change and stores it after: its older value loses."""
    from council.framework import cache as dashboard_cache

    cache.delete(dashboard_cache.VERSION_KEY)
    old = dashboard_cache.stored_version()
    with django_capture_on_commit_callbacks(execute=True):
        dashboard_cache.invalidate()  # the change lands while the reader is between read and store
    assert not cache.add(dashboard_cache.VERSION_KEY, old, timeout=None)  # the reader's store
    assert dashboard_cache.data_version() == old + 1 == dashboard_cache.stored_version()


def test_the_login_is_still_required(client, shared_cache):
    response = client.get("/ping")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("council:dashboard")).status_code == 302


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, shared_cache, liaison, count_queries):
    client.force_login(liaison)
    client.get("/ping")
    assert count_queries(lambda: client.get("/ping")) == 0  # from the cache
    account_services.account_deactivate(user=liaison)
    assert client.get("/ping").status_code == 302


def test_a_new_password_ends_the_other_sessions_on_the_next_request(client, shared_cache, liaison):
    client.force_login(liaison)
    assert client.get("/ping").status_code == 200
    liaison.set_password("another-horse-42")
    liaison.save()
    assert client.get("/ping").status_code == 302


def test_a_new_role_holds_on_the_next_request(client, shared_cache, liaison):
    client.force_login(liaison)
    assert client.get(reverse("reports:list")).status_code == 200  # a liaison's page
    profile = liaison.portal_profile
    profile.role = Role.MEMBER
    profile.save()
    assert client.get(reverse("reports:list")).status_code in (403, 404)


def test_a_lockout_still_holds(client, shared_cache, liaison, settings):
    liaison.set_password("correct-horse-7")
    liaison.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "liaison-hagi", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "liaison-hagi", "password": "correct-horse-7"})
    assert response.status_code == 429 and "ログインを一時停止しています" in response.content.decode()
    assert client.get("/ping").status_code == 302


def test_an_expired_session_ends_the_login(client, shared_cache, member):
    """The session in the cache expires with the session (its timeout is the session's age): the
    next request goes to the login page, as with sessions in the database."""
    client.force_login(member)
    session = client.session
    session.set_expiry(1)
    session.save()
    assert client.get("/ping").status_code == 200
    time.sleep(2.1)
    assert client.get("/ping").status_code == 302


def test_the_content_security_policy_is_the_one_django_csp_builds(client, member, settings):
    """The header built once per process is exactly django-csp's, on every kind of response."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    expected = CSPMiddleware(lambda r: HttpResponse()).process_response(
        RequestFactory().get("/"), HttpResponse()
    )
    policy = expected["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    client.force_login(member)
    for url in ("/ping", reverse("council:dashboard"), "/no-such-page/"):
        assert client.get(url)["Content-Security-Policy"] == policy, url
    client.logout()
    assert client.get(reverse("login"))["Content-Security-Policy"] == policy


def test_a_copy_read_before_a_deactivation_is_never_served(client, shared_cache, liaison, monkeypatch):
    """The race of two servers: request A reads the user row, the user is deactivated (and forgotten,
    at the save and at the commit) before A stores its copy in the shared cache. The next request on
    any server must see the deactivation, not A's stale copy."""
    from council.auth import PortalBackend

    client.force_login(liaison)
    read = PortalBackend.read_user

    def slow_read(self, user_id):
        user = read(self, user_id)  # the row as it was …
        account_services.account_deactivate(user=liaison)  # … deactivated before A stores it
        monkeypatch.setattr(PortalBackend, "read_user", read)
        return user

    monkeypatch.setattr(PortalBackend, "read_user", slow_read)
    client.get("/ping")  # request A: stores the copy it read
    assert client.get("/ping").status_code == 302  # the next request: logged out


def test_a_session_is_its_own_users_whatever_the_process_remembers(shared_cache, member, staff):
    """A process remembers whose a session was, to read that user along with it (council.sessions).
    Should the memory be wrong, the session still decides: the member stays the member, with none of
    the staff's pages, and the staff's copy read along is not used."""
    from django.test import Client

    from council import sessions
    from council.auth import user_cache_keys

    staff_client, member_client = Client(), Client()
    staff_client.force_login(staff)
    member_client.force_login(member)
    staff_client.get("/ping")  # the staff's copy in the shared cache
    member_client.get("/ping")
    sessions.USER_HINTS[member_client.session.session_key] = str(staff.pk)
    response = member_client.get(reverse("council:dashboard"))
    assert set(user_cache_keys(staff.pk)) <= response.wsgi_request.session.prefetch_keys  # read along
    assert response.status_code == 200 and response.wsgi_request.user.pk == member.pk
    assert "管理画面" not in response.content.decode()
    assert member_client.get(reverse("admin:index")).status_code == 302  # to the admin's login
    assert staff_client.get(reverse("admin:index")).status_code == 200


# --- a cached dashboard is one page for everyone who sees the same data, and each person's own parts ---


def test_a_cached_dashboard_names_the_person_who_opened_it(shared_cache, hagi, ube):
    """Liaisons of 萩市 and 宇部市 share one cached dashboard (a liaison sees the whole prefecture), each
    with their own name and municipality in the header, never the other's; the cached page itself
    holds no one's name and no CSRF token."""
    from django.test import Client

    from council.framework import cache as dashboard_cache
    from tests.factories import UserFactory

    first = UserFactory(
        username="hagi-a", first_name="一郎", last_name="萩", role=Role.LIAISON, organisation=hagi
    )
    second = UserFactory(
        username="ube-b", first_name="花子", last_name="宇部", role=Role.LIAISON, organisation=ube
    )
    url = reverse("council:dashboard")
    pages = {}
    for user in (first, second, first):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        pages[user.username] = response.content.decode()
    assert first.get_full_name() in pages["hagi-a"] and second.get_full_name() not in pages["hagi-a"]
    assert second.get_full_name() in pages["ube-b"] and first.get_full_name() not in pages["ube-b"]
    assert "（萩市）" in pages["hagi-a"] and "（宇部市）" not in pages["hagi-a"]
    assert "（宇部市）" in pages["ube-b"] and "（萩市）" not in pages["ube-b"]
    kept = dashboard_cache.page_key(response.wsgi_request)
    shared = cache.get(kept)[1]
    assert dashboard_cache.PERSON_MARK in shared
    assert "一郎" not in shared and "花子" not in shared and "csrfmiddlewaretoken" not in shared


def test_a_cached_dashboard_shows_the_admin_link_only_to_the_admin(shared_cache, seeded):
    from django.test import Client

    from tests.factories import UserFactory

    admin = UserFactory(username="staff-admin", role=Role.STAFF, organisation=seeded, is_staff=True)
    plain = UserFactory(username="staff-plain", role=Role.STAFF, organisation=seeded, is_staff=False)
    url = reverse("council:dashboard")
    seen = {}
    for user in (admin, plain):
        client = Client()
        client.force_login(user)
        seen[user.username] = client.get(url).content.decode()
    assert ">管理画面</a>" in seen["staff-admin"]
    assert ">管理画面</a>" not in seen["staff-plain"]


def test_the_logout_on_a_cached_dashboard_carries_the_viewers_own_token(shared_cache, member, seeded):
    """The logout form's CSRF token is drawn for each request: another member's copy of the page
    (cached first) does not hand theirs on, and the form logs this viewer out."""
    import re

    from django.test import Client

    from tests.factories import UserFactory

    other = UserFactory(username="member-2", role=Role.MEMBER, organisation=seeded)
    warm = Client(enforce_csrf_checks=True)
    warm.force_login(other)
    warm_page = warm.get(reverse("council:dashboard")).content.decode()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    page = client.get(reverse("council:dashboard")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert token not in warm_page
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/ping").status_code == 302  # logged out


def test_a_message_shows_on_a_cached_dashboard_for_its_viewer_only(client, shared_cache, member, seeded):
    """A message is drawn for its viewer whether the page was cached before (by someone else) or is
    cached by this very request; nobody else sees it, and it is shown once."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import Client, RequestFactory

    from tests.factories import UserFactory

    def with_message(viewer, text):
        viewer.cookies[CookieStorage.cookie_name] = CookieStorage(RequestFactory().get("/"))._encode(
            [Message(constants.SUCCESS, text)]
        )

    url = reverse("council:dashboard")
    other = Client()
    other.force_login(UserFactory(username="member-3", role=Role.MEMBER, organisation=seeded))
    client.force_login(member)
    # this viewer's request builds and caches the page, with its message
    with_message(client, "資料1を確定しました。")
    assert "資料1を確定しました。" in client.get(url).content.decode()
    assert "資料1を確定しました。" not in other.get(url).content.decode()
    assert "資料1を確定しました。" not in client.get(url).content.decode()  # shown once
    # the page is cached now (by either of them): a new message still reaches its viewer only
    with_message(other, "資料2を確定しました。")
    assert "資料2を確定しました。" in other.get(url).content.decode()
    assert "資料2を確定しました。" not in client.get(url).content.decode()


def test_a_page_kept_in_process_memory_lasts_no_longer_than_in_the_shared_cache(
    client, shared_cache, member, settings, monkeypatch
):
    """A change that did not move the data version (a bulk update in a shell) shows once the cached
    page's time is up, in the process's own memory as in the shared cache."""
    from council.framework import cache as dashboard_cache

    client.force_login(member)
    url = reverse("council:dashboard") + "?period=2022-Q4"
    assert "承認済みの報告 19／19団体" in client.get(url).content.decode()
    key = next(iter(dashboard_cache.PAGES.entries))
    version, parts = dashboard_cache.PAGES.entries[key][1]
    stale = tuple(part.replace("19／19団体".encode(), "0／19団体".encode()) for part in parts)
    dashboard_cache.PAGES.keep(key, (version, stale))  # as if the data had changed under it
    assert "承認済みの報告 0／19団体" in client.get(url).content.decode()  # within its time: kept
    cache.clear()  # the shared cache's copy is gone with its time
    now = time.monotonic()
    monkeypatch.setattr(dashboard_cache.time, "monotonic", lambda: now + settings.DASHBOARD_CACHE_SECONDS + 1)
    assert "承認済みの報告 19／19団体" in client.get(url).content.decode()  # rebuilt


def test_a_new_name_shows_on_the_next_cached_dashboard(client, shared_cache, liaison):
    """The header's part is drawn once per person and process, and again for a person whose name or
    organisation changed."""
    liaison.first_name, liaison.last_name = "一郎", "萩"
    liaison.save()
    client.force_login(liaison)
    url = reverse("council:dashboard")
    assert "一郎 萩（萩市）" in client.get(url).content.decode()  # Django's full name: first, then last
    liaison.last_name = "長門"
    liaison.save()
    page = client.get(url).content.decode()
    assert "一郎 長門（萩市）" in page and "一郎 萩" not in page


def test_a_page_is_cut_where_the_person_and_the_messages_go():
    from council.framework.cache import MESSAGES_MARK, PERSON_MARK, cut

    assert cut(f"<header>{PERSON_MARK}</header><main>{MESSAGES_MARK}表</main>") == (
        b"<header>",
        b"</header><main>",
        "表</main>".encode(),
    )
    # a page without both marks, in order, is one part, shown as it is
    assert cut("<main>表</main>") == ("<main>表</main>".encode(),)
    assert cut(f"{MESSAGES_MARK}{PERSON_MARK}") == (f"{MESSAGES_MARK}{PERSON_MARK}".encode(),)
