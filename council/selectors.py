"""Reads of the council core: tidy rows aggregated in SQL, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone

from council.models import Municipality, ReportingPeriod, ReportSection, ReportStatus, StatusReport
from council.models.municipality import MunicipalityQuerySet


def periods_with_approved(section_model: type[ReportSection]) -> list[ReportingPeriod]:
    """Periods for which at least one approved report carries this section, oldest first."""
    related = section_model._meta.get_field("report").remote_field.related_name
    return list(
        ReportingPeriod.objects.filter(
            reports__status=ReportStatus.APPROVED, **{f"reports__{related}__isnull": False}
        ).distinct()
    )


def resolve_period(
    section_model: type[ReportSection], slug: str | None
) -> tuple[ReportingPeriod | None, list[ReportingPeriod]]:
    """The period a dashboard or export shows: the one named by `slug`, else the latest with
    approved data. Raises ReportingPeriod.DoesNotExist for an unknown slug."""
    periods = periods_with_approved(section_model)
    if slug:
        return ReportingPeriod.objects.get_by_slug(slug), periods
    return (periods[-1] if periods else None), periods


@dataclass
class CompletenessRow:
    municipality_id: int
    code: str
    name: str
    report_id: int | None
    status: str | None
    first_submitted_at: datetime | None
    deadline: date | None

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label if self.status else "未着手"

    @property
    def is_submitted(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    @property
    def is_late(self) -> bool:
        if not (self.deadline and self.first_submitted_at):
            return False
        return timezone.localdate(self.first_submitted_at) > self.deadline

    @property
    def is_overdue(self) -> bool:
        """Not yet submitted and the deadline has passed."""
        return self.deadline is not None and not self.is_submitted and timezone.localdate() > self.deadline


def completeness(*, period: ReportingPeriod, user: User | AnonymousUser) -> list[CompletenessRow]:
    """Every reporting organisation the user sees, with its report for the period (or none): one query."""
    return completeness_of(period=period, organisations=Municipality.objects.for_user(user))


def completeness_of(*, period: ReportingPeriod, organisations: MunicipalityQuerySet) -> list[CompletenessRow]:
    """`completeness` of the reporting organisations among `organisations` (scoped by the caller:
    the reminders take one prefecture's at a time)."""
    rows: QuerySet[Municipality, tuple[int, str, str, int | None, str | None, datetime | None]] = (
        organisations.reporting()
        .annotate(r=FilteredRelation("reports", condition=Q(reports__period=period)))
        .values_list("pk", "code", "name", "r__pk", "r__status", "r__first_submitted_at")
        .order_by("display_order", "code")
    )
    return [CompletenessRow(*row, deadline=period.submission_deadline) for row in rows]


def completeness_summary(rows: list[CompletenessRow]) -> dict[str, int]:
    return {
        "total": len(rows),
        "submitted": sum(r.is_submitted for r in rows),
        "approved": sum(r.status == ReportStatus.APPROVED for r in rows),
        "waiting": sum(r.status == ReportStatus.SUBMITTED for r in rows),
        "overdue": sum(r.is_overdue for r in rows),
        "late": sum(r.is_late for r in rows),
    }


def review_queue(*, user: User | AnonymousUser) -> QuerySet[StatusReport]:
    return (
        StatusReport.objects.for_user(user)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related("municipality", "period", "submitted_by")
        .order_by("submitted_at")
    )


def reports_for_user(*, user: User | AnonymousUser) -> QuerySet[StatusReport]:
    return StatusReport.objects.for_user(user).select_related("municipality", "period")
