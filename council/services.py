"""Writes to the council core. Every change of a report's status goes through here.

Each state change locks the report row, checks the current state, saves with `update_fields`,
records a `ReportEvent` (who, when, why) and announces the change once the transaction commits.
The report's conversation goes through here too: a comment is an event of the report's log
(`report_comment`), and staff writing for the organisation (starting, editing, submitting its report)
is recorded as 代理入力 (`proxy` events).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from council.framework import registry
from council.framework.history import create_with_history
from council.framework.registry import SectionSpec
from council.models import (
    EDITABLE_STATUSES,
    Municipality,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    ReportStatus,
    StatusReport,
)
from council.roles import Role, role_of
from council.signals import report_commented, report_status_changed, report_transitioning
from council.text import clean_lines


class ReportError(Exception):
    """A refused report operation; `message` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IllegalTransition(ReportError):
    pass


class ReportLocked(ReportError):
    pass


class NotAllowed(ReportError):
    pass


class EditConflict(ReportError):
    """Someone saved the section after the editor loaded it. `current` is what they saved."""

    def __init__(self, current: ReportSection | None):
        who = ""
        if current is not None and current.updated_by:
            who = f"{current.updated_by.get_full_name() or current.updated_by.get_username()} さんが"
        super().__init__(
            f"この項目は、あなたが編集を始めた後に{who}更新しました。"
            "あなたの入力内容は保存されていません。下に表示した最新の内容を確認し、必要ならもう一度保存してください。"
        )
        self.current = current


def _check_actor(user: User | None, report: StatusReport, *, staff_only: bool) -> None:
    """The views scope every lookup already; this is the second line: a service refuses an actor
    outside the report's scope whoever calls it (None = the system: seed, imports)."""
    if user is None:
        return
    role = role_of(user)
    if role == Role.STAFF and Municipality.objects.for_user(user).filter(pk=report.municipality_id).exists():
        return
    if (
        not staff_only
        and role == Role.LIAISON
        and user.portal_profile.organisation_id == report.municipality_id
    ):
        return
    raise NotAllowed("この操作を行う権限がありません。")


def acts_for_organisation(user: User | None) -> bool:
    """Whether `user`, writing a report, writes it for the organisation rather than as it: staff
    starting, editing or submitting a municipality's (or the prefecture's own) report is 代理入力.
    The system (None: seed, imports without a person) is not."""
    return user is not None and role_of(user) == Role.STAFF


def _record_proxy_edit(report: StatusReport, model: type[ReportSection], user: User | None) -> None:
    """Record that staff wrote a section of `report` for its organisation (代理入力)."""
    if acts_for_organisation(user):
        ReportEvent.objects.create(
            report=report,
            action=ReportEvent.Action.PROXY_EDIT,
            from_status=report.status,
            to_status=report.status,
            user=user,
            section=next(spec.key for spec in registry.sections.all() if spec.model is model),
            proxy=True,
        )


def _locked(report: StatusReport) -> StatusReport:
    return StatusReport.objects.select_for_update().select_related("period", "municipality").get(pk=report.pk)


def _transition(
    report: StatusReport,
    *,
    user: User | None,
    action: ReportEvent.Action,
    allowed_from: tuple[str, ...],
    to: ReportStatus,
    comment: str = "",
    changes: dict[str, Any] | None = None,
    proxy: bool = False,
) -> StatusReport:
    if report.status not in allowed_from:
        raise IllegalTransition(
            f"「{report.get_status_display()}」の報告は{action.label}できません。"
            f"（{'・'.join(ReportStatus(s).label for s in allowed_from)}の報告のみ{action.label}できます）"
        )
    from_status = report.status
    report.status = to
    fields = ["status"]
    for name, value in (changes or {}).items():
        setattr(report, name, value)
        fields.append(name)
    if user is not None:
        report._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
    report.save(update_fields=fields)
    ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=to,
        comment=comment,
        user=user,
        proxy=proxy,
    )
    report_transitioning.send(sender=StatusReport, report=report, action=action, user=user)
    transaction.on_commit(
        lambda: report_status_changed.send(sender=StatusReport, report=report, action=action)
    )
    return report


