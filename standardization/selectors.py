"""Reads for 資料1: tidy rows from approved reports, aggregated in SQL, one query each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from council.models import Municipality, ReportingPeriod, ReportStatus, Target
from standardization.models import (
    PLACEHOLDER_ORDER,
    DeadlineOverride,
    Operation,
    ReferenceFigure,
    StandardizationProgress,
    Status,
    Step,
    StepProgress,
    StepStatus,
)

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
    def national_steps(self) -> list[Step]:
        """The steps of the national procedure (those with a 手順書 number), by number."""
        return sorted((s for s in self.steps if s.number), key=lambda s: s.number or 0)

    @property
    def n_steps(self) -> int:
        """The denominator of the official rates: the national procedure's steps (40)."""
        return len(self.national_steps)

    def summary_steps(self, used: set[int]) -> list[Step]:
        """The steps the materials' summary views show: the named ones and any step with data
        (`used`: step ids), not the placeholders of unnamed numbers."""
        return [s for s in self.steps if s.order < PLACEHOLDER_ORDER or s.pk in used]

    def operations_of(self, kind: str) -> list[Operation]:
        """The operations an organisation of `kind` reports: a prefecture its two, the others all."""
        if kind == Municipality.Kind.PREFECTURE:
            return [op for op in self.operations if op.prefecture_reports]
        return self.operations

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


def with_prefectures(municipalities: QuerySet[Municipality]) -> QuerySet[Municipality]:
    """The municipalities and their prefectures (whose own two operations are reported too)."""
    return Municipality.objects.filter(
        Q(pk__in=municipalities.values("pk")) | Q(pk__in=municipalities.values("prefecture_id"))
    )


def _approved_statuses(
    period: ReportingPeriod, organisations: QuerySet[Municipality]
) -> QuerySet[StepStatus]:
    return StepStatus.objects.filter(
        progress__report__period=period,
        progress__report__status=ReportStatus.APPROVED,
        progress__report__municipality__in=organisations.values("pk"),
    )


def status_counts(*, period: ReportingPeriod, organisations: QuerySet[Municipality]) -> list[Any]:
    """Stored cells per organisation × operation_id × status (absent cells are 未着手), in SQL."""
    return list(
        _approved_statuses(period, organisations)
        .values(
            "status",
            "operation_id",
            organisation=F("progress__report__municipality_id"),
            kind=F("progress__report__municipality__kind"),
            name=F("progress__report__municipality__name"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def step_status_counts(*, period: ReportingPeriod, organisations: QuerySet[Municipality]) -> list[Any]:
    """Stored cells per step × status, in SQL."""
    return list(
        _approved_statuses(period, organisations)
        .values("status", "step_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def dated_statuses(
    *, period: ReportingPeriod, organisations: QuerySet[Municipality], earliest_deadline: date
) -> list[Any]:
    """Cells that may be a risk: planned after the earliest deadline, or past their planned date and
    not complete."""
    complete = Q(status__in=[Status.DONE, Status.NOT_APPLICABLE])
    return list(
        _approved_statuses(period, organisations)
        .filter(planned_date__isnull=False)
        .filter(Q(planned_date__gt=earliest_deadline) | (Q(planned_date__lt=period.as_of) & ~complete))
        .values(
            "operation_id",
            "step_id",
            "status",
            "planned_date",
            organisation=F("progress__report__municipality_id"),
        )
        .order_by()
    )


def operation_deadlines(*, organisations: QuerySet[Municipality]) -> dict[tuple[int, int], DeadlineOverride]:
    """The 移行困難 (and other) overrides, per (organisation, operation): one query, whatever the
    number of organisations (a subquery, so an empty scope costs the same)."""
    return {
        (o.municipality_id, o.operation_id): o
        for o in DeadlineOverride.objects.filter(municipality__in=organisations.values("pk"))
    }


def targets() -> list[Target]:
    return list(Target.objects.filter(app_key="standardization"))


def references(*, as_of: date, codes: set[str]) -> dict[tuple[str, int | None], ReferenceFigure]:
    """The latest reference figure at `as_of` per (scope code, operation id or None for all)."""
    result: dict[tuple[str, int | None], ReferenceFigure] = {}
    for figure in ReferenceFigure.objects.filter(as_of__lte=as_of, scope_code__in=codes).order_by("-as_of"):
        result.setdefault((figure.scope_code, figure.operation_id), figure)
    return result


def organisation_statuses(*, period: ReportingPeriod, organisation: Municipality) -> list[StepStatus]:
    """One organisation's approved detail for the 団体カルテ."""
    return list(
        StepStatus.objects.filter(
            progress__report__period=period,
            progress__report__status=ReportStatus.APPROVED,
            progress__report__municipality=organisation,
        )
    )
