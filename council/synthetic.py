"""Synthetic organisations with approved reports, for query-count tests and benchmarks.

Deterministic: the same `n` gives the same rows. Written with bulk inserts (this is scaffolding for
measurement, not a path real data takes: real reports go through `council.services`).
"""

from __future__ import annotations

from council.framework import registry
from council.models import (
    Municipality,
    ReportingPeriod,
    ReportStatus,
    StatusReport,
    local_government_check_digit,
)


def synthetic_code(prefecture_number: int, local_number: int) -> str:
    head = f"{prefecture_number:02d}{local_number:03d}"
    return head + str(local_government_check_digit(head))


def add_synthetic_municipalities(
    *, prefecture: Municipality, n: int, period: ReportingPeriod, start: int = 600
):
    """Add `n` towns to `prefecture` (local numbers from `start`), each with an approved report for
    `period` whose sections every app's `SeedSpec.synthetic` fills in."""
    pref_no = int(prefecture.code[:2])
    created = Municipality.objects.bulk_create(
        Municipality(
            code=synthetic_code(pref_no, start + i),
            name=f"試験町{start + i}",
            slug=f"test-{pref_no:02d}-{start + i}",
            kind=Municipality.Kind.TOWN,
            prefecture=prefecture,
            display_order=pref_no * 1000 + start + i,
        )
        for i in range(n)
    )
    reports = StatusReport.objects.bulk_create(
        StatusReport(municipality=m, period=period, status=ReportStatus.APPROVED) for m in created
    )
    for spec in registry.seeds.all():
        if spec.synthetic:
            spec.synthetic(reports)
    return created
