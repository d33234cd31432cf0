#!/usr/bin/env python
"""Bulk writes with history at national scale: the portal's `INSERT … SELECT` into the historical
tables against django-simple-history's `bulk_create_with_history`, measured in the same run.

Two operations, each run with three ways of writing history, interleaved (same noise), inside a
transaction that is rolled back (so every run starts from the same data): SQL (the portal's
`council.framework.history`), simple_history (`bulk_create_with_history` for new rows, and for
copies after reading the copied rows into Python) and mixed (the library for new rows, the SQL for
copies). The outcome is recorded in docs/decisions.md, "SQL history inserts".

- `reports_start` for every municipality of the nation in a new quarter: 1,741 new draft reports
  (history "+"), their events, and every section carried forward from each municipality's last
  approved report (`carry_forward`: the section rows and their step rows copied, history included);
- the committed long-format import of a national quarter (`benchmarks/excel_import.py`'s committed
  import: the same reports started, then the 資料1 sections and step rows written with history).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python benchmarks/history.py [--runs 3]
"""

import argparse
import io
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from benchmarks.common import import_staff, national_database  # noqa: E402
from council.framework import history  # noqa: E402
from council.framework.imports import run_import  # noqa: E402
from council.models import Municipality, ReportingPeriod, StatusReport, quarter_bounds  # noqa: E402

#: modules that import the two helpers by name
CALLERS = ("council.framework.sections", "council.services", "standardization.services")


# --- the alternative: django-simple-history's bulk helper, same signatures as council.framework.history


def library_create_with_history(objects: list, model, user, *, batch_size: int = 1000) -> list:
    """`create_with_history` through simple_history's `bulk_create_with_history`."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    return bulk_create_with_history(
        objects, model, batch_size=batch_size, default_user=user, default_date=timezone.now()
    )


def library_copy_with_history(
    model, link: str, pairs: list[tuple[int, int]], fields: list[str], values: dict, user
) -> dict[int, int]:
    """`copy_with_history` with the copied rows read into Python and inserted through
    `library_create_with_history`."""
    attname = {f.column: f.attname for f in model._meta.concrete_fields}
    link_name, names = attname[link], [attname[c] for c in fields]
    sources = {
        row[link_name]: row
        for row in model.objects.filter(**{f"{link_name}__in": {old for old, _ in pairs}}).values(
            link_name, *names
        )
    }
    objects = [
        model(
            **{attname[c]: v for c, v in values.items()},
            **{n: sources[old][n] for n in names},
            **{link_name: new},
        )
        for old, new in pairs
        if old in sources
    ]
    created = library_create_with_history(objects, model, user)
    return {getattr(obj, link_name): obj.pk for obj in created}


PATHS = {
    "SQL": (history.create_with_history, history.copy_with_history),
    "simple_history": (library_create_with_history, library_copy_with_history),
    "mixed": (library_create_with_history, history.copy_with_history),  # the library for new rows only
}


def using(path):
    create, copy = PATHS[path]
    stack = ExitStack()
    for module in CALLERS:
        target = sys.modules[module]
        if hasattr(target, "create_with_history"):
            stack.enter_context(mock.patch.object(target, "create_with_history", create))
        if hasattr(target, "copy_with_history"):
            stack.enter_context(mock.patch.object(target, "copy_with_history", copy))
    return stack


def history_rows():
    from django.apps import apps

    return sum(
        m.objects.count()
        for m in apps.get_models()
        if m.__name__.startswith("Historical") and m._meta.app_label != "auth"
    )


def rolled_back(fn, *, count=False):
    """(seconds, queries or None, historical rows written) of `fn` in a transaction that is rolled
    back. Queries are counted only when asked (capturing them costs time)."""
    with transaction.atomic():
        before = history_rows()
        with CaptureQueriesContext(connection) if count else ExitStack() as ctx:
            started = time.perf_counter()
            fn()
            seconds = time.perf_counter() - started
        written = history_rows() - before
        transaction.set_rollback(True)
    return seconds, len(ctx.captured_queries) if count else None, written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with national_database():
        from council import services
        from standardization.exports import build_standardization_book
        from standardization.imports import StepProgressImporter

        staff = import_staff("bench-history-staff")
        target = ReportingPeriod.objects.create(  # a quarter neither the seed nor the nation has
            fiscal_year=2024, quarter=1, as_of=quarter_bounds(2024, 1)[1]
        )
        assert not StatusReport.objects.filter(period=target).exists()
        towns = list(Municipality.objects.reporting())
        pairs = [(m, target) for m in towns]

        # the long sheet of 2022-Q4 relabelled to the new quarter (as in benchmarks/excel_import.py)
        source = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
        buffer = io.BytesIO()
        from council.framework.xlsx import write_workbook

        write_workbook(build_standardization_book(source, Municipality.objects.all()), buffer)
        long_rows = [
            list(r) for r in load_workbook(buffer, read_only=True).worksheets[1].iter_rows(values_only=True)
        ]
        wb = Workbook()
        ws = wb.active
        ws.title = "データ"
        ws.append(long_rows[0])
        for row in long_rows[1:]:
            ws.append([*row[:2], target.slug, *row[3:]])
        content = io.BytesIO()
        wb.save(content)
        book, body = content.getvalue(), len(long_rows) - 1

        def start():
            services.reports_start(pairs=pairs, user=staff)

        def commit():
            result = run_import(StepProgressImporter(), book, staff, commit=True)
            assert result.ok, result.errors[:3]

        queries = {}  # warm-up (imports, caches, the first plans), counting the queries
        for op, fn in (("start", start), ("commit", commit)):
            for path in PATHS:
                with using(path):
                    queries[(op, path)] = rolled_back(fn, count=True)[1]
        results = {(op, path): [] for op in ("start", "commit") for path in PATHS}
        for _ in range(args.runs):
            for op, fn in (("start", start), ("commit", commit)):
                for path in PATHS:
                    with using(path):
                        results[(op, path)].append(rolled_back(fn))
        print(
            f"history.py: {connection.vendor}, {len(towns):,} municipalities, median of {args.runs} interleaved runs"
        )
        for op, label, rows, unit in (
            ("start", f"reports_start ({len(towns):,} new reports, sections carried)", len(towns), "reports"),
            ("commit", f"committed import ({body:,} rows)", body, "rows"),
        ):
            baseline = statistics.median(s for s, _, _ in results[(op, "SQL")])
            # every path writes the same historical rows (tests/framework/test_history.py checks their values)
            assert len({w for path in PATHS for _, _, w in results[(op, path)]}) == 1, results
            for path in PATHS:
                runs = results[(op, path)]
                seconds = statistics.median(s for s, _, _ in runs)
                written = runs[0][2]
                print(
                    f"{label:62} {path:15} {seconds:6.2f} s ({', '.join(f'{s:.2f}' for s, _, _ in runs)}), "
                    f"{rows / seconds:6,.0f} {unit}/s, {queries[(op, path)]:3} queries, {written:,} historical rows, "
                    f"time vs SQL {seconds / baseline:.2f}"
                )


if __name__ == "__main__":
    main()
