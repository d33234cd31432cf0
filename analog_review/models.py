"""資料4 アナログ規制の点検・見直し: each organisation's inventory of provisions (from its 例規 system)
and, per quarter, the counts by type and status that the liaison confirms."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from council.dates import validate_date_in_range
from council.models import ByNameManager, ReportSection
from council.text import NameField


class RegulationType(models.Model):
    """代表的なアナログ規制7項目, and FD等の記録媒体を指定する規定, in the official order."""

    name = NameField("類型", max_length=40, unique=True)
    order = models.PositiveSmallIntegerField("並び順", unique=True)
    representative = models.BooleanField("代表的なアナログ規制7項目", default=True)

    history = HistoricalRecords()
    objects = ByNameManager()

    class Meta:
        verbose_name = "アナログ規制の類型"
        verbose_name_plural = "アナログ規制の類型"
        ordering = ["order"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class RuleLevel(models.TextChoices):
    ORDINANCE = "ordinance", "条例"
    RULE = "rule", "規則"
    GUIDELINE = "guideline", "要綱・要領等"


class ReviewStatus(models.TextChoices):
    IDENTIFIED = "identified", "洗い出し"
    ASSESSED = "assessed", "該非判断済"
    DIRECTION = "direction", "見直し方針決定"
    AMENDED = "amended", "改正済"
    NOT_NEEDED = "not_needed", "見直し不要"


class Provision(models.Model):
    """One provision found by the keyword search of the 例規 system, and how far its review is."""

    organisation = models.ForeignKey(
        "council.Municipality",
        verbose_name="団体",
        on_delete=models.PROTECT,
        related_name="analog_provisions",
    )
    reference = NameField(
        "識別番号", max_length=60, help_text="例規システムでの番号など、団体の中で一意なもの"
    )
    rule_title = models.CharField("例規名", max_length=200)
    title = models.CharField("規定", max_length=300, help_text="条項と見出し（例: 第12条（立入検査））")
    rule_level = models.CharField("例規の種類", max_length=10, choices=RuleLevel.choices)
    regulation_type = models.ForeignKey(
        RegulationType, verbose_name="類型", on_delete=models.PROTECT, related_name="provisions"
    )
    in_scope = models.BooleanField("該非判断", null=True, blank=True, help_text="該当／非該当。空欄は未判断")
    direction = models.TextField("見直しの方向性", blank=True)
    status = models.CharField(
        "状況", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.IDENTIFIED
    )
    target_date = models.DateField("目標時期", null=True, blank=True, validators=[validate_date_in_range])
    note = models.TextField("備考", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "アナログ規制の規定"
        verbose_name_plural = "アナログ規制の規定"
        ordering = ["organisation__display_order", "regulation_type__order", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="analog_provision_unique",
                violation_error_message="この団体の同じ識別番号の規定は既にあります。",
            )
        ]
        indexes = [models.Index(fields=["organisation", "regulation_type", "status"])]

    def __str__(self):
        return f"{self.rule_title} {self.title}"

    def clean(self):
        super().clean()
        errors = {}
        if self.status != ReviewStatus.IDENTIFIED and self.in_scope is None:
            errors["in_scope"] = (
                f"状況が「{self.get_status_display()}」のときは該非判断（該当／非該当）を入力してください。"
            )
        if self.status in (ReviewStatus.DIRECTION, ReviewStatus.AMENDED):
            if self.in_scope is False:
                errors["status"] = (
                    f"非該当の規定は「{self.get_status_display()}」にできません（見直し不要にしてください）。"
                )
            elif not (self.direction or "").strip():
                errors["direction"] = (
                    f"状況が「{self.get_status_display()}」のときは見直しの方向性を入力してください。"
                )
        if errors:
            raise ValidationError(errors)


class AnalogReviewConfirmation(ReportSection):
    """The analog-regulation section: the counts by type × status that followed from the inventory
    when the liaison confirmed them, and what blocks progress."""

    blockers = models.TextField("進める上での課題", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "アナログ規制の点検状況"
        verbose_name_plural = "アナログ規制の点検状況"

    def __str__(self):
        return f"{self.report} アナログ規制の点検状況"


class AnalogCount(models.Model):
    section = models.ForeignKey(
        AnalogReviewConfirmation, verbose_name="点検状況", on_delete=models.CASCADE, related_name="counts"
    )
    regulation_type = models.ForeignKey(
        RegulationType, verbose_name="類型", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状況", max_length=12, choices=ReviewStatus.choices)
    count = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = "類型・状況ごとの件数"
        verbose_name_plural = "類型・状況ごとの件数"
        constraints = [
            models.UniqueConstraint(
                fields=["section", "regulation_type", "status"], name="analog_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.regulation_type} {self.get_status_display()} {self.count}"
