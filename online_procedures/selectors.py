"""Reads for 資料2, from approved reports, one query each."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from council.models import Municipality, ReportingPeriod, ReportStatus
from online_procedures.models import OnlineProcedureStatus, Procedure


def counts(
    *, periods: list[ReportingPeriod], municipalities: QuerySet[Municipality]
) -> list[tuple[int, str, str, int, int, int]]:
    """(municipality id, code, name, period id, count, checklist size) for approved sections."""
    return list(
        OnlineProcedureStatus.objects.filter(
            report__period__in=[p.pk for p in periods],
            report__status=ReportStatus.APPROVED,
            report__municipality__in=municipalities.values("pk"),
        )
        .annotate(checked=Count("procedures"))
        .order_by("report__municipality__display_order", "report__municipality__code")
        .values_list(
            "report__municipality_id",
            "report__municipality__code",
            "report__municipality__name",
            "report__period_id",
            "available_count",
            "checked",
        )
    )


def coverage(
    *, period: ReportingPeriod, municipalities: QuerySet[Municipality]
) -> list[tuple[Procedure, int]]:
    """Per procedure: how many municipalities (among those that sent a checklist) offer it."""
    through = OnlineProcedureStatus.procedures.through
    rows = dict(
        through.objects.filter(  # type: ignore[misc]  # django-stubs loses the annotation "n" made after values() (typeddjango/django-stubs#3509)
            onlineprocedurestatus__report__period=period,
            onlineprocedurestatus__report__status=ReportStatus.APPROVED,
            onlineprocedurestatus__report__municipality__in=municipalities.values("pk"),
        )
        .values("procedure_id")
        .annotate(n=Count("pk"))
        .values_list("procedure_id", "n")
    )
    return [(p, rows.get(p.pk, 0)) for p in Procedure.objects.all()]


def compare_period(period: ReportingPeriod, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The default comparison: the same quarter a year earlier if it has data (as the materials
    compare R4.4 with R5.4), else the latest earlier period with data."""
    earlier = [p for p in periods if (p.fiscal_year, p.quarter) < (period.fiscal_year, period.quarter)]
    year_before = next(
        (p for p in earlier if (p.fiscal_year, p.quarter) == (period.fiscal_year - 1, period.quarter)), None
    )
    return year_before or (earlier[-1] if earlier else None)
