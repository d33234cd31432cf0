"""資料3 県・市町におけるRPA等共同利用: shared scenarios, who uses them, the yearly plan, the licence
and maintenance contracts, and each municipality's quarterly runs and hours saved."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from council.dates import validate_date_in_range
from council.models import ByNameManager, ReportSection
from council.text import NameField
from council.wareki import wareki_fiscal_year

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class Scenario(models.Model):
    """A shared RPA scenario (the business process it automates)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "計画"
        BUILDING = "building", "作成中"
        OPERATING = "operating", "運用中"
        RETIRED = "retired", "終了"

    name = NameField("業務", max_length=120, unique=True)
    number = models.PositiveSmallIntegerField("番号", help_text="その年度の資料での番号（①なら1）")
    fiscal_year = models.PositiveSmallIntegerField(
        "作成年度",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="西暦（2022 = 令和4年度）",
    )
    maintainer = models.CharField(
        "保守", max_length=100, blank=True, help_text="シナリオの保守を担う者（例: 県（共同利用事業））"
    )
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.OPERATING)
    participants = models.ManyToManyField(
        "council.Municipality",
        through="Participation",
        verbose_name="利用団体",
        related_name="rpa_scenarios",
        blank=True,
    )

    history = HistoricalRecords()
    objects = ByNameManager()

    class Meta:
        verbose_name = "RPAシナリオ"
        verbose_name_plural = "RPAシナリオ"
        ordering = ["fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="rpa_scenario_number_unique")
        ]

    def __str__(self):
        return f"{self.label}"

    def natural_key(self):
        return (self.name,)

    @property
    def label(self) -> str:
        """【①主治医意見書作成依頼及び認定調査依頼業務】 as in the materials."""
        mark = CIRCLED[self.number - 1] if 0 < self.number <= len(CIRCLED) else f"{self.number}."
        return f"【{mark}{self.name}】"


def active_scenario_ids(municipality_id) -> set[int]:
    """The scenarios a municipality uses now (an open participation)."""
    return set(
        Participation.objects.filter(
            municipality_id=municipality_id, until_fiscal_year__isnull=True
        ).values_list("scenario_id", flat=True)
    )


class Participation(models.Model):
    scenario = models.ForeignKey(
        Scenario, verbose_name="シナリオ", on_delete=models.CASCADE, related_name="participations"
    )
    municipality = models.ForeignKey(
        "council.Municipality",
        verbose_name="団体",
        on_delete=models.PROTECT,
        related_name="rpa_participations",
    )
    since_fiscal_year = models.PositiveSmallIntegerField("利用開始年度")
    until_fiscal_year = models.PositiveSmallIntegerField("利用終了年度", null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        "並び順",
        default=0,
        help_text="資料での並び（資料は団体コード順でないことがある）。0 は団体コード順で最後",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "シナリオの利用"
        verbose_name_plural = "シナリオの利用"
        ordering = ["scenario", "order", "municipality__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "municipality"],
                condition=models.Q(until_fiscal_year__isnull=True),
                name="rpa_one_active_participation",
            )
        ]

    def __str__(self):
        return f"{self.scenario} {self.municipality}"


