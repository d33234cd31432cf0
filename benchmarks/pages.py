#!/usr/bin/env python
"""Server time and query count of the portal's pages at 19 municipalities and at a national scale.

Runs in-process through Django's test client against a throw-away test database (SQLite in memory,
or PostgreSQL when DATABASE_URL is set), so it measures the view, the ORM and the database, not the
network. `/healthz` (one SELECT 1) is the baseline measured in the same run. Dashboards are measured
for a member of 山口県's council (its municipalities: the seed's 19, then 72 once
`generate_nation --municipalities N` has spread N over 47 prefectures), for a national viewer (the
dashboards by prefecture once there are several) and for a national viewer choosing 東京都.

    .venv/bin/python benchmarks/pages.py [--nation 1741] [--quarters 8] [--runs 30]
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from council.models import Municipality, Profile, Role  # noqa: E402
from council.roles import ensure_staff_group  # noqa: E402

DASHBOARDS = [
    ("資料1", "/standardization/?period=2022-Q4"),
    ("資料2", "/online-procedures/?period=2022-Q4"),
    ("資料3", "/rpa/?"),
    ("資料4", "/analog-review/?period=2022-Q4"),
    ("資料5", "/mynumber/?"),
    ("資料7", "/council/?period=2022-Q4"),
]
PAGES = [
    ("baseline /healthz", None, "/healthz"),
    ("staff top", "staff", "/"),
    ("liaison top", "liaison", "/"),
    ("review queue", "staff", "/reports/review/"),
    ("completeness", "staff", "/reports/completeness/?period=2022-Q4"),
    # a member of 山口県's council: its municipalities (19, then 72 in the synthetic nation)
    *[(f"{name} council", "council", url) for name, url in DASHBOARDS],
    ("資料1 団体カルテ", "council", "/standardization/hagi/?period=2022-Q4"),
    # a national viewer: by prefecture once there are several (at 19 it is the one prefecture's page)
    *[(f"{name} national", "member", url) for name, url in DASHBOARDS],
    # a national viewer choosing 東京都 (a different page from the council's: not drawn at 19)
    *[(f"{name} national 東京都", "member", f"{url}&pref=13".replace("?&", "?")) for name, url in DASHBOARDS],
    # 資料1 with the national detail in every report (generate_nation fills it; measured at national
    # scale only: the seed has no approved 2023-Q1 report)
    ("資料1 detail council", "council", "/standardization/?period=2023-Q1"),
    ("資料1 detail national", "member", "/standardization/?period=2023-Q1"),
    ("資料1 detail カルテ", "council", "/standardization/hagi/?period=2023-Q1"),
    ("meeting present", "council", "/council/meetings/1/present/"),
    ("資料1 export xlsx", "staff", "/standardization/export.xlsx?period=2022-Q4"),
    ("資料7 export xlsx", "staff", "/council/export.xlsx?period=2022-Q4"),
    ("admin reports", "staff", "/admin/council/statusreport/"),
]


def logged_in(people: dict) -> dict:
    """A test client per person, logged in, and one anonymous (`None`)."""
    clients = {None: Client()}
    for role, user in people.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def users():
    """Staff and a council member of no organisation (they see the nation), and 萩市's liaison."""
    model = get_user_model()
    staff = model.objects.create_user("bench-staff", is_staff=True)
    staff.groups.add(ensure_staff_group())
    Profile.objects.create(user=staff, role=Role.STAFF)
    member = model.objects.create_user("bench-member")
    Profile.objects.create(user=member, role=Role.MEMBER)
    council = model.objects.create_user("bench-council")
    Profile.objects.create(
        user=council, role=Role.MEMBER, organisation=Municipality.objects.get(code="350001")
    )
    liaison = model.objects.create_user("bench-liaison")
    Profile.objects.create(
        user=liaison, role=Role.LIAISON, organisation=Municipality.objects.get(slug="hagi")
    )
    return {"staff": staff, "member": member, "council": council, "liaison": liaison}


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def measure(client, url, runs):
    fetch(client, url)  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        fetch(client, url)
    queries = len(ctx.captured_queries)  # read now: the next request resets the query log
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fetch(client, url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nation", type=int, default=1741, help="municipalities at national scale")
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed", verbosity=0)
        clients = logged_in(users())
        results, cached, sizes = {}, {}, []
        for step in ("seed", "nation"):
            if step == "nation":
                started = time.perf_counter()
                call_command(
                    "generate_nation",
                    municipalities=args.nation,
                    quarters=args.quarters,
                    seed=1,
                    stdout=io.StringIO(),
                )
                print(
                    f"generate_nation --municipalities {args.nation} --quarters {args.quarters}: {time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                )
            size = Municipality.objects.reporting().count()
            sizes.append(size)
            for label, role, url in PAGES:
                if step == "seed" and ("pref=" in url or " detail" in label):
                    continue  # the seed has one prefecture, and no approved 2023-Q1 report
                settings.DASHBOARD_CACHE_SECONDS = 0
                results[(label, size)] = measure(clients[role], url, args.runs)
                settings.DASHBOARD_CACHE_SECONDS = 600
                cached[(label, size)] = measure(clients[role], url, args.runs)
        print(
            f"pages.py: {connection.vendor}, median of {args.runs} requests after warm-up: ms and queries per request,"
        )
        print(
            "uncached (every request builds the page) | cached (dashboard part served from the data-version cache)"
        )
        print(f"{'page':24}" + "".join(f"{f'{s} municipalities':>44}" for s in sizes))
        for label, _, _ in PAGES:
            cells = "".join(
                f"{results[(label, s)][0]:>12.1f} ms {results[(label, s)][1]:>3} q |{cached[(label, s)][0]:>10.1f} ms {cached[(label, s)][1]:>3} q"
                if (label, s) in results
                else f"{'—':>44}"
                for s in sizes
            )
            print(f"{label:24}{cells}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
