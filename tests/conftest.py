"""Shared fixtures: the seed data, one user per role, and a synthetic nation for query-count tests."""

import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import settings as hypothesis_settings

from council.models import Municipality, Role
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run there
# unless told that this is deliberate (the ORM calls are still synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# property tests (Hypothesis): no deadline on these noisy 2-core machines; in CI the same examples
# every run (a failure found locally is kept in .hypothesis/ and replayed first)
hypothesis_settings.register_profile("portal", deadline=None, derandomize=bool(os.environ.get("CI")))
hypothesis_settings.load_profile("portal")

YAMAGUCHI = "350001"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        if connection.vendor == "sqlite":
            # the seed dates its history by updating rows, which leaves free pages behind; compact
            # them so a database "full" at its page count is full (tests/hardening/test_workbooks.py)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")


@pytest.fixture(autouse=True)
def fresh_page_memory():
    """Each test starts with no page kept in this process (council.framework.cache.PAGES): a test's
    database starts over, so a data version number can come back with other data behind it, which a
    running portal's never does."""
    from council.framework.cache import PAGES

    PAGES.clear()


@pytest.fixture
def seeded(db):
    """The seed data (organisations, periods, the 2023-05-11 tables as approved reports).
    Loaded once per test database; reloaded if a transactional test flushed it."""
    if not Municipality.objects.filter(code=YAMAGUCHI).exists():
        call_command("seed", verbosity=0)
    return Municipality.objects.get(code=YAMAGUCHI)


@pytest.fixture
def staff(seeded):
    from council.roles import ensure_staff_group

    user = UserFactory(username="staff", role=Role.STAFF, organisation=seeded, is_staff=True)
    user.groups.add(ensure_staff_group())
    return user


@pytest.fixture
def member(seeded):
    return UserFactory(username="member", role=Role.MEMBER, organisation=seeded)


@pytest.fixture
def hagi(seeded):
    return Municipality.objects.get(slug="hagi")


@pytest.fixture
def ube(seeded):
    return Municipality.objects.get(slug="ube")


@pytest.fixture
def q1():
    """令和5年度 第1四半期: the open quarter of the seed, where new reports start."""
    from council.models import ReportingPeriod

    return ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)


@pytest.fixture
def liaison(hagi):
    return UserFactory(username="liaison-hagi", role=Role.LIAISON, organisation=hagi)


@pytest.fixture
def other_liaison(ube):
    return UserFactory(username="liaison-ube", role=Role.LIAISON, organisation=ube)


@pytest.fixture
def grow_prefecture(seeded):
    """grow_prefecture(n): add `n` municipalities to 山口県, each with an approved DX-structure report in
    2022-Q4, so that a page's query count can be compared at 19 and at 19 + n municipalities."""
    from council.models import ReportingPeriod
    from council.synthetic import add_synthetic_municipalities

    def grow(n: int):
        period = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
        return add_synthetic_municipalities(prefecture=seeded, n=n, period=period)

    return grow


@pytest.fixture
def count_queries():
    """count_queries(fn) → the number of SQL queries fn() runs."""

    def run(fn):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    return run


@pytest.fixture(scope="session")
def browser():
    """Real Chromium (Debian's) through Playwright, one per test worker."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_browser

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def people(transactional_db):
    """For browser tests (transactional database): the seed data and the three demo roles, each
    with password "pw": prefecture (staff), council (member), liaison-hagi (萩市).
    Built once per test process and put back from a copy for the next tests (tests/db_snapshot.py)."""
    from tests import db_snapshot

    global _people_snapshot
    if _people_snapshot is not None:
        db_snapshot.restore(_people_snapshot)
        return
    _build_people()
    if connection.vendor in db_snapshot.SUPPORTED:
        _people_snapshot = db_snapshot.take()


_people_snapshot = None


def _build_people():
    from council.roles import ensure_staff_group

    call_command("seed", verbosity=0)
    prefecture = Municipality.objects.get(code=YAMAGUCHI)
    staff = UserFactory(
        username="prefecture", role=Role.STAFF, organisation=prefecture, is_staff=True, last_name="県 担当"
    )
    staff.groups.add(ensure_staff_group())
    UserFactory(username="council", role=Role.MEMBER, organisation=prefecture)
    UserFactory(
        username="liaison-hagi", role=Role.LIAISON, organisation=Municipality.objects.get(slug="hagi")
    )


@pytest.fixture
def other_council(seeded, django_user_model):
    """A second council: 広島県 with three towns (approved 2022-Q4 reports), a meeting of its own
    numbered like 山口県's (令和5年度 第1回) with an agenda item, a material, an opinion and two
    action items (a town's and the secretariat's), and its people: staff bound to the prefecture, a
    council member, a liaison of a town."""
    from datetime import datetime
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from council.models import ActionItem, AgendaItem, Material, Meeting, Opinion, ReportingPeriod
    from council.roles import ensure_staff_group
    from council.synthetic import add_synthetic_municipalities, synthetic_code

    prefecture = Municipality.objects.create(
        code=synthetic_code(34, 0), name="広島県", slug="hiroshima-pref", kind=Municipality.Kind.PREFECTURE
    )
    period = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
    towns = add_synthetic_municipalities(prefecture=prefecture, n=3, period=period)
    meeting = Meeting.objects.create(
        organiser=prefecture,
        fiscal_year=2023,
        number=1,
        title="広島県DX推進会議",
        held_at=datetime(2023, 6, 1, 10, tzinfo=ZoneInfo("Asia/Tokyo")),
    )
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="市町のDX推進体制等について")
    material = Material.objects.create(
        meeting=meeting,
        agenda_item=item,
        number=1,
        title="広島の体制",
        app_label="dx",
        period_key="2022-Q4",
    )
    opinion = Opinion.objects.create(
        meeting=meeting, speaker="試験町長", organisation=towns[0], content="広島の意見"
    )
    staff = UserFactory(username="hiroshima-staff", role=Role.STAFF, organisation=prefecture, is_staff=True)
    staff.groups.add(ensure_staff_group())
    return SimpleNamespace(
        prefecture=prefecture,
        towns=towns,
        meeting=meeting,
        agenda_item=item,
        material=material,
        opinion=opinion,
        town_action=ActionItem.objects.create(meeting=meeting, title="広島の町の対応", owner=towns[0]),
        secretariat_action=ActionItem.objects.create(meeting=meeting, title="広島県事務局の対応"),
        staff=staff,
        member=UserFactory(username="hiroshima-member", role=Role.MEMBER, organisation=prefecture),
        liaison=UserFactory(username="hiroshima-liaison", role=Role.LIAISON, organisation=towns[0]),
    )


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd, a free port), with the portal's mail settings
    pointed at it as EMAIL_URL=smtp://127.0.0.1:<port> would point them. `.received` holds the
    messages as they arrived."""

    from tests.mail_server import MailServer

    server = MailServer().start()
    point_mail_at(settings, server.url)
    yield server
    server.stop()


def point_mail_at(settings, url: str) -> None:
    """Mail settings as EMAIL_URL=`url` gives them (config/settings/base.py reads it the same way)."""
    import dj_email_url

    config = dj_email_url.parse(url)
    for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL"):
        setattr(settings, name, config[name])
    settings.EMAIL_TIMEOUT = 5
