"""資料1 情報システムの標準化・共通化: the 20 operations, the national procedure's 40 steps, deadlines,
and each organisation's quarterly progress: the materials' summary per step (how many operations,
partly or fully) and, where a liaison gives it, the national detail (a status per operation × step)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from council.dates import in_future, validate_date_in_range
from council.models import ByNameManager, ReportSection
from council.text import NameField

#: 令和7年度末: migration to standard-compliant systems on the ガバメントクラウド
DEFAULT_DEADLINE = date(2026, 3, 31)
#: 地方公共団体情報システムの標準化に関する法律 施行 (令和3年9月1日): the start of the clock
PROGRAMME_START = date(2021, 9, 1)
PLAN_RANGE = (date(2020, 4, 1), date(2036, 3, 31))
STEP_FIELDS = ("operations_done", "partial", "planned_date", "actual_date")
PARTIAL_NEEDS_COUNT = "「一部」は業務数が1以上のときだけ指定できます。"
#: the national procedure (総務省 手順書) numbers its steps 1..40
NATIONAL_STEPS = 40
#: placeholder steps (numbers whose names are not known yet) are ordered from here, after every named
#: step; the summary views (heat map, 団体カルテ) show them only once they hold data
PLACEHOLDER_ORDER = 100


class Status(models.TextChoices):
    """The four statuses of the national PMO tool, per organisation × operation × step. A step with
    no stored row is 未着手."""

    DONE = "done", "完了済み"
    IN_PROGRESS = "in_progress", "作業中"
    NOT_STARTED = "not_started", "未着手"
    NOT_APPLICABLE = "not_applicable", "対象外"


def status_row_errors(
    *,
    status: str,
    planned_date: date | None,
    actual_date: date | None,
    today: date,
) -> dict[str, str]:
    """Every rule of one operation × step status, by field name (the grid, the import and the writer
    call it). 完了済み without an actual date is allowed (a warning, `status_row_warnings`)."""
    errors = {}
    if status not in Status.values:
        labels = "・".join(Status.labels)
        errors["status"] = f"ステータスは {labels} のいずれかで入力してください（{status}）。"
    if planned_date and not (PLAN_RANGE[0] <= planned_date <= PLAN_RANGE[1]):
        errors["planned_date"] = (
            f"予定日は {PLAN_RANGE[0]:%Y-%m-%d}〜{PLAN_RANGE[1]:%Y-%m-%d} の範囲で入力してください。"
        )
    if actual_date and actual_date < PROGRAMME_START:
        errors["actual_date"] = (
            f"実績日（{actual_date:%Y-%m-%d}）が標準化の手順の開始（{PROGRAMME_START:%Y-%m-%d}）より前です。"
        )
    elif actual_date and in_future(actual_date, today=today):
        errors["actual_date"] = "実績日に未来の日付は入力できません。予定なら予定日に入力してください。"
    return errors


def status_row_warnings(*, status: str, actual_date: date | None) -> list[str]:
    """What may be right but is worth a second look: never blocking."""
    if status == Status.DONE and not actual_date:
        return ["完了済みですが実績日がありません。"]
    return []


def step_row_errors(
    *,
    operations_done: int,
    partial: bool,
    planned_date: date | None,
    actual_date: date | None,
    total: int,
    today: date,
) -> dict[str, str]:
    """Every rule of one step row, by field name, worded for the person who typed it. The one place
    these rules live: the model's `clean()`, the section form, the import and the section writer
    all call it (the check constraints below are the database's copy of the first two)."""
    errors = {}
    if not 0 <= operations_done <= total:
        errors["operations_done"] = f"業務数は 0〜{total} の範囲で入力してください（{operations_done}）。"
    if partial and not operations_done:
        errors["partial"] = PARTIAL_NEEDS_COUNT
    for name, value in (("planned_date", planned_date), ("actual_date", actual_date)):
        if value and not (PLAN_RANGE[0] <= value <= PLAN_RANGE[1]):
            errors[name] = (
                f"日付は {PLAN_RANGE[0]:%Y-%m-%d}〜{PLAN_RANGE[1]:%Y-%m-%d} の範囲で入力してください。"
            )
    if actual_date and in_future(actual_date, today=today):  # the more useful message wins
        errors["actual_date"] = (
            "完了日（実績）に未来の日付は入力できません。予定なら完了予定日に入力してください。"
        )
    return errors


class Operation(models.Model):
    """標準化対象事務 (the 20 operations in the order of the 政令)."""

    name = NameField("業務名", max_length=40, unique=True)
    order = models.PositiveSmallIntegerField("並び順", unique=True)
    default_deadline = models.DateField(
        "移行期限",
        default=DEFAULT_DEADLINE,
        help_text="標準準拠システムへの移行期限（既定は令和7年度末）",
        validators=[validate_date_in_range],
    )
    prefecture_reports = models.BooleanField(
        "都道府県も報告",
        default=False,
        help_text="都道府県が自ら報告する業務（児童扶養手当・生活保護）",
    )

    history = HistoricalRecords()
    objects = ByNameManager()

    class Meta:
        verbose_name = "標準化対象事務"
        verbose_name_plural = "標準化対象事務"
        ordering = ["order"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Phase(models.Model):
    """A group of PMO steps (計画立案, 移行 …)."""

    name = NameField("フェーズ名", max_length=40, unique=True)
    order = models.PositiveSmallIntegerField("並び順", unique=True)

    history = HistoricalRecords()
    objects = ByNameManager()

    class Meta:
        verbose_name = "フェーズ"
        verbose_name_plural = "フェーズ"
        ordering = ["order"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Step(models.Model):
    """A step of the national 標準化PMOツール, in order. Steps are master data: staff add the later
    ones; the data never requires them to be done in order."""

    phase = models.ForeignKey(Phase, verbose_name="フェーズ", on_delete=models.PROTECT, related_name="steps")
    name = NameField("ステップ名", max_length=60, unique=True, help_text="資料での表記（例: RFI結果）")
    full_name = NameField(
        "正式名", max_length=100, blank=True, help_text="資料の表記と異なる場合（例: RFI結果の分析）"
    )
    order = models.PositiveSmallIntegerField("並び順", unique=True)
    number = models.PositiveSmallIntegerField(
        "手順書の番号",
        unique=True,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(NATIONAL_STEPS)],
        help_text=f"国の手順書（標準化PMOツール）のステップ番号 1〜{NATIONAL_STEPS}。取り込みはこの番号で行います。",
    )
    verified = models.BooleanField(
        "資料で確認済み", default=False, help_text="会議資料に現れる名称なら確認済み"
    )

    history = HistoricalRecords()
    objects = ByNameManager()

    class Meta:
        verbose_name = "ステップ"
        verbose_name_plural = "ステップ"
        ordering = ["order"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class DeadlineOverride(models.Model):
    """A later deadline for one municipality's operation (移行困難システム), with its reason."""

    municipality = models.ForeignKey(
        "council.Municipality",
        verbose_name="団体",
        on_delete=models.CASCADE,
        related_name="standardization_deadlines",
    )
    operation = models.ForeignKey(
        Operation, verbose_name="業務", on_delete=models.PROTECT, related_name="overrides"
    )
    deadline = models.DateField("移行期限", validators=[validate_date_in_range])
    reason = models.TextField("理由", help_text="移行困難システムに該当する理由など")
    is_difficult = models.BooleanField("移行困難システム", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "移行期限の個別設定"
        verbose_name_plural = "移行期限の個別設定"
        ordering = ["municipality__display_order", "operation__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "operation"],
                name="deadline_override_unique",
                violation_error_message="この団体・業務の移行期限は既に設定されています。",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.operation}"

    def clean(self):
        super().clean()
        if not (self.reason or "").strip():
            raise ValidationError({"reason": "個別の移行期限には理由を入力してください。"})


class StandardizationProgress(ReportSection):
    """The standardization section of a quarterly report; its rows are `StepProgress`."""

    note = models.TextField("補足", blank=True, help_text="課題や遅れの理由など")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "標準化の進捗"
        verbose_name_plural = "標準化の進捗"

    def __str__(self):
        return f"{self.report} 標準化の進捗"


class StepProgress(models.Model):
    """How far one municipality is in one step: N operations done (partly, or fully), with the
    planned and actual completion dates (スケジュール予実)."""

    progress = models.ForeignKey(StandardizationProgress, on_delete=models.CASCADE, related_name="steps")
    step = models.ForeignKey(Step, verbose_name="ステップ", on_delete=models.PROTECT, related_name="+")
    operations_done = models.PositiveSmallIntegerField("完了した業務数", default=0)
    partial = models.BooleanField("一部", default=False, help_text="この業務数について一部のみ完了")
    planned_date = models.DateField("完了予定日", null=True, blank=True)
    actual_date = models.DateField("完了日（実績）", null=True, blank=True)
    operations = models.ManyToManyField(
        Operation, through="StepOperation", verbose_name="完了した業務", blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ステップの進捗"
        verbose_name_plural = "ステップの進捗"
        ordering = ["step__order"]
        constraints = [
            models.UniqueConstraint(fields=["progress", "step"], name="step_progress_unique"),
            models.CheckConstraint(
                name="step_progress_partial_needs_count",
                condition=models.Q(partial=False) | models.Q(operations_done__gt=0),
                violation_error_message=PARTIAL_NEEDS_COUNT,
            ),
            models.CheckConstraint(
                name="step_progress_count_at_most_100",
                condition=models.Q(operations_done__lte=100),
                violation_error_message="業務数が大きすぎます。",
            ),
        ]

    def __str__(self):
        return f"{self.step} {self.operations_done}業務"

    @property
    def is_empty(self) -> bool:
        return not (self.operations_done or self.planned_date or self.actual_date)

    def clean(self):
        super().clean()
        from django.utils import timezone

        errors = step_row_errors(
            operations_done=self.operations_done,
            partial=self.partial,
            planned_date=self.planned_date,
            actual_date=self.actual_date,
            total=Operation.objects.count(),
            today=timezone.localdate(),
        )
        if errors:
            label = f"「{self.step.name}」: " if self.step_id else ""
            raise ValidationError({name: label + message for name, message in errors.items()})

    def as_data(self) -> dict:
        return {
            "step_id": self.step_id,
            "operations_done": self.operations_done,
            "partial": self.partial,
            "planned_date": self.planned_date,
            "actual_date": self.actual_date,
            "operation_ids": [op.pk for op in self.operations.all()],
        }


class StepOperation(models.Model):
    """One operation ticked as done for a step (optional detail; when present it decides the count)."""

    step_progress = models.ForeignKey(StepProgress, on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "業務ごとの完了"
        verbose_name_plural = "業務ごとの完了"
        constraints = [
            models.UniqueConstraint(fields=["step_progress", "operation"], name="step_operation_unique")
        ]

    def __str__(self):
        return f"{self.step_progress} {self.operation}"


class StepStatus(models.Model):
    """The national detail: one organisation's status of one operation in one step, with planned and
    actual dates and a note. A step with no row is 未着手. When a section has these rows, its
    `StepProgress` rows (the materials' summary) are derived from them (`analysis.derive_summary`)."""

    progress = models.ForeignKey(StandardizationProgress, on_delete=models.CASCADE, related_name="statuses")
    operation = models.ForeignKey(Operation, verbose_name="業務", on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(Step, verbose_name="ステップ", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("ステータス", max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    planned_date = models.DateField("予定日", null=True, blank=True)
    actual_date = models.DateField("実績日", null=True, blank=True)
    note = models.CharField("備考", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "業務・ステップごとの状況"
        verbose_name_plural = "業務・ステップごとの状況"
        ordering = ["operation__order", "step__order"]
        constraints = [
            models.UniqueConstraint(fields=["progress", "operation", "step"], name="step_status_unique"),
            models.CheckConstraint(
                name="step_status_known",
                condition=models.Q(status__in=Status.values),
                violation_error_message="ステータスが正しくありません。",
            ),
        ]

    def __str__(self):
        return f"{self.operation} {self.step}: {self.get_status_display()}"


class ReferenceFigure(models.Model):
    """A published figure to compare with: the nation's, a prefecture's or one organisation's
    完了率 and 作業中率 (per operation, or over all operations), as of a date. Imported by staff."""

    NATION = "全国"

    scope_code = models.CharField(
        "団体コード・都道府県コード",
        max_length=6,
        help_text="全国、都道府県コード（2桁）または団体コード",
    )
    operation = models.ForeignKey(
        Operation, verbose_name="業務", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    completion_rate = models.DecimalField(
        "完了率（%）",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    in_progress_rate = models.DecimalField(
        "作業中率（%）",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    as_of = models.DateField("時点", validators=[validate_date_in_range])

    class Meta:
        verbose_name = "比較用の数値（全国・都道府県）"
        verbose_name_plural = "比較用の数値（全国・都道府県）"
        ordering = ["-as_of", "scope_code", "operation__order"]
        indexes = [models.Index(fields=["scope_code", "as_of"])]

    def __str__(self):
        return f"{self.scope_code} {self.operation or '全業務'} {self.as_of}"
