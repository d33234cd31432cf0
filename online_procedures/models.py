"""資料2 行政手続のオンライン化: the 27 procedures 「特に国民の利便性向上に資する手続」 and, per
municipality and period, how many of them are available on マイナポータル."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from council.models import ByNameManager, ReportSection


class Procedure(models.Model):
    """One procedure of the catalogue (子育て 15, 介護 11, 被災者支援 1). Names are master data:
    several could not be verified against the national list and stay editable."""

    class Category(models.TextChoices):
        CHILDCARE = "childcare", "子育て"
        CARE = "care", "介護"
        DISASTER = "disaster", "被災者支援"

    name = models.CharField("手続名", max_length=120, unique=True)
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
        total = (
            getattr(self, "procedure_total", None) or Procedure.objects.count()
        )  # bulk_write reads it once
        if self.available_count > total:
            raise ValidationError(
                {
                    "available_count": f"手続数は 0〜{total} の範囲で入力してください（{self.available_count}）。"
                }
            )

    @staticmethod
    def checklist(data: dict) -> tuple[int, list[int]]:
        """`data`: {"available_count": int | None, "procedure_ids": [...]}. With a checklist the
        count must agree with it (or be left out, and then it follows from it)."""
        ids = sorted(set(data.get("procedure_ids") or []))
        count = data.get("available_count")
        if ids and count is not None and count != len(ids):
            raise ValidationError(f"チェックした手続（{len(ids)}手続）と手続数（{count}）が一致しません。")
        return (len(ids) if ids else (count or 0)), ids

    def write_content(self, data: dict) -> None:
        self.available_count, ids = self.checklist(data)
        self.full_clean()
        self.save()
        if sorted(p.pk for p in self.procedures.all()) != ids:
            self.procedures.set(ids)

    @classmethod
    def bulk_write(cls, items, user) -> list[OnlineProcedureStatus]:
        """New sections for new reports (an import of the nation), validated first, then written
        with their history and checklists in a few queries whatever the number of reports."""
        total = Procedure.objects.count()

        def prepare(section, data):
            section.procedure_total = total
            section.available_count, ids = cls.checklist(data)
            return ids

        sections, ticks = cls.create_new(items, user, prepare)
        cls.add_ticks([(section.pk, ids) for section, ids in zip(sections, ticks, strict=True)])
        return sections

    copied_fields = ("available_count",)

    @classmethod
    def copy_children(cls, pairs, user) -> None:
        """The checklist of each source section, for its copy."""
        through = cls.procedures.through
        ticked: dict[int, list[int]] = {}
        for section_id, procedure_id in through.objects.filter(
            onlineprocedurestatus__in={s for s, _ in pairs}
        ).values_list("onlineprocedurestatus_id", "procedure_id"):
            ticked.setdefault(section_id, []).append(procedure_id)
        cls.add_ticks([(copy, ticked.get(source, [])) for source, copy in pairs])

    @classmethod
    def add_ticks(cls, checklists: list[tuple[int, list[int]]]) -> None:
        """Checklists of new sections ((section id, procedure ids)): through rows in bulk, and the
        same rows in each section's first history record (what `procedures.set()` would have
        recorded, without a query per section)."""
        through = cls.procedures.through
        rows = through.objects.bulk_create(
            through(onlineprocedurestatus_id=section, procedure_id=p)
            for section, ids in checklists
            for p in ids
        )
        if not rows:
            return
        history = {
            h.id: h
            for h in cls.history.filter(id__in=[section for section, _ in checklists]).order_by("history_id")
        }
        m2m_history = cls.history.model._meta.get_field(
            "historicalonlineprocedurestatus_procedures"
        ).related_model
        m2m_history.objects.bulk_create(
            m2m_history(
                history=history[row.onlineprocedurestatus_id],
                id=row.pk,
                onlineprocedurestatus_id=row.onlineprocedurestatus_id,
                procedure_id=row.procedure_id,
            )
            for row in rows
        )
