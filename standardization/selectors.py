"""Reads for 資料1: tidy rows from approved reports, aggregated in SQL, one query each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from council.models import Municipality, ReportingPeriod, ReportStatus
from standardization.models import DeadlineOverride, Operation, StandardizationProgress, Step, StepProgress

STEP_VALUES = (
    "progress__report__municipality_id",
    "progress__report__period_id",
    "step_id",
    "operations_done",
    "partial",
    "planned_date",
    "actual_date",
)


def approved_sections(
    *, period: ReportingPeriod, municipalities: QuerySet[Municipality]
) -> list[tuple[int, str, str, str]]:
    """Municipalities (id, code, name, slug) with an approved standardization section in `period`."""
    return list(
        StandardizationProgress.objects.filter(
            report__period=period,
            report__status=ReportStatus.APPROVED,
            report__municipality__in=municipalities.values("pk"),
        )
        .order_by("report__municipality__display_order", "report__municipality__code")
        .values_list(
            "report__municipality_id",
            "report__municipality__code",
            "report__municipality__name",
            "report__municipality__slug",
        )
    )


def step_rows(*, periods: list[ReportingPeriod], municipalities: QuerySet[Municipality]) -> list[dict]:
    """Every approved step row of the given periods and municipalities."""
    return list(
        StepProgress.objects.filter(
            progress__report__period__in=[p.pk for p in periods],
            progress__report__status=ReportStatus.APPROVED,
            progress__report__municipality__in=municipalities.values("pk"),
        ).values(*STEP_VALUES)
    )


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    """The latest earlier period with approved standardization data."""
    earlier = Q(fiscal_year__lt=period.fiscal_year) | Q(
        fiscal_year=period.fiscal_year, quarter__lt=period.quarter
    )
    return (
        ReportingPeriod.objects.filter(earlier)
        .filter(
            reports__status=ReportStatus.APPROVED,
            reports__standardization_standardizationprogress__isnull=False,
        )
        .order_by("-fiscal_year", "-quarter")
        .first()
    )


@dataclass(frozen=True)
class Master:
    steps: list[Step]
    operations: list[Operation]

    @property
    def total(self) -> int:
        return len(self.operations)

    @property
    def standard_deadline(self) -> date:
        return min(op.default_deadline for op in self.operations)


def master() -> Master:
    return Master(steps=list(Step.objects.select_related("phase")), operations=list(Operation.objects.all()))


def deadlines(*, municipality_ids: list[int], master: Master) -> dict[int, date]:
    """Each municipality's deadline for the programme: the earliest effective deadline over its
    operations (the operation's default unless a 移行困難 override gives a later date)."""
    overrides: dict[int, dict[int, date]] = {}
    for m_id, op_id, deadline in DeadlineOverride.objects.filter(
        municipality_id__in=municipality_ids
    ).values_list("municipality_id", "operation_id", "deadline"):
        overrides.setdefault(m_id, {})[op_id] = deadline
    return {
        m_id: min(overrides.get(m_id, {}).get(op.pk, op.default_deadline) for op in master.operations)
        for m_id in municipality_ids
    }


def overrides_for(municipality: Municipality) -> QuerySet[DeadlineOverride]:
    return DeadlineOverride.objects.filter(municipality=municipality).select_related("operation")