class YearPlan(models.Model):
    fiscal_year = models.PositiveSmallIntegerField("年度", unique=True)
    planned_scenarios = models.PositiveSmallIntegerField("シナリオ作成予定数", null=True, blank=True)
    planned_approximate = models.BooleanField(
        "予定数は概数（程度）",
        default=False,
        help_text="資料が概数で書くとき（例: 5業務程度）。5業務のように書くときはチェックしません",
    )
    focus = models.TextField("方針", blank=True)
    project_ends = models.BooleanField("事業の最終年度", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度の取組方針"
        verbose_name_plural = "年度の取組方針"
        ordering = ["fiscal_year"]

    def __str__(self):
        return wareki_fiscal_year(self.fiscal_year)

    @property
    def planned_label(self) -> str:
        """5業務, or 5業務程度 where the materials say so; empty without a number."""
        if not self.planned_scenarios:
            return ""
        return f"{self.planned_scenarios}業務{'程度' if self.planned_approximate else ''}"


class Contract(models.Model):
    """Licences and scenario maintenance after the project (令和6年度 on): what, when, cost, who pays."""

    class Kind(models.TextChoices):
        LICENCE = "licence", "ライセンス"
        MAINTENANCE = "maintenance", "シナリオ保守"

    class Payer(models.TextChoices):
        PREFECTURE = "prefecture", "県"
        MUNICIPALITIES = "municipalities", "市町（利用団体）"
        SHARED = "shared", "県・市町で按分"
        UNDECIDED = "undecided", "未定"

    class Decision(models.TextChoices):
        CONSIDERING = "considering", "検討中"
        DECIDED = "decided", "決定"

    kind = models.CharField("種類", max_length=12, choices=Kind.choices)
    description = models.CharField("内容", max_length=200)
    start = models.DateField("開始", validators=[validate_date_in_range])
    end = models.DateField("終了", null=True, blank=True, validators=[validate_date_in_range])
    annual_cost = models.PositiveIntegerField("年額（円）", null=True, blank=True)
    payer = models.CharField("負担", max_length=15, choices=Payer.choices, default=Payer.UNDECIDED)
    decision = models.CharField(
        "決定状況", max_length=12, choices=Decision.choices, default=Decision.CONSIDERING
    )
    note = models.TextField("備考", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ライセンス・保守契約"
        verbose_name_plural = "ライセンス・保守契約"
        ordering = ["start", "kind"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.description}"

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "終了は開始より後の日付にしてください。"})


class RpaUsage(ReportSection):
    """The RPA section of a quarterly report: runs and hours saved per scenario used, and requests
    to join or leave scenarios (applied when staff approve the report)."""

    note = models.TextField("補足", blank=True)

    history = HistoricalRecords()

    #: whether a request has been applied is the approval's bookkeeping, not what the liaison asked
    SUMMARY_EXCLUDE = ("requests.applied",)

    class Meta:
        verbose_name = "RPAの利用状況"
        verbose_name_plural = "RPAの利用状況"

    def __str__(self):
        return f"{self.report} RPAの利用状況"


class ScenarioUsage(models.Model):
    usage = models.ForeignKey(RpaUsage, on_delete=models.CASCADE, related_name="scenarios")
    scenario = models.ForeignKey(
        Scenario, verbose_name="シナリオ", on_delete=models.PROTECT, related_name="usages"
    )
    runs = models.PositiveIntegerField(
        "実行回数", validators=[MaxValueValidator(1_000_000, "実行回数が大きすぎます（1,000,000回以下）。")]
    )
    hours_saved = models.DecimalField(
        "削減時間（時間）",
        max_digits=8,
        decimal_places=1,
        validators=[
            MinValueValidator(Decimal("0"), "削減時間は0以上で入力してください。"),
            MaxValueValidator(Decimal("100000"), "削減時間が大きすぎます（100,000時間以下）。"),
        ],
    )

    class Meta:
        verbose_name = "シナリオの実績"
        verbose_name_plural = "シナリオの実績"
        constraints = [
            models.UniqueConstraint(fields=["usage", "scenario"], name="rpa_usage_unique"),
            models.CheckConstraint(name="rpa_hours_non_negative", condition=models.Q(hours_saved__gte=0)),
        ]

    def __str__(self):
        return f"{self.scenario}: {self.runs}回 {self.hours_saved}時間"


class ParticipationRequest(models.Model):
    class Action(models.TextChoices):
        JOIN = "join", "利用開始"
        LEAVE = "leave", "利用終了"

    usage = models.ForeignKey(RpaUsage, on_delete=models.CASCADE, related_name="requests")
    scenario = models.ForeignKey(
        Scenario, verbose_name="シナリオ", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("申請", max_length=5, choices=Action.choices)
    applied = models.BooleanField("反映済み", default=False)

    class Meta:
        verbose_name = "利用の開始・終了の申請"
        verbose_name_plural = "利用の開始・終了の申請"
        constraints = [models.UniqueConstraint(fields=["usage", "scenario"], name="rpa_request_unique")]

    def __str__(self):
        return f"{self.scenario} {self.get_action_display()}"
