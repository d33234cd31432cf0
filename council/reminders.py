"""Reminders before and after a deadline (`manage.py send_reminders`, run daily).

For each period taking reports that has a deadline, the stage of the day is the nearest of the
configured days before the deadline that has been reached (REMINDER_DAYS_BEFORE, default 7 and 1),
or "overdue" once the deadline has passed. The liaisons of every organisation whose report is not
submitted (none yet, 作成中, 差戻し) are reminded, and the staff of each prefecture get a digest of
who has not submitted, once per stage: what was sent is recorded (`ReminderLog`), and a stage is
sent only when nothing as urgent or more has been. A run missed one day is caught up the next (the
7-day reminder goes out 6 days before), and running twice sends nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from council import selectors
from council.models import Municipality, ReminderLog, ReportingPeriod, Role
from council.models.notice import stage_label
from council.notices import News, notify, people
from council.selectors import CompletenessRow
from council.wareki import wareki_date


def stage_on(deadline: date, today: date, days_before: Sequence[int]) -> int | None:
    """The reminder stage of `today`: the fewest days before the deadline among those reached,
    ReminderLog.OVERDUE after it, None before the first."""
    left = (deadline - today).days
    if left < 0:
        return ReminderLog.OVERDUE
    reached = [days for days in days_before if left <= days]
    return min(reached) if reached else None


@dataclass
class Reminder:
    """One reminder to send: to an organisation's liaisons, or a digest to a prefecture's staff."""

    period: ReportingPeriod
    organisation: Municipality
    audience: str  # ReminderLog.Audience
    stage: int
    users: list[User]
    news: News
    rows: list[CompletenessRow] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


def plan(*, today: date, days_before: Sequence[int]) -> list[Reminder]:
    """Every reminder due `today` and not sent yet, without sending anything."""
    reminders: list[Reminder] = []
    periods = (
        ReportingPeriod.objects.accepting()
        .exclude(submission_deadline=None)
        .order_by("fiscal_year", "quarter")
    )
    prefectures = list(
        Municipality.objects.filter(kind=Municipality.Kind.PREFECTURE).order_by("display_order", "code")
    )
    for period in periods:
        assert period.submission_deadline is not None
        stage = stage_on(period.submission_deadline, today, days_before)
        if stage is None:
            continue
        sent = set(
            ReminderLog.objects.filter(period=period, stage__lte=stage).values_list(
                "organisation_id", "audience"
            )
        )
        for prefecture in prefectures:
            reminders += _prefecture_reminders(period, prefecture, stage, sent, today)
    return reminders


def _prefecture_reminders(
    period: ReportingPeriod, prefecture: Municipality, stage: int, sent: set[tuple[int, str]], today: date
) -> list[Reminder]:
    organisations = Municipality.objects.filter(Q(pk=prefecture.pk) | Q(prefecture=prefecture))
    rows = selectors.completeness_of(period=period, organisations=organisations)
    missing = [row for row in rows if not row.is_submitted]
    if not missing:
        return []
    reminders = []
    liaisons: dict[int | None, list[User]] = defaultdict(list)
    pending = [row for row in missing if (row.municipality_id, ReminderLog.Audience.LIAISONS) not in sent]
    for user in people(Role.LIAISON, [row.municipality_id for row in pending]):
        liaisons[user.portal_profile.organisation_id].append(user)
    organisations_by_id = Municipality.objects.in_bulk([row.municipality_id for row in pending])
    for row in pending:
        if liaisons[row.municipality_id]:
            reminders.append(
                Reminder(
                    period=period,
                    organisation=organisations_by_id[row.municipality_id],
                    audience=ReminderLog.Audience.LIAISONS,
                    stage=stage,
                    users=liaisons[row.municipality_id],
                    news=_liaison_news(period, row, stage, today),
                    rows=[row],
                )
            )
    staff = list(people(Role.STAFF, [prefecture.pk]))
    if staff and (prefecture.pk, ReminderLog.Audience.STAFF) not in sent:
        reminders.append(
            Reminder(
                period=period,
                organisation=prefecture,
                audience=ReminderLog.Audience.STAFF,
                stage=stage,
                users=staff,
                news=_digest_news(period, rows, stage, today),
                rows=missing,
            )
        )
    return reminders


def _liaison_news(period: ReportingPeriod, row: CompletenessRow, stage: int, today: date) -> News:
    assert period.submission_deadline is not None
    deadline = wareki_date(period.submission_deadline)
    left = (period.submission_deadline - today).days
    what = f"{row.name}の{period.label}の状況報告"
    url = reverse("reports:detail", args=[row.report_id]) if row.report_id else reverse("home")
    if stage == ReminderLog.OVERDUE:
        body = (
            f"提出期限（{deadline}）を過ぎましたが、{what}がまだ提出されていません（現在: {row.status_label}）。\n"
            "至急提出してください。提出が遅れる場合は、県の担当者にご連絡ください。"
        )
        return News("reminder_overdue", f"【期限超過】{period.label}の状況報告", body, url)
    when = "本日が提出期限です" if left == 0 else f"提出期限は{deadline}です（あと{left}日）"
    body = (
        f"{what}がまだ提出されていません（現在: {row.status_label}）。{when}。\n"
        "入力を済ませて、期限までに提出してください。"
    )
    title = (
        f"【提出期限まで{left}日】{period.label}の状況報告"
        if left
        else f"【本日提出期限】{period.label}の状況報告"
    )
    return News("reminder", title, body, url)


def _digest_news(period: ReportingPeriod, rows: list[CompletenessRow], stage: int, today: date) -> News:
    missing = [row for row in rows if not row.is_submitted]
    late = [row for row in rows if row.is_late]
    submitted = sum(row.is_submitted for row in rows)
    lines = [
        f"{period.label}の状況報告の提出状況です（{wareki_date(today)}現在、"
        f"提出期限: {wareki_date(period.submission_deadline)}、{stage_label(stage)}）。",
        "",
        f"提出済: {submitted}／{len(rows)}団体",
        "",
        f"未提出: {len(missing)}団体" + ("（期限超過）" if stage == ReminderLog.OVERDUE else ""),
        *[f"・{row.name}（{row.status_label}）" for row in missing],
    ]
    if late:
        lines += ["", f"期限後に提出: {len(late)}団体", *[f"・{row.name}" for row in late]]
    title = f"【提出状況】{period.label}: 未提出 {len(missing)}団体（{stage_label(stage)}）"
    url = reverse("reports:completeness") + f"?period={period.slug}"
    return News("reminder_digest", title, "\n".join(lines), url)


def send(reminders: list[Reminder]) -> int:
    """Record and send `reminders` in one transaction (mails go after it commits). Returns how many
    people were told."""
    told = 0
    with transaction.atomic():
        for reminder in reminders:
            ReminderLog.objects.create(
                period=reminder.period,
                organisation=reminder.organisation,
                audience=reminder.audience,
                stage=reminder.stage,
                recipients=len(reminder.users),
            )
            told += notify(reminder.users, reminder.news)
    return told
