from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "作成中"
    SUBMITTED = "submitted", "提出済"
    RETURNED = "returned", "差戻し"
    APPROVED = "approved", "承認済"


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class StatusReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Reports of the organisations the user may see. Council members read dashboards, not
        reports, so they get none here."""
        from council.models.municipality import Municipality
        from council.roles import Role, role_of

        if role_of(user) not in (Role.STAFF, Role.LIAISON):
            return self.none()
        return self.filter(municipality__in=Municipality.objects.for_user(user).values("pk"))

    def approved(self):
        return self.filter(status=ReportStatus.APPROVED)


class StatusReport(models.Model):
    """One organisation's quarterly status report for one period.

    `status` changes only through the workflow services in `council.services` (`_transition`);
    nothing else assigns it.
    """

    municipality = models.ForeignKey(
        "council.Municipality", verbose_name="団体", on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        "council.ReportingPeriod", verbose_name="報告期間", on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        "状態", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    return_comment = models.TextField("差戻しコメント", blank=True, editable=False)
    created_at = models.DateTimeField("作成日時", default=timezone.now, editable=False)
    first_submitted_at = models.DateTimeField("初回提出日時", null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField("承認・差戻し日時", null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承認・差戻し者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()
    objects = StatusReportQuerySet.as_manager()

    class Meta:
        verbose_name = "状況報告"
        verbose_name_plural = "状況報告"
        ordering = ["-period__fiscal_year", "-period__quarter", "municipality__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period"],
                name="report_unique_per_period",
                violation_error_message="この団体・期間の報告は既にあります。",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self):
        return f"{self.municipality} {self.period}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_late(self) -> bool:
        """First submitted after the deadline (the deadline day itself counts as on time)."""
        deadline = self.period.submission_deadline
        if not (deadline and self.first_submitted_at):
            return False
        return timezone.localdate(self.first_submitted_at) > deadline


class ReportEvent(models.Model):
    """One step of a report's workflow: who did what, when, and why.

    The log is also the report's conversation: every event with a `comment` (a return's reason, a
    reopen's, a withdrawal's, and the comments staff and liaisons post in every state) is a message
    of the thread. Staff acting for the organisation (starting, editing, submitting its report) are
    recorded with `proxy` set: 代理入力.
    """

    class Action(models.TextChoices):
        CREATE = "create", "作成"
        SUBMIT = "submit", "提出"
        RETURN = "return", "差戻し"
        APPROVE = "approve", "承認"
        REOPEN = "reopen", "再開"
        WITHDRAW = "withdraw", "取り下げ"
        COMMENT = "comment", "コメント"
        PROXY_EDIT = "proxy_edit", "代理入力"

    #: what a comment in the report's thread may hold
    COMMENT_MAX_LENGTH = 2000

    report = models.ForeignKey(
        StatusReport, verbose_name="報告", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    from_status = models.CharField("変更前", max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField("変更後", max_length=10, choices=ReportStatus.choices)
    comment = models.TextField("コメント", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作者", on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField("日時", default=timezone.now)
    section = models.CharField(
        "項目", max_length=40, blank=True, help_text="代理入力した報告の項目（アプリのキー）"
    )
    proxy = models.BooleanField(
        "代理入力", default=False, help_text="県の担当者が団体に代わって作成・入力・提出した操作"
    )

    class Meta:
        verbose_name = "報告の履歴"
        verbose_name_plural = "報告の履歴"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report} {self.get_action_display()}"

    @property
    def section_title(self) -> str:
        """The title of the section a proxy edit wrote (its key if the app is gone)."""
        from council.framework import registry

        if not self.section:
            return ""
        return (
            registry.sections.get(self.section).title if self.section in registry.sections else self.section
        )

    @property
    def is_comment(self) -> bool:
        """A message of the report's thread."""
        return bool(self.comment)


class ByNameManager(models.Manager):
    """Master rows of the agenda apps are found by name in fixtures (natural keys), so loading the
    seed again updates rather than duplicates them."""

    def get_by_natural_key(self, name):
        return self.get(name=name)
