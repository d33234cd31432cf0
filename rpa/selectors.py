"""Reads for 資料3: participation (current), and approved quarterly effects aggregated in SQL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When

from council.models import Municipality, ReportStatus
from rpa.models import Participation, Scenario, ScenarioUsage


def participating_in(fiscal_year: int, prefix: str = "") -> Q:
    """The one definition of "uses the scenario in a fiscal year": began in that year or before, and
    had not ended before it (a municipality that leaves in a year still used the scenario in it).
    Used by the table, the chart, the Excel book and the national summary alike."""
    return Q(**{f"{prefix}since_fiscal_year__lte": fiscal_year}) & (
        Q(**{f"{prefix}until_fiscal_year__isnull": True})
        | Q(**{f"{prefix}until_fiscal_year__gte": fiscal_year})
    )


def participation(
    *, municipalities: QuerySet[Municipality], fiscal_year: int | None = None
) -> list[tuple[int, int, str]]:
    """(scenario id, municipality id, name) of participations in `fiscal_year` (`participating_in`;
    the open ones if None)."""
    qs = Participation.objects.filter(municipality__in=municipalities.values("pk"))
    if fiscal_year is None:
        qs = qs.filter(until_fiscal_year__isnull=True)
    else:
        qs = qs.filter(participating_in(fiscal_year))
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


def effects(
    *, municipalities: QuerySet[Municipality], fiscal_year: int | None = None
) -> list[Mapping[str, Any]]:
    """Approved runs and hours per scenario × municipality × period (one row each, summed in SQL),
    of the periods of `fiscal_year` (April–March: 2023-Q1, April–June 2023, is 令和5年度), or all."""
    qs = ScenarioUsage.objects.filter(
        usage__report__status=ReportStatus.APPROVED,
        usage__report__municipality__in=municipalities.values("pk"),
    )
    if fiscal_year is not None:
        qs = qs.filter(usage__report__period__fiscal_year=fiscal_year)
    return list(
        qs.values(
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


def years_with_data() -> list[int]:
    """Fiscal years with scenarios built or approved RPA reports (the default is the latest)."""
    from rpa.models import RpaUsage

    built = set(Scenario.objects.values_list("fiscal_year", flat=True))
    reported = set(
        RpaUsage.objects.filter(report__status=ReportStatus.APPROVED).values_list(
            "report__period__fiscal_year", flat=True
        )
    )
    return sorted(built | reported)
