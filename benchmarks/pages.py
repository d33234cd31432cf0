#!/usr/bin/env python
"""Server time and query count of the portal's pages at 19 and at more municipalities.

Runs in-process through Django's test client against a throw-away test database (SQLite in memory,
or PostgreSQL when DATABASE_URL is set), so it measures the view, the ORM and the database, not the
network. `/healthz` (one SELECT 1) is the baseline measured in the same run.

    .venv/bin/python benchmarks/pages.py [--sizes 19,200] [--runs 30]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from council.models import Municipality, Profile, ReportingPeriod, Role  # noqa: E402
from council.roles import ensure_staff_group  # noqa: E402
from council.synthetic import add_synthetic_municipalities  # noqa: E402

PAGES = [
    ("baseline /healthz", None, "/healthz"),
    ("staff top", "staff", "/"),
    ("liaison top", "liaison", "/"),
    ("review queue", "staff", "/reports/review/"),
    ("completeness", "staff", "/reports/completeness/?period=2022-Q4"),
    ("DX dashboard (member)", "member", "/council/"),
    ("DX export xlsx", "staff", "/council/export.xlsx"),
    ("資料1 dashboard (member)", "member", "/standardization/"),
    ("資料1 団体カルテ", "member", "/standardization/hagi/"),
    ("資料1 export xlsx", "staff", "/standardization/export.xlsx"),
    ("admin reports", "staff", "/admin/council/statusreport/"),
]


def users():
    prefecture = Municipality.objects.get(code="350001")
    model = get_user_model()
    staff = model.objects.create_user("bench-staff", is_staff=True)
    staff.groups.add(ensure_staff_group())
    Profile.objects.create(user=staff, role=Role.STAFF, organisation=prefecture)
    member = model.objects.create_user("bench-member")
    Profile.objects.create(user=member, role=Role.MEMBER, organisation=prefecture)
    liaison = model.objects.create_user("bench-liaison")
    Profile.objects.create(user=liaison, role=Role.LIAISON, organisation=Municipality.objects.get(slug="hagi"))
    return {"staff": staff, "member": member, "liaison": liaison}


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
    parser.add_argument("--sizes", default="19,200")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed", verbosity=0)
        people = users()
        clients = {}
        for role, user in people.items():
            clients[role] = Client()
            clients[role].force_login(user)
        clients[None] = Client()
        period = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
        prefecture = Municipality.objects.get(code="350001")
        results = {}
        current = 19
        for size in sizes:
            if size > current:
                add_synthetic_municipalities(prefecture=prefecture, n=size - current, period=period, start=600 + current)
                current = size
            for label, role, url in PAGES:
                results[(label, size)] = measure(clients[role], url, args.runs)
        vendor = connection.vendor
        print(f"pages.py: {vendor}, median of {args.runs} requests after warm-up (ms) and queries per request")
        header = f"{'page':28}" + "".join(f"{f'{s} municipalities':>24}" for s in sizes)
        print(header)
        for label, _, _ in PAGES:
            cells = "".join(f"{results[(label, s)][0]:>14.1f} ms {results[(label, s)][1]:>3} q" for s in sizes)
            print(f"{label:28}{cells}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
