"""資料5 マイナンバーカードの申請・交付状況: snapshots of the national statistics per as-of date.

These are statistics the prefecture staff import (counts per municipality, as the national tables
arrive), not liaison reports; rates are derived from the counts, or entered directly when only the
rates are known (as in the meeting materials)."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from council.dates import validate_date_in_range, validate_not_in_future
from council.wareki import wareki_month_end

RATE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def derived_rate(part: int, whole: int) -> Decimal:
    """part / whole in percent, one decimal, rounded half up (as the materials print them)."""
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Snapshot(models.Model):
    #: the day the statistics were counted: a day that has come (a later one would become the
    #: dashboard's latest snapshot)
    as_of = models.DateField("時点", unique=True, validators=[validate_date_in_range, validate_not_in_future])
    source = models.CharField("出典", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "申請・交付状況の時点"
        verbose_name_plural = "申請・交付状況の時点"
        ordering = ["as_of"]

    def __str__(self):
        return self.label

    @property
    def slug(self) -> str:
        return self.as_of.isoformat()

    @property
    def label(self) -> str:
        """令和5年3月末現在"""
        return f"{wareki_month_end(self.as_of)}現在"


class SnapshotRow(models.Model):
    """One organisation's (or, with no organisation, the nation's) figures at a snapshot."""

    #: the figures of a row, as the statistics give them (the admin's fields, what an import compares)
    FIGURES = (
        "population",
        "applications",
        "issued",
        "application_rate",
        "issuance_rate",
        "application_rank",
        "issuance_rank",
        "rank_note",
    )

    snapshot = models.ForeignKey(Snapshot, verbose_name="時点", on_delete=models.CASCADE, related_name="rows")
    organisation = models.ForeignKey(
        "council.Municipality",
        verbose_name="団体",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mynumber_rows",
        help_text="空欄は全国",
    )
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    applications = models.PositiveIntegerField("申請件数", null=True, blank=True)
    issued = models.PositiveIntegerField("交付枚数", null=True, blank=True)
    application_rate = models.DecimalField(
        "申請率（%）", max_digits=4, decimal_places=1, validators=RATE_VALIDATORS
    )
    issuance_rate = models.DecimalField(
        "交付率（%）", max_digits=4, decimal_places=1, validators=RATE_VALIDATORS
    )
    application_rank = models.PositiveSmallIntegerField("申請率の全国順位", null=True, blank=True)
    issuance_rank = models.PositiveSmallIntegerField("交付率の全国順位", null=True, blank=True)
    rank_note = models.CharField(
        "注記", max_length=200, blank=True, help_text="例: 特別区・市の中で、申請率全国4位、交付率全国3位"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "申請・交付状況"
        verbose_name_plural = "申請・交付状況"
        ordering = ["snapshot", "organisation__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "organisation"], name="mynumber_row_unique"),
            models.UniqueConstraint(
                fields=["snapshot"],
                condition=models.Q(organisation__isnull=True),
                name="mynumber_one_national_row",
            ),
            models.CheckConstraint(
                name="mynumber_rates_in_range",
                condition=models.Q(
                    application_rate__gte=0,
                    application_rate__lte=100,
                    issuance_rate__gte=0,
                    issuance_rate__lte=100,
                ),
                violation_error_message="率は 0〜100 の範囲です。",
            ),
            models.CheckConstraint(
                name="mynumber_issued_le_applied",
                condition=models.Q(issued__isnull=True)
                | models.Q(applications__isnull=True)
                | models.Q(issued__lte=models.F("applications")),
                violation_error_message="交付枚数は申請件数以下です。",
            ),
            models.CheckConstraint(
                name="mynumber_applied_le_population",
                condition=models.Q(applications__isnull=True)
                | models.Q(population__isnull=True)
                | models.Q(applications__lte=models.F("population")),
                violation_error_message="申請件数は人口以下です。",
            ),
        ]

    def __str__(self):
        return f"{self.snapshot} {self.name}"

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation_id else "全国"

    @property
    def has_counts(self) -> bool:
        return None not in (self.population, self.applications, self.issued)

    def clean(self):
        super().clean()
        errors = {}
        if self.has_counts:
            if self.population == 0:
                errors["population"] = "人口が 0 のため率を計算できません。"
            elif self.applications > self.population:
                errors["applications"] = (
                    f"申請件数（{self.applications:,}）が人口（{self.population:,}）を超えています。"
                )
            elif self.issued > self.applications:
                errors["issued"] = (
                    f"交付枚数（{self.issued:,}）が申請件数（{self.applications:,}）を超えています。"
                )
        elif any(v is not None for v in (self.population, self.applications, self.issued)):
            errors["population"] = "人口・申請件数・交付枚数は3つそろえて入力してください。"
        if errors:
            raise ValidationError(errors)

    def derive_rates(self) -> None:
        """Rates from counts, rounded as the materials show them."""
        if self.has_counts and self.population:
            self.application_rate = derived_rate(self.applications, self.population)
            self.issuance_rate = derived_rate(self.issued, self.population)
