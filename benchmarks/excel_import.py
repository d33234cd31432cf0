#!/usr/bin/env python
"""National Excel exports and imports: rows/s and peak Python memory, against baselines in the same run.

Exports: the 資料1 book of a national quarter, against (a) the same rows written straight with
openpyxl write-only, and (b) django-import-export's own export of the step rows (its admin export
path). Imports: the long-format sheet of a national quarter, dry run (validation only) and
committed into a new quarter: 1,741 new draft reports started together (events, history, the other
sections carried from each municipality's last approved report) and their 資料1 sections written
together (`services.reports_start`, `bulk_write`), all or nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python benchmarks/excel_import.py
"""

import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook, load_workbook  # noqa: E402

from benchmarks.common import import_staff, national_database  # noqa: E402
from council.framework.imports import run_import  # noqa: E402
from council.framework.xlsx import write_workbook  # noqa: E402
from council.models import Municipality, ReportingPeriod, quarter_bounds  # noqa: E402


def timed(fn):
    """(result, seconds, the process's peak resident memory so far in MB: monotonic, no overhead)."""
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    return result, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-commit", action="store_true", help="leave out the committed import")
    args = parser.parse_args()
    with national_database():
        from standardization.exports import build_standardization_book
        from standardization.imports import StepProgressImporter

        period = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
        scope = Municipality.objects.all()

        def portal_export():
            buffer = io.BytesIO()
            sheets = build_standardization_book(period, scope)
            write_workbook(sheets, buffer)
            return buffer

        buffer, _, peak = timed(portal_export)  # also the warm-up
        book = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
        materialised = [[list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets]
        rows = sum(len(sheet) for sheet in materialised)

        def raw_openpyxl():
            wb = Workbook(write_only=True)
            for sheet in materialised:
                ws = wb.create_sheet()
                for row in sheet:
                    ws.append(row)
            out = io.BytesIO()
            wb.save(out)
            return out

        _, _, raw_peak = timed(raw_openpyxl)
        runs = [
            (timed(portal_export)[1], timed(raw_openpyxl)[1]) for _ in range(5)
        ]  # interleaved: same noise
        seconds, raw_seconds = statistics.median(p for p, _ in runs), statistics.median(r for _, r in runs)
        print(
            f"portal export (資料1 book, {rows:,} rows, DB reads included; median of 5): {seconds:.2f} s, {rows / seconds:,.0f} rows/s, "
            f"peak RSS {peak:.0f} MB"
        )
        print(
            f"openpyxl write-only, same rows (data already in memory; median of 5): {raw_seconds:.2f} s, {rows / raw_seconds:,.0f} rows/s, "
            f"peak RSS {raw_peak:.0f} MB -> portal/raw rate ratio {raw_seconds / seconds:.2f}"
        )

        from import_export import resources

        from standardization.models import StepProgress

        class StepResource(resources.ModelResource):
            class Meta:
                model = StepProgress
                fields = (
                    "progress__report__municipality__code",
                    "progress__report__municipality__name",
                    "step__name",
                    "operations_done",
                    "partial",
                    "planned_date",
                    "actual_date",
                )

        queryset = StepProgress.objects.filter(progress__report__period=period)
        n = queryset.count()
        _, ie_seconds, ie_peak = timed(lambda: StepResource().export(queryset=queryset).export("xlsx"))
        print(
            f"django-import-export export of the same step rows ({n:,}): {ie_seconds:.2f} s, {n / ie_seconds:,.0f} rows/s, "
            f"peak RSS {ie_peak:.0f} MB -> portal/import-export rate ratio {(rows / seconds) / (n / ie_seconds):.2f}"
        )

        # import: the long sheet of 2022-Q4 relabelled to a new quarter, so every row is new; three
        # quarters, one after another, for a median (a committed import can only be run once per quarter)
        long_rows = materialised[1]
        header = long_rows[0]

        def workbook_for(fiscal_year, quarter):
            target = ReportingPeriod.objects.create(
                fiscal_year=fiscal_year, quarter=quarter, as_of=quarter_bounds(fiscal_year, quarter)[1]
            )
            wb = Workbook()
            ws = wb.active
            ws.title = "データ"
            ws.append(header)
            for row in long_rows[1:]:
                ws.append([*row[:2], target.slug, *row[3:]])
            content = io.BytesIO()
            wb.save(content)
            return content.getvalue()

        books = [workbook_for(2023, quarter) for quarter in (2, 3, 4)]
        body = len(long_rows) - 1
        result, dry_seconds, dry_peak = timed(
            lambda: run_import(
                StepProgressImporter(), books[0], import_staff("bench-import-staff"), commit=False
            )
        )
        assert result.ok, result.errors[:3]
        print(
            f"import dry run ({body:,} rows, {len(result.plan):,} municipalities): {dry_seconds:.2f} s, "
            f"{body / dry_seconds:,.0f} rows/s, peak RSS {dry_peak:.0f} MB"
        )
        if args.skip_commit:
            return
        timings = []
        for data in books:
            result, seconds, peak = timed(
                lambda data=data: run_import(
                    StepProgressImporter(), data, import_staff("bench-import-staff"), commit=True
                )
            )
            assert result.ok, result.errors[:3]
            timings.append(seconds)
        seconds = statistics.median(timings)
        print(
            f"import committed ({len(result.plan):,} new draft reports each, history included; median of 3 quarters "
            f"{', '.join(f'{t:.2f}' for t in timings)} s): {seconds:.2f} s, {body / seconds:,.0f} rows/s, peak RSS {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