def report_start(
    *,
    municipality: Municipality,
    period: ReportingPeriod,
    user: User | None,
    not_carried: frozenset[str] = frozenset(),
) -> StatusReport:
    """The report of `municipality` for `period`, created on first use and pre-filled from the
    municipality's latest approved report, so a liaison only changes what changed. Sections named in
    `not_carried` start empty (an import that is about to write them)."""
    _check_can_start(user, municipality, period)
    with transaction.atomic():
        report, created = StatusReport.objects.get_or_create(municipality=municipality, period=period)
        if created:
            _started([report], user, not_carried)
    return report


def reports_start(
    *,
    pairs: list[tuple[Municipality, ReportingPeriod]],
    user: User | None,
    not_carried: frozenset[str] = frozenset(),
) -> list[StatusReport]:
    """`report_start` for many (municipality, period) pairs at once, in a number of queries that does
    not grow with the pairs (an import of the nation): the same checks, events, history and carried
    sections. Returns the reports in the order of `pairs`."""
    for municipality, period in pairs:
        _check_can_start(user, municipality, period)
    with transaction.atomic():
        existing = {
            (r.municipality_id, r.period_id): r
            for r in StatusReport.objects.filter(
                municipality_id__in={m.pk for m, _ in pairs}, period_id__in={p.pk for _, p in pairs}
            )
        }
        missing = list({(m.pk, p.pk): (m, p) for m, p in pairs if (m.pk, p.pk) not in existing}.values())
        try:
            with transaction.atomic():
                created = create_with_history(
                    [StatusReport(municipality=m, period=p) for m, p in missing], StatusReport, user
                )
        except IntegrityError:
            raise ReportError("同じ報告が同時に作成されました。もう一度お試しください。") from None
        for report, (municipality, period) in zip(created, missing, strict=True):
            report.municipality, report.period = municipality, period
            existing[(municipality.pk, period.pk)] = report
        _started(created, user, not_carried)
    return [existing[(m.pk, p.pk)] for m, p in pairs]


def _check_can_start(user: User | None, municipality: Municipality, period: ReportingPeriod) -> None:
    if user is not None and role_of(user) == Role.LIAISON:
        if user.portal_profile.organisation_id != municipality.pk:
            raise NotAllowed("他団体の報告は作成できません。")
        if not period.accepting_reports:
            raise NotAllowed(f"{period.label}の報告は受け付けていません。")


def _started(reports: list[StatusReport], user: User | None, not_carried: frozenset[str]) -> None:
    """Record the creation of new reports and carry each section forward from the municipality's
    latest earlier approved report (one query per section type, whatever the number of reports)."""
    if not reports:
        return
    proxy = acts_for_organisation(user)
    ReportEvent.objects.bulk_create(
        ReportEvent(report=r, action=ReportEvent.Action.CREATE, to_status=r.status, user=user, proxy=proxy)
        for r in reports
    )
    approved: dict[
        int, list[tuple]
    ] = {}  # municipality id -> [(fiscal year, quarter, report id)], oldest first
    for m_id, *row in sorted(
        StatusReport.objects.approved()
        .filter(municipality_id__in={r.municipality_id for r in reports})
        .values_list("municipality_id", "period__fiscal_year", "period__quarter", "pk")
    ):
        approved.setdefault(m_id, []).append(tuple(row))
    previous: dict[int, int] = {}  # new report id -> the approved report it starts from
    for report in reports:
        at = (report.period.fiscal_year, report.period.quarter)
        earlier = [pk for fy, q, pk in approved.get(report.municipality_id, []) if (fy, q) < at]
        if earlier:
            previous[report.pk] = earlier[-1]
    if not previous:
        return
    targets = [(previous[report.pk], report) for report in reports if report.pk in previous]
    for spec in registry.sections.all():
        if spec.key not in not_carried:
            spec.writer.carry_forward(targets, user=user)


