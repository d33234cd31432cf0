"""Reads of the council core: tidy rows aggregated in SQL, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from council.framework import registry
from council.framework.comparison import SectionComparison, compare_reports
from council.models import (
    Municipality,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    ReportStatus,
    StatusReport,
)
from council.models.municipality import MunicipalityQuerySet
from council.wareki import wareki_date


def periods_with_approved(section_model: type[ReportSection]) -> list[ReportingPeriod]:
    """Periods for which at least one approved report carries this section, oldest first.

    Asked per period (`EXISTS`, which stops at the first such report through the (period, status)
    index) rather than as a join of every approved report made distinct: the reports grow by a
    quarter every three months, the periods by one (benchmarks/quarters.py)."""
    related = section_model._meta.get_field("report").remote_field.related_name
    carried = StatusReport.objects.filter(
        period=OuterRef("pk"), status=ReportStatus.APPROVED, **{f"{related}__isnull": False}
    )
    return list(ReportingPeriod.objects.filter(Exists(carried)))


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


# --- one report: its log and conversation, its sections, what changed ---------------------------


def report_events(*, report: StatusReport) -> list[ReportEvent]:
    """The report's log, oldest first, with each actor's role and organisation: one query, whatever
    the number of events and comments. The thread is the events with a comment (`is_comment`)."""
    return list(report.events.select_related("user__portal_profile__organisation"))


@dataclass
class SectionState:
    """A section of a report as its page shows it."""

    spec: registry.SectionSpec
    instance: ReportSection | None
    #: the staff member's edit that wrote the section's current content (代理入力), if any
    proxy: ReportEvent | None = None


def section_states(*, report: StatusReport, events: list[ReportEvent]) -> list[SectionState]:
    """The sections of `report`, each marked as 代理入力 when its latest save was a staff member's
    edit (the latest proxy edit of the section was by whoever saved it last)."""
    latest_proxy: dict[str, ReportEvent] = {}
    for event in events:
        if event.action == ReportEvent.Action.PROXY_EDIT:
            latest_proxy[event.section] = event
    states = []
    for spec in registry.sections.for_organisation(report.municipality):
        instance = spec.instance_for(report)
        proxy = latest_proxy.get(spec.key)
        if instance is None or proxy is None or proxy.user_id != instance.updated_by_id:
            proxy = None
        states.append(SectionState(spec=spec, instance=instance, proxy=proxy))
    return states


def previous_approved_report(*, report: StatusReport) -> StatusReport | None:
    """The organisation's last approved report before `report`'s period (what a new draft starts
    from, and what a reviewer compares with)."""
    fiscal_year, quarter = report.period.fiscal_year, report.period.quarter
    return (
        StatusReport.objects.approved()
        .filter(municipality_id=report.municipality_id)
        .filter(
            Q(period__fiscal_year__lt=fiscal_year)
            | Q(period__fiscal_year=fiscal_year, period__quarter__lt=quarter)
        )
        .select_related("period")
        .order_by("-period__fiscal_year", "-period__quarter")
        .first()
    )


@dataclass
class ReportChanges:
    """`report` section by section next to the organisation's previous approved report."""

    previous: StatusReport | None
    sections: list[SectionComparison]

    @property
    def changed_count(self) -> int:
        return sum(len(s.changes) for s in self.sections)


def report_changes(*, report: StatusReport) -> ReportChanges:
    previous = previous_approved_report(report=report)
    return ReportChanges(previous=previous, sections=compare_reports(report, previous))


@dataclass
class SubmissionCheck:
    """What a liaison confirms before submitting: each section's state, what stops the submission
    (`errors`) and what to look at again (`warnings`)."""

    changes: ReportChanges
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def submission_check(*, report: StatusReport) -> SubmissionCheck:
    changes = report_changes(report=report)
    check = SubmissionCheck(changes=changes)
    organisation = report.municipality
    missing = [
        c.spec.title for c in changes.sections if c.new is None and c.spec.is_required_for(organisation)
    ]
    if missing:
        check.errors.append(f"未入力の項目があります: {'、'.join(missing)}。入力してから提出してください。")
    previous = changes.previous
    for c in changes.sections:
        if c.new is None and not c.spec.is_required_for(organisation):
            check.warnings.append(
                f"「{c.spec.title}」は未入力です（任意の項目です。報告することがなければ、このまま提出できます）。"
            )
        elif c.is_unchanged and previous is not None:
            check.warnings.append(
                f"「{c.spec.title}」は前回（{previous.period.label}）の承認済みの報告から変更がありません。"
                "今回も同じ内容でよいか確認してください。"
            )
    deadline = report.period.submission_deadline
    if report.first_submitted_at is None and deadline and timezone.localdate() > deadline:
        check.warnings.append(
            f"提出期限（{wareki_date(deadline)}）を過ぎています。期限後の提出として記録されます。"
        )
    return check
