"""Reads for 資料4: live inventory counts (for the liaison to confirm) and approved counts (dashboards)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet, Sum

from analog_review.models import AnalogCount, Provision, RegulationType, ReviewStatus
from council.models import Municipality, ReportingPeriod, ReportStatus


def inventory_counts(organisation_id: int) -> list[Mapping[str, Any]]:
    """Counts by type × status of one organisation's inventory now (one query)."""
    return list(
        Provision.objects.filter(organisation_id=organisation_id)
        .values("regulation_type_id", "status")
        .annotate(count=Count("pk"))
        .order_by("regulation_type_id", "status")
    )


def approved_counts(
    *, periods: list[ReportingPeriod], municipalities: QuerySet[Municipality]
) -> list[Mapping[str, Any]]:
    """Approved counts per organisation × period × type × status."""
    return list(
        AnalogCount.objects.filter(
            section__report__status=ReportStatus.APPROVED,
            section__report__period__in=[p.pk for p in periods],
            section__report__municipality__in=municipalities.values("pk"),
        )
        .values(
            "section__report__municipality_id", "section__report__period_id", "regulation_type_id", "status"
        )
        .annotate(count=Sum("count"))
    )


def types() -> list[RegulationType]:
    return list(RegulationType.objects.all())


STATUSES = list(ReviewStatus)


def matrix(rows: list[Mapping[str, Any]]) -> dict[int, dict[str, int]]:
    """{type id: {status: count}} summed over the given rows."""
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        cell = result.setdefault(row["regulation_type_id"], {})
        cell[row["status"]] = cell.get(row["status"], 0) + row["count"]
    return result
