#!/usr/bin/env python
"""Hostile and worst-case uploads: seconds and memory growth of the import's dry run, each file
against the largest honest file (the national 資料1 sheet of a quarter) in the same run.

Every file is under the 5 MB upload limit. Target (issue #12): each is refused or accepted within
3 s, the worker's memory growing by at most 150 MB. Memory is the process's peak resident set
during the call minus what it held before (Linux: the peak is reset through /proc/self/clear_refs).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python benchmarks/hostile_uploads.py
"""

import gc
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from openpyxl import load_workbook  # noqa: E402

from benchmarks.common import import_staff, national_database  # noqa: E402
from council.framework.imports import run_import  # noqa: E402
from council.framework.workbooks import MAX_COLUMNS, MAX_DATA_ROWS  # noqa: E402
from council.framework.xlsx import write_workbook  # noqa: E402
from council.models import Municipality, ReportingPeriod, quarter_bounds  # noqa: E402
from tests.hardening import hostile_files as hostile  # noqa: E402

SECONDS, MEGABYTES = 3.0, 150


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def measured(fn):
    """(result, seconds, MB the peak resident set grew by during `fn`)."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current VmRSS
    before = status_kb("VmRSS")
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    return result, seconds, (status_kb("VmHWM") - before) / 1024


def national_sheet() -> tuple[list, list[list]]:
    """The long 資料1 sheet of 2022-Q4 for the whole nation, relabelled to a new quarter."""
    from standardization.exports import build_standardization_book

    period = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
    buffer = io.BytesIO()
    write_workbook(build_standardization_book(period, Municipality.objects.all()), buffer)
    rows = [
        list(r) for r in load_workbook(io.BytesIO(buffer.getvalue()), read_only=True).worksheets[1].values
    ]
    target = ReportingPeriod.objects.create(fiscal_year=2023, quarter=2, as_of=quarter_bounds(2023, 2)[1])
    return rows[0], [[*row[:2], target.slug, *row[3:]] for row in rows[1:]]


def main():
    with national_database(quarters=2):
        from standardization.imports import StepProgressImporter

        staff = import_staff("bench-hostile-staff")
        header, rows = national_sheet()
        honest = hostile.workbook(header, rows)
        bad_rows = [[*row[:4], f"x{i}", *row[5:]] for i, row in enumerate(rows)]
        files = [
            ("honest: national 資料1 sheet", honest),
            (f"every row a different mistake ({len(bad_rows):,} rows)", hostile.workbook(header, bad_rows)),
            ("expands to 1 GB (whitespace)", hostile.expanding(header, 1024 * 1024 * 1024)),
            ("expands to 7.9 MB, ratio > 100", hostile.expanding(header, 7_900_000)),
            (
                "shared strings of 1.9 MB (loaded whole)",
                hostile.huge_loaded_part(header, hostile.STRINGS, 1_900_000),
            ),
            ("styles of 1.9 MB (loaded whole)", hostile.huge_loaded_part(header, hostile.STYLES, 1_900_000)),
            ("shared strings of 8 MB", hostile.huge_loaded_part(header, hostile.STRINGS, 8 * 1024 * 1024)),
            ("billion laughs", hostile.entity_declaration(header)),
            ("external entity", hostile.entity_declaration(header, external=True)),
            ("a cell in column XFD", hostile.wide(header)),
            ("a row at 1,048,576", hostile.far_row(header)),
            (f"{MAX_DATA_ROWS:,} rows × 24 random numbers", hostile.dense(header, MAX_DATA_ROWS, 24)),
            (f"{MAX_DATA_ROWS:,} rows × 40 random numbers", hostile.dense(header, MAX_DATA_ROWS, 40)),
            (
                f"{MAX_DATA_ROWS:,} rows × {MAX_COLUMNS} random numbers",
                hostile.dense(header, MAX_DATA_ROWS, MAX_COLUMNS),
            ),
            (f"{MAX_DATA_ROWS + 1:,} rows", hostile.workbook(header, (rows * 2)[: MAX_DATA_ROWS + 1])),
        ]
        run = lambda content: run_import(StepProgressImporter(), content, staff, commit=False)  # noqa: E731
        run(honest)  # warm-up: imports, look-ups, caches
        _, base_seconds, base_mb = measured(lambda: run(honest))
        print(
            f"baseline: honest national 資料1 sheet, {len(rows):,} rows, {len(honest) / 1024:,.0f} KB: "
            f"{base_seconds:.2f} s, +{base_mb:.0f} MB (accepted)"
        )
        worst_seconds = worst_mb = 0.0
        print(f"{'file':48} {'size':>8} {'seconds':>8} {'× base':>7} {'+MB':>6}  outcome")
        for name, content in files:
            result, seconds, mb = measured(lambda content=content: run(content))
            outcome = (
                "accepted"
                if result.ok
                else str(result.errors[0])[:60]
                + (f" (+{len(result.errors) - 1})" if len(result.errors) > 1 else "")
            )
            worst_seconds, worst_mb = max(worst_seconds, seconds), max(worst_mb, mb)
            print(
                f"{name:48} {len(content) / 1024:7,.0f}K {seconds:8.2f} {seconds / base_seconds:7.2f} {mb:6.0f}  {outcome}"
            )
        verdict = "within" if worst_seconds <= SECONDS and worst_mb <= MEGABYTES else "OVER"
        print(
            f"worst: {worst_seconds:.2f} s ({worst_seconds / base_seconds:.2f} × the honest file), +{worst_mb:.0f} MB: "
            f"{verdict} the target of {SECONDS:.0f} s and {MEGABYTES} MB"
        )


if __name__ == "__main__":
    main()
