#!/usr/bin/env python
"""Ten years of data: every dashboard, the 団体カルテ, the exports and the imports at 8 and at 40
quarters of approved reports, side by side, and the plan of the slowest query.

In process (Django's test client) against a throw-away test database (SQLite in memory, or PostgreSQL
when DATABASE_URL is set), as benchmarks/pages.py: the seed, `generate_nation --municipalities N
--quarters 8`, measured; then `generate_nation --quarters 40` (the 32 older quarters added), measured
again. Pages are built on every request (the dashboard cache off: it would hide the cost). Imports:
each importer's dry run of its own app's export of the latest quarter (every row read and checked).
Median ms and queries per request; the ratio 40/8 (target ≤ 1.2×, equal query counts); then EXPLAIN
ANALYZE (PostgreSQL; EXPLAIN QUERY PLAN on SQLite) of the slowest query seen at 40 quarters.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_scale_bench \\
        .venv/bin/python benchmarks/quarters.py [--nation 1741] [--runs 10]
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.pages import PAGES, fetch, logged_in, users  # noqa: E402  (sets Django up)
from council.framework import registry  # noqa: E402
from council.framework.imports import run_import  # noqa: E402

TARGET = 1.2


def importers(staff_client, staff):
    """(label, fn) of each importer's dry run of its own export of the latest approved quarter."""
    found = []
    for app in registry.apps.all():
        if not app.importer:
            continue
        dashboard = next(spec for spec in registry.dashboards.all() if spec.key == app.key)
        url = reverse(dashboard.url_name.split(":")[0] + ":export")
        book = b"".join(staff_client.get(url).streaming_content)
        if not run_import(app.importer(), book, staff, commit=False).ok:
            continue  # 資料4 imports its inventory of provisions, not its export
        found.append(
            (
                f"{app.material} import dry run",
                lambda app=app, book=book: run_import(app.importer(), book, staff, commit=False),
            )
        )
    return found


def measure(fn, runs):
    fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = list(ctx.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), queries


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join("    " + " ".join(str(c) for c in row) for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nation", type=int, default=400, help="municipalities (1741: the whole country)")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    setup_test_environment()
    settings.DASHBOARD_CACHE_SECONDS = 0
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed", verbosity=0)
        people = users()
        clients = logged_in(people)
        results = {}
        for quarters in (8, 40):
            started = time.perf_counter()
            call_command(
                "generate_nation",
                municipalities=args.nation,
                quarters=quarters,
                seed=1,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            print(
                f"generate_nation --quarters {quarters}: {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
            if connection.vendor == "postgresql":
                # the planner's statistics of the grown tables, as autovacuum would gather them on a
                # running database (right after a bulk load they still describe the smaller tables)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            jobs = [(label, lambda c=clients[role], u=url: fetch(c, u)) for label, role, url in PAGES]
            jobs += importers(clients["staff"], people["staff"])
            for label, fn in jobs:
                results[(label, quarters)] = measure(fn, args.runs)
        print(
            f"quarters.py: {connection.vendor}, {args.nation} municipalities, median of {args.runs} requests "
            f"(dashboard cache off), ms and queries; target: 40 quarters ≤ {TARGET}× the time at 8, same queries"
        )
        print(f"{'page':26}{'8 quarters':>18}{'40 quarters':>18}{'ratio':>8}")
        labels = list(dict.fromkeys(label for label, _ in results))
        slowest = (0.0, "", "")
        grown = []
        for label in labels:
            (t8, q8), (t40, q40) = results[(label, 8)], results[(label, 40)]
            flag = "" if len(q8) == len(q40) and t40 <= TARGET * t8 else "  <-"
            print(
                f"{label:26}{t8:>11.1f} ms {len(q8):>3}q{t40:>11.1f} ms {len(q40):>3}q{t40 / t8:>7.2f}×{flag}"
            )
            for query in q40:
                if float(query["time"]) > slowest[0]:
                    slowest = (float(query["time"]), label, query["sql"])
            if flag and len(q8) == len(q40):
                grown.append(
                    (
                        label,
                        max(
                            zip(q8, q40, strict=True), key=lambda p: float(p[1]["time"]) - float(p[0]["time"])
                        ),
                    )
                )
        if grown:
            print("\nthe query that grew most on each flagged page (one run each, ms at 8 → 40 quarters):")
            for label, (a, b) in grown:
                print(
                    f"  {label:26}{float(a['time']) * 1000:>7.1f} →{float(b['time']) * 1000:>7.1f}  {b['sql'][:110]}"
                )
        print(
            f"\nslowest query at 40 quarters: {slowest[0] * 1000:.1f} ms, in {slowest[1]}:\n    {slowest[2][:600]}"
        )
        print(explain(slowest[2]))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
