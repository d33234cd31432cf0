"""Reads for 資料3: participation (current), and approved quarterly effects aggregated in SQL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Case, Count, QuerySet, Sum, Value, When

from council.models import Municipality, ReportStatus
from rpa.models import Participation, Scenario, ScenarioUsage


def participation(
    *, municipalities: QuerySet[Municipality], fiscal_year: int | None = None
) -> list[tuple[int, int, str]]:
    """(scenario id, municipality id, name) of participations active in `fiscal_year` (now if None)."""
    qs = Participation.objects.filter(municipality__in=municipalities.values("pk"))
    if fiscal_year is None:
        qs = qs.filter(until_fiscal_year__isnull=True)
    else:
        qs = qs.filter(since_fiscal_year__lte=fiscal_year).exclude(until_fiscal_year__lt=fiscal_year)
    return list(
        qs.annotate(last=Case(When(order=0, then=Value(1)), default=Value(0)))
        .order_by(
            "scenario__fiscal_year",
            "scenario__number",
            "last",
            "order",
            "municipality__display_order",
            "municipality__code",
        )
        .values_list("scenario_id", "municipality_id", "municipality__name")
    )


def scenarios(fiscal_year: int | None = None) -> list[Scenario]:
    qs = Scenario.objects.all()
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year__lte=fiscal_year)
    return list(qs)


def effects(*, municipalities: QuerySet[Municipality]) -> list[Mapping[str, Any]]:
    """Approved runs and hours per scenario × municipality × period (one row each, summed in SQL)."""
    return list(
        ScenarioUsage.objects.filter(
            usage__report__status=ReportStatus.APPROVED,
            usage__report__municipality__in=municipalities.values("pk"),
        )
        .values(
            "scenario_id",
            "usage__report__municipality_id",
            "usage__report__municipality__code",
            "usage__report__municipality__name",
            "usage__report__period__fiscal_year",
            "usage__report__period__quarter",
        )
        .annotate(runs=Sum("runs"), hours=Sum("hours_saved"), n=Count("pk"))
        .order_by(
            "usage__report__period__fiscal_year",
            "usage__report__period__quarter",
            "usage__report__municipality__display_order",
        )
    )
