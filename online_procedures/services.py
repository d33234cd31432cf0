"""資料2 writes: the online-procedures section of a quarterly report and its checklist."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from council.framework.sections import SectionWriter
from online_procedures.models import OnlineProcedureStatus, Procedure, available_count_error, checklist_count


class OnlineProceduresWriter(SectionWriter[OnlineProcedureStatus]):
    """`data`: {"available_count": int | None, "procedure_ids": [...]}; a checklist decides the count."""

    model = OnlineProcedureStatus
    copied_fields = ("available_count",)

    def context(self) -> int:
        return Procedure.objects.count()

    def validate(self, section: OnlineProcedureStatus, data: dict[str, Any], context: int) -> list[int]:
        section.available_count, ids = checklist_count(
            data.get("available_count"), data.get("procedure_ids") or []
        )
        message = available_count_error(section.available_count, context)
        if message:
            raise ValidationError({"available_count": message})
        return ids

    def write_children(
        self, section: OnlineProcedureStatus, children: list[int], *, user: User | None
    ) -> None:
        if sorted(p.pk for p in section.procedures.all()) != children:
            section.procedures.set(children)

    def insert_children(
        self, pairs: list[tuple[OnlineProcedureStatus, list[int]]], *, user: User | None
    ) -> None:
        add_ticks([(section.pk, ids) for section, ids in pairs])

    def copy_children(self, pairs: list[tuple[int, int]], *, user: User | None) -> None:
        """The checklist of each source section, for its copy."""
        through = OnlineProcedureStatus.procedures.through
        ticked: dict[int, list[int]] = {}
        for section_id, procedure_id in through.objects.filter(
            onlineprocedurestatus__in={s for s, _ in pairs}
        ).values_list("onlineprocedurestatus_id", "procedure_id"):
            ticked.setdefault(section_id, []).append(procedure_id)
        add_ticks([(copy, ticked.get(source, [])) for source, copy in pairs])


def add_ticks(checklists: list[tuple[int, list[int]]]) -> None:
    """Checklists of new sections ((section id, procedure ids)): through rows in bulk, and the same
    rows in each section's first history record (what `procedures.set()` would have recorded,
    without a query per section)."""
    model = OnlineProcedureStatus
    through = model.procedures.through
    rows = through.objects.bulk_create(
        through(onlineprocedurestatus_id=section, procedure_id=p) for section, ids in checklists for p in ids
    )
    if not rows:
        return
    history = {
        h.id: h
        for h in model.history.filter(id__in=[section for section, _ in checklists]).order_by("history_id")
    }
    m2m_history = model.history.model._meta.get_field(
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
