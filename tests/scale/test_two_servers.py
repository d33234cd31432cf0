"""Several app servers on one database: two gunicorn servers (production settings, separate
processes on separate ports) on the same PostgreSQL database and the same Redis (REDIS_URL, a key
prefix of this run's own). A login through one is valid on the other, an approval through one shows on
the other's dashboard at its next request, a lockout through one holds on the other.

PostgreSQL only (SQLite is one machine's file); `.ci/run` runs it there and starts Redis first."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection

from council import services
from council.models import ReportingPeriod, Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
FAILURE_LIMIT = 3

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture(scope="module", autouse=True)
def needs_postgresql_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): two servers share one database server")
    try:
        redis_client().ping()
    except Exception as error:  # noqa: BLE001
        if os.environ.get("CI"):
            raise  # .ci/run starts Redis: in CI a missing Redis is a failure, not a skip
        pytest.skip(f"needs Redis at {REDIS_URL}: {error}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One person's cookies, sent to whichever server is asked (the balancer's choice)."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def get(self, base, path):
        return self.request(base, path)

    def request(self, base, path, data=None):
        request = urllib.request.Request(
            base + path,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={"Referer": base + path},
        )
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, response.headers, response.read().decode()

    def post(self, base, path, fields, form_page=None):
        _, _, html = self.get(base, form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.request(base, path, {"csrfmiddlewaretoken": token, **fields})

    def login(self, base, username, password="pw"):
        return self.post(base, "/accounts/login/", {"username": username, "password": password})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test looks at the redirect itself


@pytest.fixture
def servers(transactional_db, seeded):
    """Two gunicorn servers, one worker each, sharing this test's database and Redis."""
    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    database = connection.settings_dict
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "tests.scale.server_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}",
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,
        "DJANGO_SECRET_KEY": "two-servers-" + "q8Wm3Zr7Lp2Xv9Tn4Bc6Hd1Jf5Ge0Ky" * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "EMAIL_URL": "console://",
        "AXES_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "DASHBOARD_CACHE_SECONDS": "600",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if database.get("PASSWORD"):
        environment["DATABASE_URL"] = environment["DATABASE_URL"].replace(
            f"//{database['USER']}@", f"//{database['USER']}:{database['PASSWORD']}@"
        )
    bases, processes = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
                + [
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=environment,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes, strict=True):
            for _ in range(150):
                assert process.poll() is None, "gunicorn stopped at start"
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"{base} did not answer /healthz")
        yield bases[0], bases[1], prefix
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        client = redis_client()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def test_a_login_through_one_server_is_valid_on_the_other(servers, seeded):
    one, other, prefix = servers
    UserFactory(username="member-two-servers", role=Role.MEMBER, organisation=seeded)
    browser = Browser()
    assert browser.get(other, "/ping")[0] == 302  # not logged in: to the login page
    status, headers, _ = browser.login(one, "member-two-servers")
    assert status == 302 and headers["Location"] == "/"
    assert browser.get(other, "/ping")[:3:2] == (200, "ok")
    # the session is in the shared Redis (this run's prefix) and, behind it, in the database
    session_key = browser.cookie("sessionid")
    assert any(session_key in key.decode() for key in redis_client().scan_iter(f"{prefix}:*"))
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=session_key).exists()
    # a logout through the other ends it on both
    browser.post(other, "/accounts/logout/", {}, form_page="/")
    assert browser.get(one, "/ping")[0] == 302


def test_an_approval_through_one_server_shows_on_the_others_dashboard(servers, seeded, staff, liaison, hagi):
    one, other, prefix = servers
    staff.set_password("pw")
    staff.save()
    UserFactory(username="member-two-servers", role=Role.MEMBER, organisation=seeded)
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    services.report_submit(report=report, user=liaison)

    member = Browser()
    member.login(other, "member-two-servers")
    url = "/council/?period=2023-Q1"
    before = member.get(other, url)[2]
    assert "承認済みの報告 0／19団体" in before
    # the same page through the first server comes from the shared cache: no new cache entry
    client = redis_client()
    keys = set(client.scan_iter(f"{prefix}:*"))
    assert "承認済みの報告 0／19団体" in member.get(one, url)[2]
    assert set(client.scan_iter(f"{prefix}:*")) == keys

    reviewer = Browser()
    reviewer.login(one, "staff")
    status, headers, _ = reviewer.post(
        one, f"/reports/{report.pk}/approve/", {}, form_page=f"/reports/{report.pk}/review/"
    )
    assert status == 302
    report.refresh_from_db()
    assert report.status == "approved"
    assert "承認済みの報告 1／19団体" in member.get(other, url)[2]


def test_a_lockout_through_one_server_holds_on_the_other(servers, seeded):
    one, other, _ = servers
    UserFactory(username="member-two-servers", role=Role.MEMBER, organisation=seeded)
    attacker = Browser()
    for _ in range(FAILURE_LIMIT):
        status, _, html = attacker.login(one, "member-two-servers", password="wrong")
    assert "ログインを一時停止しています" in html
    # the right password, through the other server, from the same address: still locked out
    person = Browser()
    status, _, html = person.login(other, "member-two-servers")
    assert "ログインを一時停止しています" in html and person.cookie("sessionid") is None
    assert person.get(other, "/ping")[0] == 302