def locked_reason(report: StatusReport) -> str:
    """Why the sections of a report that is not editable cannot be saved, and what to do."""
    return f"この報告は「{report.get_status_display()}」のため編集できません。" + (
        "修正が必要な場合は、県の担当者に再開を依頼してください。"
        if report.status == ReportStatus.APPROVED
        else "県の担当者が確認中です。修正が必要な場合は差戻しを依頼してください。"
    )


@contextmanager
def _section_writing(
    report: StatusReport, model: type[ReportSection], expected_version: int, user: User | None
) -> Iterator[ReportSection]:
    """The guard of every section write: inside one transaction, lock the report and its section,
    check the actor and the report's state, and refuse a stale edit. Yields the section (a new one
    if the report has none yet) stamped with its next version, for the caller to write."""
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=False)
        if report.status not in EDITABLE_STATUSES:
            raise ReportLocked(locked_reason(report))
        instance = model._default_manager.select_for_update().filter(report=report).first()
        current_version = instance.version if instance else 0
        if current_version != expected_version:
            raise EditConflict(instance)
        if instance is None:
            instance = model(report=report)
        instance.version = current_version + 1
        instance.updated_by = user
        if user is not None:
            instance._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        yield instance
        _record_proxy_edit(report, model, user)


def section_save(
    *,
    report: StatusReport,
    section: SectionSpec,
    data: dict[str, Any],
    expected_version: int,
    user: User | None,
) -> ReportSection:
    """Save one section of a draft or returned report.

    `expected_version` is the version the editor loaded (0 for a section not yet saved). If someone
    saved in between, nothing is written and `EditConflict` carries what they saved.
    """
    with _section_writing(report, section.model, expected_version, user) as instance:
        section.writer.write(instance, data, user=user)
    return instance


def section_admin_save(*, section: ReportSection, expected_version: int, user: User | None) -> ReportSection:
    """Save a section as the admin's form has changed it, under the same guard as `section_save`:
    a stale form, a report submitted or approved in the meantime, an actor outside the report's
    scope are refused and nothing is written. Writes the section's own fields (the form has
    validated them); the admin saves its child rows (inlines) next, in the admin view's transaction,
    so under the same lock."""
    with _section_writing(section.report, type(section), expected_version, user) as current:
        section.pk = current.pk
        section.version, section.updated_by = current.version, user
        if user is not None:
            section._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        section.save()
    return section


def missing_sections(report: StatusReport) -> list[str]:
    """The titles of the required sections `report` does not have yet (it cannot be submitted)."""
    return [
        spec.title
        for spec in registry.sections.for_organisation(report.municipality)
        if spec.is_required_for(report.municipality) and spec.instance_for(report) is None
    ]


def report_submit(*, report: StatusReport, user: User | None) -> StatusReport:
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=False)
        missing = missing_sections(report)
        # A person submits a whole report; the system (user None) files historical seed and import
        # data, which covers only the sections the source has.
        if missing and user is not None and report.status in EDITABLE_STATUSES:
            raise ReportError(f"未入力の項目があります: {'、'.join(missing)}。入力してから提出してください。")
        now = timezone.now()
        return _transition(
            report,
            user=user,
            action=ReportEvent.Action.SUBMIT,
            allowed_from=EDITABLE_STATUSES,
            to=ReportStatus.SUBMITTED,
            changes={
                "submitted_at": now,
                "submitted_by": user,
                "first_submitted_at": report.first_submitted_at or now,
            },
            proxy=acts_for_organisation(user),
        )


def _staff_transition(report: StatusReport, *, user: User | None, **transition: Any) -> StatusReport:
    """A staff member's decision on a report: lock it, check the actor, change its state."""
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=True)
        return _transition(report, user=user, **transition)


def _decide(
    report: StatusReport,
    *,
    user: User | None,
    action: ReportEvent.Action,
    to: ReportStatus,
    comment: str = "",
) -> StatusReport:
    """Staff decide on a submitted report: approve it, or return it with a comment."""
    return _staff_transition(
        report,
        user=user,
        action=action,
        allowed_from=(ReportStatus.SUBMITTED,),
        to=to,
        comment=comment,
        changes={"return_comment": comment, "decided_at": timezone.now(), "decided_by": user},
    )


