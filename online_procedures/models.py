"""資料2 行政手続のオンライン化: the 27 procedures 「特に国民の利便性向上に資する手続」 and, per
municipality and period, how many of them are available on マイナポータル."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from council.models import ByNameManager, ReportSection
from council.text import NameField


class Procedure(models.Model):
    """One procedure of the catalogue (子育て 15, 介護 11, 被災者支援 1). Names are master data:
    several could not be verified against the national list and stay editable."""

    class Category(models.TextChoices):
        CHILDCARE = "childcare", "子育て"
        CARE = "care", "介護"
        DISASTER = "disaster", "被災者支援"

    name = NameField("手続名", max_length=120, unique=True)
    category = models.CharField("分野", max_length=10, choices=Category.choices)
    order = models.PositiveSmallIntegerField("並び順", unique=True)
    verified = models.BooleanField("名称確認済み", default=True, help_text="公的資料で名称を確認できたもの")

    history = HistoricalRecords()
    objects = ByNameManager()

    class Meta:
        verbose_name = "オンライン化対象手続"
        verbose_name_plural = "オンライン化対象手続"
        ordering = ["order"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class OnlineProcedureStatus(ReportSection):
    """How many of the procedures the municipality offers on マイナポータル; optionally which ones
    (then the number follows from the checklist)."""

    available_count = models.PositiveSmallIntegerField("マイナポータル利用手続数", default=0)
    procedures = models.ManyToManyField(
        Procedure, verbose_name="利用できる手続", blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=["procedures"])

    class Meta:
        verbose_name = "オンライン化の状況"
        verbose_name_plural = "オンライン化の状況"
        constraints = [
            models.CheckConstraint(
                name="online_count_at_most_100",
                condition=models.Q(available_count__lte=100),
                violation_error_message="手続数が大きすぎます。",
            )
        ]

    def __str__(self):
        return f"{self.report} オンライン化の状況"

    def clean(self):
        super().clean()
        message = available_count_error(self.available_count, Procedure.objects.count())
        if message:
            raise ValidationError({"available_count": message})


def available_count_error(count: int, total: int) -> str | None:
    """The rule of the number of procedures, in one place (the model, the form's and the import's
    ranges, the section writer)."""
    if not 0 <= count <= total:
        return f"手続数は 0〜{total} の範囲で入力してください（{count}）。"
    return None


def checklist_count(available_count: int | None, procedure_ids: list[int]) -> tuple[int, list[int]]:
    """With a checklist the count must agree with it (or be left out, and then it follows from it)."""
    ids = sorted(set(procedure_ids))
    if ids and available_count is not None and available_count != len(ids):
        raise ValidationError(
            f"チェックした手続（{len(ids)}手続）と手続数（{available_count}）が一致しません。"
        )
    return (len(ids) if ids else (available_count or 0)), ids
