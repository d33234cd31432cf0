"""Who is told what: a report submitted, returned, approved, reopened or withdrawn, a comment on it,
a reporting period opened. Each notice is kept for the user's home page (`Notice`) and mailed
through the outbox (`council.mail.deliver`) to those with an address.

Recipients are scoped: a report's news goes to its organisation's liaisons or to the staff of its
prefecture, active users only, never the person who acted. What the system does (the seed, imports:
no user) tells nobody. The receivers run after the change has committed and never raise: a notice
that cannot be made is logged, and the action that caused it has succeeded all the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from council.mail import Mail, deliver_many
from council.models import Municipality, Notice, ReportEvent, ReportingPeriod, Role, StatusReport
from council.roles import role_of
from council.wareki import wareki_date, wareki_datetime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class News:
    """What a notice says: `kind` (for the outbox and the list), a one-line `title` (the mail's
    subject), the text, and the portal path it is about."""

    kind: str
    title: str
    body: str
    url: str


def notify(users: Iterable[User], news: News) -> int:
    """Give each active user in `users` the notice, and mail it to those with an address (after
    the current transaction commits). Returns how many were told."""
    active = [user for user in users if user.is_active]
    Notice.objects.bulk_create(
        Notice(user=user, kind=news.kind, title=news.title, body=news.body, url=news.url) for user in active
    )
    deliver_many(
        Mail([user.email], news.title, mail_body(user, news), news.kind, _organisation_id(user))
        for user in active
        if user.email
    )
    return len(active)


def _organisation_id(user: User) -> int | None:
    profile = getattr(user, "portal_profile", None)
    return profile.organisation_id if profile is not None else None


def mail_body(user: User, news: News) -> str:
    return render_to_string(
        "council/mail/notice.txt",
        {
            "name": display_name(user),
            "news": news,
            "link": absolute_url(news.url) if news.url else "",
            "home": absolute_url(reverse("home")),
            "portal": settings.PORTAL_MAIL_NAME,
        },
    )


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def display_name(user: User | None) -> str:
    if user is None:
        return "システム"
    return user.get_full_name() or user.get_username()


# Who ------------------------------------------------------------------------------------------------


def people(role: Role, organisation_ids: Iterable[int]) -> QuerySet[User]:
    """Active users of `role` bound to one of the organisations, with their profile."""
    return (
        User.objects.filter(
            is_active=True,
            portal_profile__role=role,
            portal_profile__organisation_id__in=list(organisation_ids),
        )
        .select_related("portal_profile")
        .order_by("portal_profile__organisation__display_order", "portal_profile__organisation__code", "pk")
    )


def liaisons_of(organisation: Municipality) -> QuerySet[User]:
    return people(Role.LIAISON, [organisation.pk])


def staff_of(organisation: Municipality) -> QuerySet[User]:
    """The staff of the organisation's prefecture (the prefecture itself for a prefecture)."""
    return people(Role.STAFF, [organisation.prefecture_id or organisation.pk])


# A report's workflow ----------------------------------------------------------------------------------


def _report_title(tag: str, report: StatusReport) -> str:
    return f"【{tag}】{report.municipality.name} {report.period.label}の状況報告"


def _deadline_line(report: StatusReport) -> str:
    deadline = report.period.submission_deadline
    return f"\n提出期限: {wareki_date(deadline)}" if deadline else ""


def _workflow_news(action: str, report: StatusReport, event: ReportEvent) -> tuple[str, News] | None:
    """(who is told: "staff" or "liaisons", what) for a status change, None for one nobody hears of."""
    actor = display_name(event.user)
    what = f"{report.municipality.name}の{report.period.label}の状況報告"
    url = report.get_absolute_url()
    comment = event.comment.strip()
    if action == ReportEvent.Action.SUBMIT:
        body = (
            f"{what}が提出されました（提出者: {actor}、{wareki_datetime(event.at)}）。\n"
            "内容を確認して、承認または差戻しをしてください。"
        )
        return "staff", News("report_submitted", _report_title("提出", report), body, url)
    if action == ReportEvent.Action.RETURN:
        body = (
            f"県の担当者（{actor}）が{what}を差し戻しました。\n\n差戻しコメント:\n{comment}\n\n"
            f"内容を修正して、もう一度提出してください。{_deadline_line(report)}"
        )
        return "liaisons", News("report_returned", _report_title("差戻し", report), body, url)
    if action == ReportEvent.Action.APPROVE:
        body = f"{what}が承認されました（{actor}）。承認された内容はダッシュボードに反映されます。"
        return "liaisons", News("report_approved", _report_title("承認", report), body, url)
    if action == ReportEvent.Action.REOPEN:
        reason = f"\n\nコメント:\n{comment}" if comment else ""
        body = (
            f"県の担当者（{actor}）が承認済みの{what}を再開しました（作成中に戻りました）。{reason}\n\n"
            "修正して、もう一度提出してください。"
        )
        return "liaisons", News("report_reopened", _report_title("再開", report), body, url)
    if action == "withdraw":
        body = f"{what}の提出が取り下げられました（{actor}）。確認待ちから外れ、作成中に戻りました。"
        return "staff", News("report_withdrawn", _report_title("取下げ", report), body, url)
    return None