def report_return(*, report: StatusReport, user: User | None, comment: str) -> StatusReport:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("差戻しの理由（コメント）を入力してください。")
    return _decide(
        report, user=user, action=ReportEvent.Action.RETURN, to=ReportStatus.RETURNED, comment=comment
    )


def report_approve(*, report: StatusReport, user: User | None) -> StatusReport:
    return _decide(report, user=user, action=ReportEvent.Action.APPROVE, to=ReportStatus.APPROVED)


def report_reopen(*, report: StatusReport, user: User | None, comment: str = "") -> StatusReport:
    """Unfreeze an approved report so that it can be corrected; it leaves the dashboards until
    it is approved again."""
    comment = (comment or "").strip()
    return _staff_transition(
        report,
        user=user,
        action=ReportEvent.Action.REOPEN,
        allowed_from=(ReportStatus.APPROVED,),
        to=ReportStatus.DRAFT,
        comment=comment,
        changes={"return_comment": comment},
    )


def report_withdraw(*, report: StatusReport, user: User | None, comment: str = "") -> StatusReport:
    """A liaison takes their submitted report back to draft, to correct it, until staff decide on
    it: once approved it is reopened by staff, once returned it is editable already. The first
    submission's time stays (`first_submitted_at`: whether it was on time); the optional reason
    joins the report's thread."""
    comment = _comment_text(comment, required=False)
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=False)
        if user is not None and role_of(user) != Role.LIAISON:
            raise NotAllowed(
                "提出の取り下げは団体の連絡担当者が行います。県の担当者は差戻しを使ってください。"
            )
        refusal = {
            ReportStatus.APPROVED: "この報告は県の担当者が既に承認したため、取り下げできません。"
            "修正が必要な場合は、県の担当者に再開を依頼してください。",
            ReportStatus.RETURNED: "この報告は県の担当者が既に差し戻したため、取り下げできません（取り下げる必要もありません）。"
            "内容を修正して、もう一度提出してください。",
            ReportStatus.DRAFT: "この報告は提出されていないため、取り下げできません。",
        }.get(ReportStatus(report.status))
        if refusal:
            raise IllegalTransition(refusal)
        return _transition(
            report,
            user=user,
            action=ReportEvent.Action.WITHDRAW,
            allowed_from=(ReportStatus.SUBMITTED,),
            to=ReportStatus.DRAFT,
            comment=comment,
        )


def _comment_text(comment: str | None, *, required: bool = True) -> str:
    """A comment as it is kept: without invisible and control characters (line breaks stay),
    stripped, at most `ReportEvent.COMMENT_MAX_LENGTH` characters."""
    text = clean_lines(comment or "")
    if required and not text:
        raise ValidationError("コメントを入力してください。")
    limit = ReportEvent.COMMENT_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(f"コメントは{limit:,}文字以内で入力してください（{len(text):,}文字あります）。")
    return text


def report_comment(*, report: StatusReport, user: User, comment: str) -> ReportEvent:
    """Post `comment` to the report's thread, in any state: the staff of its prefecture and the
    liaisons of its organisation (council members and other organisations are refused). The
    comment is an event of the report's log, so it stays in its history; `report_commented` is sent
    once it commits (sender=StatusReport, report=, comment=the event: its `comment` text, its
    `user`). A return's reason is a comment of the thread too, announced with the return."""
    if user is None:
        raise NotAllowed("コメントには投稿者が必要です。")
    text = _comment_text(comment)
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=False)
        event = ReportEvent.objects.create(
            report=report,
            action=ReportEvent.Action.COMMENT,
            from_status=report.status,
            to_status=report.status,
            comment=text,
            user=user,
        )
        transaction.on_commit(
            lambda: report_commented.send(sender=StatusReport, report=report, comment=event)
        )
    return event
