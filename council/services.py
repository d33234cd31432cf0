"""Writes to the council core. Every change of a report's status goes through here.

Each state change locks the report row, checks the current state, saves with `update_fields`,
records a `ReportEvent` (who, when, why) and announces the change once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from council import registry
from council.models import (
    EDITABLE_STATUSES,
    Municipality,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    ReportStatus,
    StatusReport,
)
from council.registry import SectionSpec
from council.roles import Role, role_of

#: sent after commit whenever a report's status changes: sender=StatusReport, report=, action=
report_status_changed = Signal()
#: sent inside the transaction of a status change, for apps whose data follows the workflow (e.g. a
#: request in the report applied on approval); a receiver's exception undoes the whole change
report_transitioning = Signal()


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


def _check_actor(user, report: StatusReport, *, staff_only: bool) -> None:
    """The views scope every lookup already; this is the second line: a service refuses an actor
    outside the report's scope whoever calls it (None = the system: seed, imports)."""
    if user is None:
        return
    role = role_of(user)
    if role == Role.STAFF and Municipality.objects.for_user(user).filter(pk=report.municipality_id).exists():
        return
    if not staff_only and role == Role.LIAISON and user.portal_profile.organisation_id == report.municipality_id:
        return
    raise NotAllowed("この操作を行う権限がありません。")


def _locked(report: StatusReport) -> StatusReport:
    return StatusReport.objects.select_for_update().select_related("period", "municipality").get(pk=report.pk)


def _transition(
    report: StatusReport,
    *,
    user,
    action: ReportEvent.Action,
    allowed_from: tuple[str, ...],
    to: ReportStatus,
    comment: str = "",
    changes: dict[str, Any] | None = None,
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
        report._history_user = user
    report.save(update_fields=fields)
    ReportEvent.objects.create(
        report=report, action=action, from_status=from_status, to_status=to, comment=comment, user=user
    )
    report_transitioning.send(sender=StatusReport, report=report, action=action, user=user)
    transaction.on_commit(
        lambda: report_status_changed.send(sender=StatusReport, report=report, action=action)
    )
    return report


def report_start(
    *, municipality: Municipality, period: ReportingPeriod, user, not_carried: frozenset[str] = frozenset()
) -> StatusReport:
    """The report of `municipality` for `period`, created on first use and pre-filled from the
    municipality's latest approved report, so a liaison only changes what changed. Sections named in
    `not_carried` start empty (an import that is about to write them)."""
    if user is not None and role_of(user) == Role.LIAISON:
        if user.portal_profile.organisation_id != municipality.pk:
            raise NotAllowed("他団体の報告は作成できません。")
        if not period.accepting_reports:
            raise NotAllowed(f"{period.label}の報告は受け付けていません。")
    with transaction.atomic():
        report, created = StatusReport.objects.get_or_create(municipality=municipality, period=period)
        if not created:
            return report
        ReportEvent.objects.create(
            report=report, action=ReportEvent.Action.CREATE, to_status=report.status, user=user
        )
        earlier = Q(period__fiscal_year__lt=period.fiscal_year) | Q(
            period__fiscal_year=period.fiscal_year, period__quarter__lt=period.quarter
        )
        previous = (
            StatusReport.objects.approved()
            .filter(earlier, municipality=municipality)
            .order_by("-period__fiscal_year", "-period__quarter")
            .first()
        )
        if previous is not None:
            for spec in registry.sections.all():
                if spec.key in not_carried:
                    continue
                source = spec.instance_for(previous)
                if source is not None:
                    source.copy_to(report, user)
    return report


def section_save(
    *, report: StatusReport, section: SectionSpec, data: dict[str, Any], expected_version: int, user
) -> ReportSection:
    """Save one section of a draft or returned report.

    `expected_version` is the version the editor loaded (0 for a section not yet saved). If someone
    saved in between, nothing is written and `EditConflict` carries what they saved.
    """
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=False)
        if report.status not in EDITABLE_STATUSES:
            raise ReportLocked(
                f"この報告は「{report.get_status_display()}」のため編集できません。"
                + ("修正が必要な場合は、県の担当者に再開を依頼してください。" if report.status == ReportStatus.APPROVED
                   else "県の担当者が確認中です。修正が必要な場合は差戻しを依頼してください。")
            )
        instance = section.model.objects.select_for_update().filter(report=report).first()
        current_version = instance.version if instance else 0
        if current_version != expected_version:
            raise EditConflict(instance)
        if instance is None:
            instance = section.model(report=report)
        instance.version = current_version + 1
        instance.updated_by = user
        if user is not None:
            instance._history_user = user
        instance.write_content(data)
    return instance


def report_submit(*, report: StatusReport, user) -> StatusReport:
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=False)
        missing = [
            spec.title
            for spec in registry.sections.for_organisation(report.municipality)
            if spec.required and spec.instance_for(report) is None
        ]
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
        )


def report_return(*, report: StatusReport, user, comment: str) -> StatusReport:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("差戻しの理由（コメント）を入力してください。")
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=True)
        return _transition(
            report,
            user=user,
            action=ReportEvent.Action.RETURN,
            allowed_from=(ReportStatus.SUBMITTED,),
            to=ReportStatus.RETURNED,
            comment=comment,
            changes={"return_comment": comment, "decided_at": timezone.now(), "decided_by": user},
        )


def report_approve(*, report: StatusReport, user) -> StatusReport:
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=True)
        return _transition(
            report,
            user=user,
            action=ReportEvent.Action.APPROVE,
            allowed_from=(ReportStatus.SUBMITTED,),
            to=ReportStatus.APPROVED,
            changes={"return_comment": "", "decided_at": timezone.now(), "decided_by": user},
        )


def report_reopen(*, report: StatusReport, user, comment: str = "") -> StatusReport:
    """Unfreeze an approved report so that it can be corrected; it leaves the dashboards until
    it is approved again."""
    with transaction.atomic():
        report = _locked(report)
        _check_actor(user, report, staff_only=True)
        return _transition(
            report,
            user=user,
            action=ReportEvent.Action.REOPEN,
            allowed_from=(ReportStatus.APPROVED,),
            to=ReportStatus.DRAFT,
            comment=(comment or "").strip(),
            changes={"return_comment": (comment or "").strip()},
        )