def tell_status_change(*, report: StatusReport, action: str) -> int:
    """Tell the other side of a report's status change. Returns how many were told."""
    event = report.events.filter(action=action).select_related("user").order_by("-at", "-pk").first()
    if event is None or event.user is None:
        return 0  # the system's doing (seed, imports)
    spec = _workflow_news(str(action), report, event)
    if spec is None:
        return 0
    audience, news = spec
    report = StatusReport.objects.select_related("municipality", "period").get(pk=report.pk)
    recipients = staff_of(report.municipality) if audience == "staff" else liaisons_of(report.municipality)
    with transaction.atomic():
        return notify(recipients.exclude(pk=event.user.pk), news)


def tell_comment(*, report: StatusReport, comment: Any) -> int:
    """Tell the other side of a comment on a report (`comment` is the thread's `ReportEvent`: its
    `user` and its `comment`): staff's comment → the organisation's liaisons, a liaison's → the
    prefecture's staff."""
    author = comment.user
    report = StatusReport.objects.select_related("municipality", "period").get(pk=report.pk)
    role = role_of(author)
    if role == Role.STAFF:
        recipients = liaisons_of(report.municipality)
    elif role == Role.LIAISON:
        recipients = staff_of(report.municipality)
    else:
        return 0
    body = (
        f"{display_name(author)}さんが{report.municipality.name}の{report.period.label}の状況報告に"
        f"コメントしました。\n\n{comment.comment.strip()}"
    )
    news = News("comment", _report_title("コメント", report), body, report.get_absolute_url())
    with transaction.atomic():
        return notify(recipients.exclude(pk=author.pk), news)


# A period opened -------------------------------------------------------------------------------------


def tell_period_opened(period: ReportingPeriod) -> int:
    """Tell every liaison that `period` now takes reports, with its deadline. (Periods are common to
    every council, so every liaison reports for it.)"""
    deadline = wareki_date(period.submission_deadline) if period.submission_deadline else "未定"
    body = (
        f"{period.label}（{period.as_of_label}時点）の状況報告の受付を開始しました。\n"
        f"提出期限: {deadline}\n\n"
        "ポータルのトップページの「受付中の報告」から報告を作成し、提出してください。"
        "前回承認された内容が引き継がれるので、変わったところだけを直してください。"
    )
    news = News("period_opened", f"【受付開始】{period.label}の状況報告", body, reverse("home"))
    liaisons = (
        User.objects.filter(is_active=True, portal_profile__role=Role.LIAISON)
        .select_related("portal_profile")
        .order_by("pk")
    )
    with transaction.atomic():
        return notify(liaisons, news)


# Signal receivers (connected in CouncilConfig.ready) --------------------------------------------------


def on_status_changed(sender: type, report: StatusReport, action: str, **kwargs: Any) -> None:
    _safely(tell_status_change, report=report, action=action)


def on_commented(sender: type, report: StatusReport, comment: Any, **kwargs: Any) -> None:
    _safely(tell_comment, report=report, comment=comment)


def on_period_saving(sender: type, instance: ReportingPeriod, raw: bool = False, **kwargs: Any) -> None:
    """Note whether this save opens the period (it takes reports and did not before); fixtures
    loaded raw (the seed) open nothing."""
    instance._opening = (  # type: ignore[attr-defined]
        not raw
        and instance.accepting_reports
        and (
            instance.pk is None
            or not ReportingPeriod.objects.filter(pk=instance.pk, accepting_reports=True).exists()
        )
    )


def on_period_saved(sender: type, instance: ReportingPeriod, raw: bool = False, **kwargs: Any) -> None:
    if getattr(instance, "_opening", False):
        instance._opening = False  # type: ignore[attr-defined]
        transaction.on_commit(lambda: _safely(tell_period_opened, period=instance), robust=True)


def _safely(tell: Callable[..., int], **kwargs: Any) -> None:
    try:
        tell(**kwargs)
    except Exception:
        logger.exception("Notices for %s could not be made.", tell.__name__)
