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

    `status` changes only through the services in `council.services.workflow`; nothing else assigns it.
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
    """One step of a report's workflow: who did what, when, and why."""

    class Action(models.TextChoices):
        CREATE = "create", "作成"
        SUBMIT = "submit", "提出"
        RETURN = "return", "差戻し"
        APPROVE = "approve", "承認"
        REOPEN = "reopen", "再開"

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

    class Meta:
        verbose_name = "報告の履歴"
        verbose_name_plural = "報告の履歴"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report} {self.get_action_display()}"


class ReportSection(models.Model):
    """Base of every app's part of the quarterly report: one row per report, versioned.

    `version` guards concurrent edits: a save names the version it started from and is refused when
    someone else saved in between (see `council.services.section_save`). A section with child rows
    overrides `write_content`, `copy_children` and `bulk_write`; the workflow around them stays the same.
    """

    report = models.OneToOneField(
        StatusReport, verbose_name="報告", on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s"
    )
    version = models.PositiveIntegerField("版", default=1, editable=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    #: fields that belong to the workflow, not to what the liaison reports
    BOOKKEEPING_FIELDS = ("id", "report", "version", "updated_at", "updated_by")

    class Meta:
        abstract = True

    def content_fields(self) -> list[str]:
        return [f.name for f in self._meta.concrete_fields if f.name not in self.BOOKKEEPING_FIELDS]

    def content(self) -> dict:
        return {name: getattr(self, name) for name in self.content_fields()}

    def write_content(self, data: dict) -> None:
        """Apply the form's data, validate and save (inside section_save's transaction)."""
        for name, value in data.items():
            setattr(self, name, value)
        self.full_clean()
        self.save()

    #: the fields a copy for the next period starts with (None: every content field); child rows
    #: are copied by `copy_children`
    copied_fields: tuple[str, ...] | None = None

    @classmethod
    def bulk_copy(cls, targets: list[tuple[int, StatusReport]], user) -> dict[int, int]:
        """Copy the sections of reports into other reports (`targets`: (report id to copy from, the
        report to copy into), the next period's pre-filled drafts), history included, in a few SQL
        statements for any number. A report without this section is skipped. Returns {report id
        copied into: new section id}."""
        from django.utils import timezone

        from council.framework.history import copy_with_history

        names = cls.copied_fields
        if names is None:
            names = [f.name for f in cls._meta.concrete_fields if f.name not in cls.BOOKKEEPING_FIELDS]
        created = copy_with_history(
            cls,
            cls._meta.get_field("report").column,
            [(source, report.pk) for source, report in targets],
            [cls._meta.get_field(name).column for name in names],
            {
                "version": 1,
                "updated_at": timezone.now(),
                "updated_by_id": user.pk if user is not None else None,
            },
            user,
        )
        if created and cls.copy_children.__func__ is not ReportSection.copy_children.__func__:
            source_sections = dict(
                cls.objects.filter(report_id__in={s for s, _ in targets}).values_list("report_id", "pk")
            )
            cls.copy_children(
                [
                    (source_sections[source], created[report.pk])
                    for source, report in targets
                    if report.pk in created
                ],
                user,
            )
        return created

    @classmethod
    def copy_children(cls, pairs: list[tuple[int, int]], user) -> None:
        """Copy child rows from each source section to its copy ((source id, copy id) pairs);
        sections with child rows override this."""

    @classmethod
    def create_new(
        cls, items: list[tuple[StatusReport, dict]], user, prepare
    ) -> tuple[list[ReportSection], list]:
        """The skeleton of a `bulk_write`: a new section per (report, data), filled by
        `prepare(section, data)` (which returns the section's child rows, or raises ValidationError),
        every one validated before any is written (each message names its report), then all
        inserted with their history. Returns the saved sections and what `prepare` returned."""
        from django.core.exceptions import ValidationError

        from council.framework.history import create_with_history

        sections, children, errors = [], [], []
        for report, data in items:
            section, messages, child = cls(report=report, updated_by=user), [], None
            try:
                child = prepare(section, data)
            except ValidationError as error:
                messages += error.messages
            try:  # the report is new and checked; constraints are the database's copy of clean()
                section.full_clean(
                    exclude=["report", "updated_by"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                messages += error.messages
            errors += [
                f"{report.municipality.name}（{report.period.label}）: {message}" for message in messages
            ]
            sections.append(section)
            children.append(child)
        if errors:
            raise ValidationError(errors)
        return create_with_history(sections, cls, user), children

    @classmethod
    def bulk_write(cls, items: list[tuple[StatusReport, dict]], user) -> list[ReportSection]:
        """New sections for reports that have none (an import): `write_content` for each; sections
        with many child rows override this to write them all at once."""
        sections = []
        for report, data in items:
            section = cls(report=report, updated_by=user)
            section._history_user = user
            section.write_content(data)
            sections.append(section)
        return sections


class ByNameManager(models.Manager):
    """Master rows of the agenda apps are found by name in fixtures (natural keys), so loading the
    seed again updates rather than duplicates them."""

    def get_by_natural_key(self, name):
        return self.get(name=name)
