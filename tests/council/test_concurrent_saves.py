"""Liaisons saving during a meeting on the embedded SQLite: the writers queue, none fails.

SQLite has one writer at a time (config/settings/base.py): every transaction begins IMMEDIATE and
waits for the write lock up to the busy timeout, so what keeps saves from failing is (1) that they
wait rather than fail, and (2) that requests write as little as they can: reading a page writes
nothing, and a save writes its section and not the session (the "保存しました" message travels in a
cookie). benchmarks/sqlite_meeting.py measures the same under `make run`; nothing here is timed.
"""

import re
import sqlite3
import threading
import time
from contextlib import closing, suppress

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from council import services
from council.models import DXStructure, Municipality, ReportingPeriod, Role
from tests.factories import UserFactory

DASHBOARDS = [
    "/council/",
    "/standardization/",
    "/online-procedures/",
    "/rpa/",
    "/analog-review/",
    "/mynumber/",
]
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(captured) -> list[str]:
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(WRITES)]


def dx_form(department: str, version: str) -> dict:
    return {
        "department": department,
        "policy": "established",
        "promotion_body": "DX推進本部",
        "has_external_talent": "on",
        "external_talent_count": "2",
        "expected_version": version,
    }


def test_reading_pages_writes_nothing(client, member, liaison, seeded):
    """A reader (dashboards) and a liaison opening its report and form write nothing: during a
    meeting only the saves themselves queue for SQLite's writer."""
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(
        municipality=liaison.portal_profile.organisation, period=period, user=liaison
    )
    client.force_login(member)
    for path in DASHBOARDS:
        client.get(path)  # a first visit may fill the dashboard cache (not the database)
    with CaptureQueriesContext(connection) as captured:
        for path in ["/", *DASHBOARDS, "/council/meetings/", "/ping"]:
            assert client.get(path).status_code in (200, 302), path
    assert writes(captured) == []

    client.force_login(liaison)
    with CaptureQueriesContext(connection) as captured:
        for path in [
            "/",
            "/reports/",
            report.get_absolute_url(),
            reverse("reports:section", args=[report.pk, "dx"]),
        ]:
            assert client.get(path).status_code == 200, path
    assert writes(captured) == []


def test_a_save_writes_its_section_and_not_the_session(client, liaison, seeded):
    """Saving and then seeing "保存しました" on the report writes the section (and its history), never
    the session: with the session's message storage both the save and the next page wrote it."""
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(
        municipality=liaison.portal_profile.organisation, period=period, user=liaison
    )
    client.force_login(liaison)
    url = reverse("reports:section", args=[report.pk, "dx"])
    version = re.search(r'name="expected_version" value="(\d+)"', client.get(url).content.decode()).group(1)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, dx_form("DX推進課", version))
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "を保存しました" in page
    written = writes(captured)
    assert written, "the save wrote nothing"
    assert not [sql for sql in written if "django_session" in sql], written
    assert DXStructure.objects.get(report=report).department == "DX推進課"


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's single writer: PostgreSQL has a writer per connection and locks rows",
)
@pytest.mark.django_db(transaction=True)
def test_liaisons_saving_at_once_on_a_file_database_all_save(seeded, tmp_path):
    """Real threads, each with its own connection to a file database opened with the portal's
    settings (WAL, BEGIN IMMEDIATE, busy timeout), save through the real views while readers read and
    while another connection holds the write lock for a while: every save waits for its turn and lands,
    every read is answered, nothing fails with "database is locked"."""
    liaisons_count, saves_each, readers_count = 6, 4, 3
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    municipalities = list(Municipality.objects.filter(prefecture=seeded).order_by("code")[:liaisons_count])
    liaisons = []
    for municipality in municipalities:
        user = UserFactory(
            username=f"liaison-{municipality.slug}", role=Role.LIAISON, organisation=municipality
        )
        report = services.report_start(municipality=municipality, period=period, user=user)
        liaisons.append((user, report, DXStructure.objects.get(report=report).version))
    member = UserFactory(username="member", role=Role.MEMBER, organisation=seeded)

    # the test database (in memory) copied into a file, in WAL mode as `make run`'s is
    path = tmp_path / "portal.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    file_database = {**connection.settings_dict, "NAME": str(path)}
    assert file_database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    failures: list[str] = []
    logged_in = threading.Barrier(liaisons_count + readers_count + 1)
    start = threading.Event()

    def on_file_database(work):
        """Run `work` in a thread whose ORM connection is to the file database."""

        def run():
            connections["default"] = DatabaseWrapper(file_database, "default")
            try:
                work()
            except Exception as error:  # noqa: BLE001
                failures.append(repr(error))
                logged_in.abort()
            finally:
                connections["default"].close()

        return threading.Thread(target=run)

    def liaison(user, report, _):
        client = Client()
        client.force_login(user)
        url = reverse("reports:section", args=[report.pk, "dx"])
        logged_in.wait()
        start.wait()
        for n in range(saves_each):
            page = client.get(url)
            version = re.search(r'name="expected_version" value="(\d+)"', page.content.decode()).group(1)
            response = client.post(url, dx_form(f"{user.username}-{n}", version))
            if response.status_code != 302 or response["Location"] != report.get_absolute_url():
                failures.append(f"{user.username} save {n}: {response.status_code}")
                continue
            if "を保存しました" not in client.get(response["Location"]).content.decode():
                failures.append(f"{user.username} save {n}: no saved message")

    def reader():
        client = Client()
        client.force_login(member)
        logged_in.wait()
        start.wait()
        for path in DASHBOARDS * 2:
            status = client.get(path).status_code
            if status != 200:
                failures.append(f"reader {path}: {status}")

    threads = [on_file_database(lambda item=item: liaison(*item)) for item in liaisons]
    threads += [on_file_database(reader) for _ in range(readers_count)]
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        # the busy timeout of the portal's connections: well beyond the lock held below
        with closing(DatabaseWrapper(file_database, "check")) as check, check.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] > 5000  # milliseconds; Python's default of 5 s was exceeded
        for thread in threads:
            thread.start()
        with suppress(threading.BrokenBarrierError):
            logged_in.wait()
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock as everyone starts
        start.set()
        time.sleep(0.5)  # not a measurement: long enough for the first saves to find the lock taken
        holder.execute("COMMIT")
        for thread in threads:
            thread.join()
    assert failures == []

    def stored():
        for user, report, version in liaisons:
            section = DXStructure.objects.get(report_id=report.pk)
            assert section.version == version + saves_each, user.username  # every save landed once
            assert section.department == f"{user.username}-{saves_each - 1}"

    check = on_file_database(stored)
    check.start()
    check.join()
    assert failures == []
