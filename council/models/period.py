import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from council.dates import validate_date_in_range
from council.wareki import is_month_end, short_fiscal_year, wareki_date, wareki_fiscal_year, wareki_month_end

QUARTER_NAMES = {1: "第1四半期", 2: "第2四半期", 3: "第3四半期", 4: "第4四半期"}
FISCAL_YEARS = range(2000, 2101)
SLUG_RE = re.compile(r"^(?P<fy>\d{4})-Q(?P<q>[1-4])$")


def quarter_bounds(fiscal_year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a fiscal quarter (第1四半期 = April–June)."""
    first_month = 4 + 3 * (quarter - 1)
    year = fiscal_year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    start = date(year, month, 1)
    end_month = month + 3
    end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


class ReportingPeriodQuerySet(models.QuerySet):
    def accepting(self):
        return self.filter(accepting_reports=True)

    def get_by_slug(self, slug: str):
        match = SLUG_RE.match(slug or "")
        if not match:
            raise self.model.DoesNotExist(f"期間の指定 {slug!r} は YYYY-Qn の形式ではありません。")
        return self.get(fiscal_year=int(match["fy"]), quarter=int(match["q"]))


class ReportingPeriodManager(models.Manager.from_queryset(ReportingPeriodQuerySet)):
    def get_by_natural_key(self, fiscal_year, quarter):
        return self.get(fiscal_year=fiscal_year, quarter=quarter)


class ReportingPeriod(models.Model):
    """A fiscal quarter that reports describe (令和5年度 第1四半期), with its as-of date and deadline."""

    fiscal_year = models.PositiveSmallIntegerField(
        "年度",
        validators=[MinValueValidator(FISCAL_YEARS.start), MaxValueValidator(FISCAL_YEARS.stop - 1)],
        help_text="西暦（2023 = 令和5年度）",
    )
    quarter = models.PositiveSmallIntegerField(
        "四半期", choices=[(q, name) for q, name in QUARTER_NAMES.items()]
    )
    as_of = models.DateField(
        "時点", help_text="報告内容の基準日（通常は四半期の末日）", validators=[validate_date_in_range]
    )
    submission_deadline = models.DateField(
        "提出期限", null=True, blank=True, validators=[validate_date_in_range]
    )
    accepting_reports = models.BooleanField("報告受付中", default=False)

    history = HistoricalRecords()
    objects = ReportingPeriodManager()

    class Meta:
        verbose_name = "報告期間"
        verbose_name_plural = "報告期間"
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter"],
                name="period_unique_quarter",
                violation_error_message="この年度・四半期の報告期間は既にあります。",
            ),
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.fiscal_year, self.quarter)

    @property
    def slug(self) -> str:
        return f"{self.fiscal_year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        """令和5年度 第1四半期"""
        return f"{wareki_fiscal_year(self.fiscal_year)} {QUARTER_NAMES[self.quarter]}"

    @property
    def short_label(self) -> str:
        """R5 Q1"""
        return f"{short_fiscal_year(self.fiscal_year)} Q{self.quarter}"

    @property
    def as_of_label(self) -> str:
        """令和5年3月末 when the as-of date is a month's last day, else the full date."""
        if is_month_end(self.as_of):
            return wareki_month_end(self.as_of)
        return wareki_date(self.as_of, weekday=False)

    @property
    def bounds(self) -> tuple[date, date]:
        return quarter_bounds(self.fiscal_year, self.quarter)

    def clean(self):
        super().clean()
        if self.fiscal_year in FISCAL_YEARS and self.quarter in QUARTER_NAMES and self.as_of:
            start, end = self.bounds  # (another year or quarter has its own field's message)
            if not (start <= self.as_of <= end + timedelta(days=31)):
                raise ValidationError(
                    {
                        "as_of": f"時点は {wareki_date(start, False)}〜{wareki_date(end, False)} の範囲で指定してください。"
                    }
                )
        if self.submission_deadline and self.as_of and self.submission_deadline < self.as_of:
            raise ValidationError({"submission_deadline": "提出期限は時点より後の日付にしてください。"})
