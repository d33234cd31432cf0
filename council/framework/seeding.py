"""Seed reports: the council materials' tables filed as approved reports by the system."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from council import services
from council.framework import registry
from council.models import Municipality, ReportEvent, ReportingPeriod, ReportStatus, StatusReport

SEED_COMMENT = "シードデータ（会議資料）の追加"


def seed_report(*, municipality: Municipality, period: ReportingPeriod, sections: dict[str, dict]) -> int:
    """File `sections` (section key → data) as `municipality`'s approved report for `period`.

    A report that already exists keeps the sections it has (the seed is safe to run again); a section
    it lacks is added by reopening, saving and approving it again, all recorded as the system's.
    Returns how many sections were written.
    """
    seed_started = timezone.now()
    first_event = ReportEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    report = StatusReport.objects.filter(municipality=municipality, period=period).first()
    created = report is None
    if created:
        report = services.report_start(municipality=municipality, period=period, user=None)
    specs = {key: registry.sections.get(key) for key in sections}
    to_write = {key: spec for key, spec in specs.items() if created or spec.instance_for(report) is None}
    if not to_write:
        return 0
    if report.status == ReportStatus.APPROVED:
        services.report_reopen(report=report, user=None, comment=SEED_COMMENT)
    elif report.status == ReportStatus.SUBMITTED:
        services.report_return(report=report, user=None, comment=SEED_COMMENT)
    for key, spec in to_write.items():
        current = spec.instance_for(report)  # carried forward from the previous period, if any
        services.section_save(
            report=report,
            section=spec,
            data=sections[key],
            expected_version=current.version if current else 0,
            user=None,
        )
    services.report_submit(report=report, user=None)
    services.report_approve(report=report, user=None)
    report._seed_started = seed_started  # type: ignore[attr-defined]
    _date_as_filed(report, period, first_event=first_event, created=created)
    return len(to_write)


def seed_timeline(period: ReportingPeriod) -> tuple[datetime, datetime, datetime]:
    """When a seeded report of `period` was started, submitted and approved: started the day after
    the as-of date, submitted a week before the deadline (on time, as the materials' tables were
    complete for the meeting), approved on the deadline day. Japan time."""
    deadline = period.submission_deadline or period.as_of + timedelta(days=28)

    def at(day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    started = at(period.as_of + timedelta(days=1), 9)
    submitted = max(at(deadline - timedelta(days=7), 17), started + timedelta(hours=1))
    approved = max(at(deadline, 12), submitted + timedelta(hours=1))
    return started, submitted, approved


def _date_as_filed(report: StatusReport, period: ReportingPeriod, *, first_event: int, created: bool) -> None:
    """Date what the seed just did (its events, the report's own dates and history) as it happened
    (`seed_timeline`), not at seed time: the completeness page and the history tell the truth."""
    started, submitted, approved = seed_timeline(period)
    events = report.events.filter(pk__gt=first_event)
    events.filter(action=ReportEvent.Action.APPROVE).update(at=approved)
    events.filter(action=ReportEvent.Action.SUBMIT).update(at=submitted)
    events.exclude(action__in=[ReportEvent.Action.APPROVE, ReportEvent.Action.SUBMIT]).update(at=started)
    dates = {"submitted_at": submitted, "decided_at": approved}
    if created:
        dates |= {"created_at": started, "first_submitted_at": submitted}
    StatusReport.objects.filter(pk=report.pk).update(**dates)
    history = StatusReport.history.filter(id=report.pk, history_date__gte=report_seed_start(report))
    history.filter(status=ReportStatus.APPROVED).update(history_date=approved)
    history.filter(status=ReportStatus.SUBMITTED).update(history_date=submitted)
    history.exclude(status__in=[ReportStatus.APPROVED, ReportStatus.SUBMITTED]).update(history_date=started)


def report_seed_start(report: StatusReport) -> datetime:
    """The moment this seed run began writing `report` (its history before then is kept as dated)."""
    return getattr(report, "_seed_started", timezone.now())


def seed_all_sections() -> int:
    """Every registered seed section, grouped into one report per organisation and period, oldest
    period first so that each report is pre-filled from the one before."""
    grouped: dict[tuple[str, int, int], dict[str, dict]] = defaultdict(dict)
    for spec in registry.seeds.all():
        for row in spec.sections() if spec.sections else ():
            grouped[(row.municipality_code, row.fiscal_year, row.quarter)][row.section_key] = row.data
    municipalities = Municipality.objects.in_bulk([code for code, _, _ in grouped], field_name="code")
    periods = {(p.fiscal_year, p.quarter): p for p in ReportingPeriod.objects.all()}
    written = 0
    for code, fiscal_year, quarter in sorted(grouped, key=lambda k: (k[1], k[2], k[0])):
        written += seed_report(
            municipality=municipalities[code],
            period=periods[(fiscal_year, quarter)],
            sections=grouped[(code, fiscal_year, quarter)],
        )
    return written


SEED_HISTORY_REASON = "シードデータの読込み"


def record_initial_history() -> int:
    """An initial history record ("作成") for every row that has none: fixtures are loaded raw, which
    writes no history, so the first change staff made to a seeded municipality or step had nothing
    to be compared with and its history showed no changes. Safe to run again."""
    from django.apps import apps
    from simple_history.exceptions import NotHistoricalModelError
    from simple_history.utils import get_history_manager_for_model

    created = 0
    for model in apps.get_models():
        try:
            history = get_history_manager_for_model(model)
        except NotHistoricalModelError:
            continue
        pk = model._meta.pk.attname
        missing = list(model._default_manager.exclude(**{f"{pk}__in": history.values(pk)}))
        if missing:
            history.bulk_history_create(missing, default_change_reason=SEED_HISTORY_REASON, batch_size=500)
            created += len(missing)
    return created
