"""What the portal tells people: each mail as it waits in and leaves the outbox, each user's notices
on the home page, and the reminders already sent (so that a second run sends nothing new)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxMailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Not yet sent, and its (next) attempt has come. A mail whose retries are exhausted has no
        next attempt and waits for `send_outbox --retry-failed`."""
        return self.filter(sent_at__isnull=True, next_attempt_at__lte=now or timezone.now())


class OutboxMail(models.Model):
    """One mail, recorded in the transaction that caused it and sent after that commits
    (`council.mail`). A failed send stays here with its error and is retried; nothing is lost
    silently. Once sent, the text is erased (the notice in the portal keeps what users need; a
    password-reset link is not kept)."""

    kind = models.CharField("種類", max_length=40)
    recipients = models.JSONField("宛先", default=list)
    organisation = models.ForeignKey(
        "council.Municipality",
        verbose_name="宛先の団体",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="宛先の利用者の所属団体（管理画面で県職員に見せる範囲）",
    )
    subject = models.CharField("件名", max_length=300)
    body = models.TextField("本文", blank=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("送信を試みた回数", default=0)
    last_error = models.TextField("最後の送信エラー", blank=True)
    next_attempt_at = models.DateTimeField(
        "次に送信する日時",
        null=True,
        blank=True,
        help_text="空欄: 送信済み、または再送の上限に達したもの（send_outbox --retry-failed で再送）",
    )

    objects = OutboxMailQuerySet.as_manager()

    class Meta:
        verbose_name = "送信メール"
        verbose_name_plural = "送信メール"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.subject}（{', '.join(self.recipients)}）"

    @property
    def status_label(self) -> str:
        if self.sent_at:
            return "送信済"
        if self.next_attempt_at is None:
            return "送信失敗（再送停止）"
        return "再送待ち" if self.attempts else "送信待ち"

    def retry_delay(self) -> timedelta:
        """After the n-th failure: 5 minutes, doubling, at most 6 hours."""
        return min(timedelta(minutes=5) * 2 ** max(self.attempts - 1, 0), timedelta(hours=6))


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own notices; nobody sees another's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """A notice to one user, shown on their home page until they read it: the same news as the mail
    (which may be missed, or not sent to a user without an address)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="宛先", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("種類", max_length=40)
    title = models.CharField("件名", max_length=300)
    body = models.TextField("内容", blank=True)
    url = models.CharField("リンク", max_length=300, blank=True, help_text="ポータル内のパス")
    created_at = models.DateTimeField("日時", default=timezone.now)
    read_at = models.DateTimeField("既読日時", null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("notices:open", args=[self.pk])


class ReminderLog(models.Model):
    """A reminder sent: to an organisation's liaisons, or a digest to a prefecture's staff, for one
    period at one stage (days before the deadline; -1 once it has passed). `send_reminders` sends a
    stage only when no stage as urgent or more has been sent."""

    OVERDUE = -1

    class Audience(models.TextChoices):
        LIAISONS = "liaisons", "連絡担当者（未提出の催促）"
        STAFF = "staff", "県職員（提出状況のまとめ）"

    period = models.ForeignKey(
        "council.ReportingPeriod", verbose_name="報告期間", on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "council.Municipality",
        verbose_name="団体",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="催促を受けた団体（まとめのときは都道府県）",
    )
    audience = models.CharField("宛先", max_length=10, choices=Audience.choices)
    stage = models.SmallIntegerField("時期", help_text="提出期限の何日前か（-1: 期限後）")
    recipients = models.PositiveSmallIntegerField("お知らせした人数", default=0)
    sent_at = models.DateTimeField("送信日時", default=timezone.now)

    class Meta:
        verbose_name = "催促の送信記録"
        verbose_name_plural = "催促の送信記録"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation", "audience", "stage"], name="reminder_once_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.period} {self.organisation} {self.stage_label}"

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


def stage_label(stage: int) -> str:
    if stage == ReminderLog.OVERDUE:
        return "提出期限後"
    if stage == 0:
        return "提出期限の当日"
    return f"提出期限の{stage}日前"
