from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from council.framework.sections import ReportSection
from council.wareki import short_fiscal_year, wareki_fiscal_year

#: the labels of the two yes/no questions whose headcount follows them (the form shows them as checkboxes)
EXTERNAL_TALENT = "外部人材確保（CIO補佐官等）"
IT_HIRES = "情報職の採用"


def headcount_validators(flag_label: str) -> list:
    """1 to 999 people; "none" is said by leaving the question's checkbox unticked, as the message tells."""
    return [
        MinValueValidator(
            1, f"人数は1名以上で入力してください（いない場合は「{flag_label}」のチェックを外してください）。"
        ),
        MaxValueValidator(999, "人数が大きすぎます（999名以下で入力してください）。"),
    ]


class DXStructure(ReportSection):
    """資料7 市町のDX推進体制等: one municipality's DX organisation as of the report's period."""

    #: what the liaison reports, in the materials' order (the form's fields, the selectors' columns)
    REPORTED = (
        "department",
        "policy",
        "policy_planned_fiscal_year",
        "has_promotion_body",
        "promotion_body",
        "has_external_talent",
        "external_talent_count",
        "has_it_hires",
        "it_hires_count",
    )

    class Policy(models.TextChoices):
        ESTABLISHED = "established", "策定済"
        PLANNED = "planned", "策定予定"
        NONE = "none", "未策定"

    department = models.CharField("担当所属", max_length=100, blank=True)
    policy = models.CharField("全体方針の策定", max_length=12, choices=Policy.choices, default=Policy.NONE)
    policy_planned_fiscal_year = models.PositiveSmallIntegerField(
        "策定予定年度",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="「策定予定」のとき、策定予定の年度（西暦。2023 = 令和5年度）",
    )
    has_promotion_body = models.BooleanField(
        "全庁的なDX推進体制あり",
        default=False,
        help_text="部局を横断する推進本部・推進会議等があるとき。担当課だけで進めている場合はチェックしません",
    )
    promotion_body = models.CharField(
        "全庁的なDX推進体制",
        max_length=100,
        blank=True,
        help_text="推進本部等の名称（資料の「全庁的なDX推進体制」欄に書く内容。記載がなければ空欄）",
    )
    has_external_talent = models.BooleanField(EXTERNAL_TALENT, default=False)
    external_talent_count = models.PositiveSmallIntegerField(
        "外部人材の人数",
        null=True,
        blank=True,
        validators=headcount_validators(EXTERNAL_TALENT),
        help_text="不明なら空欄",
    )
    has_it_hires = models.BooleanField(IT_HIRES, default=False)
    it_hires_count = models.PositiveSmallIntegerField(
        "情報職の人数",
        null=True,
        blank=True,
        validators=headcount_validators(IT_HIRES),
        help_text="不明なら空欄",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "DX推進体制"
        verbose_name_plural = "DX推進体制"
        constraints = [
            models.CheckConstraint(
                name="dx_planned_year_only_when_planned",
                condition=models.Q(policy="planned", policy_planned_fiscal_year__isnull=False)
                | (~models.Q(policy="planned") & models.Q(policy_planned_fiscal_year__isnull=True)),
                violation_error_message="策定予定年度は「策定予定」のときだけ、必ず入力してください。",
            ),
            models.CheckConstraint(
                name="dx_external_count_needs_flag",
                condition=models.Q(external_talent_count__isnull=True)
                | models.Q(
                    has_external_talent=True, external_talent_count__gte=1, external_talent_count__lte=999
                ),
                violation_error_message=(
                    f"外部人材の人数は「{EXTERNAL_TALENT}」にチェックを入れたときに1〜999名で入力してください。"
                ),
            ),
            models.CheckConstraint(
                name="dx_it_count_needs_flag",
                condition=models.Q(it_hires_count__isnull=True)
                | models.Q(has_it_hires=True, it_hires_count__gte=1, it_hires_count__lte=999),
                violation_error_message=(
                    f"情報職の人数は「{IT_HIRES}」にチェックを入れたときに1〜999名で入力してください。"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.report} DX推進体制"

    def clean(self):
        super().clean()
        errors = {}
        if self.policy == self.Policy.PLANNED and not self.policy_planned_fiscal_year:
            errors["policy_planned_fiscal_year"] = "「策定予定」のときは策定予定の年度を入力してください。"
        if self.policy != self.Policy.PLANNED and self.policy_planned_fiscal_year:
            errors["policy_planned_fiscal_year"] = "策定予定年度は「策定予定」のときだけ入力してください。"
        if self.has_promotion_body and not self.promotion_body.strip():
            errors["promotion_body"] = (
                "「全庁的なDX推進体制あり」のときは、推進本部等の名称を入力してください。"
            )
        if self.external_talent_count and not self.has_external_talent:
            errors["external_talent_count"] = (
                f"人数を入力するときは「{EXTERNAL_TALENT}」にチェックを入れてください。"
            )
        if self.it_hires_count and not self.has_it_hires:
            errors["it_hires_count"] = f"人数を入力するときは「{IT_HIRES}」にチェックを入れてください。"
        if errors:
            raise ValidationError(errors)

    def summary_value(self, name, value):
        """In a comparison the planned year reads as 令和N年度 and headcounts with 名."""
        if value is None:
            return None
        if name == "policy_planned_fiscal_year":
            return wareki_fiscal_year(value)
        if name in ("external_talent_count", "it_hires_count"):
            return f"{value}名"
        return None

    # The materials' own notation (資料7): ○, R5予定, ○(2名), blank.
    @property
    def policy_mark(self) -> str:
        if self.policy == self.Policy.ESTABLISHED:
            return "○"
        if self.policy == self.Policy.PLANNED and self.policy_planned_fiscal_year:
            return f"{short_fiscal_year(self.policy_planned_fiscal_year)}予定"
        return ""

    @staticmethod
    def _headcount_mark(flag: bool, count: int | None) -> str:
        if not flag:
            return ""
        return f"○({count}名)" if count else "○"

    @property
    def external_talent_mark(self) -> str:
        return self._headcount_mark(self.has_external_talent, self.external_talent_count)

    @property
    def it_hires_mark(self) -> str:
        return self._headcount_mark(self.has_it_hires, self.it_hires_count)
