"""資料1 writes: the standardization section of a quarterly report and its step rows.

Every path that writes the section goes through `StandardizationWriter` (the form, the imports,
the carry-forward into a new quarter); each step row is checked by `step_row_errors`, the one place
its rules live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from council.framework.history import create_with_history
from council.framework.sections import SectionWriter
from standardization.models import (
    STEP_FIELDS,
    Operation,
    StandardizationProgress,
    Step,
    StepOperation,
    StepProgress,
    step_row_errors,
)

#: {step id: (unsaved row, ticked operation ids)}
StepRows = dict[int, tuple[StepProgress, list[int]]]


@dataclass(frozen=True)
class StepContext:
    """What validating step rows needs, read once: the number of operations, the step names, today."""

    total: int
    step_names: dict[int, str]
    today: date = field(default_factory=timezone.localdate)

    @classmethod
    def load(cls) -> StepContext:
        return cls(total=Operation.objects.count(), step_names=dict(Step.objects.values_list("pk", "name")))


def validated_steps(data: dict[str, Any], context: StepContext) -> tuple[StepRows, list[str]]:
    """The section data's non-empty step rows as unsaved `StepProgress`, and every message of the
    rows that break a rule. No queries."""
    wanted: StepRows = {}
    errors: list[str] = []
    for item in data.get("steps", []):
        name = context.step_names.get(item["step_id"])
        if name is None:
            errors.append(f"ステップ（{item['step_id']}）は登録されていません。")
            continue
        ids = sorted(set(item.get("operation_ids") or []))
        row = StepProgress(
            step_id=item["step_id"],
            # ticked operations decide the count
            operations_done=len(ids) if ids else (item.get("operations_done") or 0),
            partial=bool(item.get("partial")),
            planned_date=item.get("planned_date"),
            actual_date=item.get("actual_date"),
        )
        messages = step_row_errors(
            operations_done=row.operations_done,
            partial=row.partial,
            planned_date=row.planned_date,
            actual_date=row.actual_date,
            total=context.total,
            today=context.today,
        )
        errors += [f"「{name}」: {message}" for message in messages.values()]
        if not row.is_empty:
            wanted[row.step_id] = (row, ids)
    return wanted, errors


def insert_steps(rows: list[tuple[StepProgress, list[int]]], user: User | None) -> None:
    """Insert new step rows (each with its section set) and their ticked operations, with history."""
    created = create_with_history([row for row, _ in rows], StepProgress, user)
    StepOperation.objects.bulk_create(
        StepOperation(step_progress=new, operation_id=op)
        for new, (_, ids) in zip(created, rows, strict=True)
        for op in ids
    )


class StandardizationWriter(SectionWriter[StandardizationProgress]):
    """`data`: {"note": str, "steps": [{"step_id", "operations_done", "partial", "planned_date",
    "actual_date", "operation_ids"}]}."""

    model = StandardizationProgress
    copied_fields = ("note",)

    def context(self) -> StepContext:
        return StepContext.load()

    def validate(
        self, section: StandardizationProgress, data: dict[str, Any], context: StepContext
    ) -> StepRows:
        section.note = data.get("note", section.note or "")
        wanted, errors = validated_steps(data, context)
        if errors:
            raise ValidationError(errors)
        return wanted

    def write_children(
        self, section: StandardizationProgress, children: StepRows, *, user: User | None
    ) -> None:
        """Rows are updated in place, so each keeps its own history."""
        existing = {row.step_id: row for row in section.steps.prefetch_related("operations")}
        if not existing:  # a new section (a new quarter, an import): all rows at once, history too
            self.insert_children([(section, children)], user=user)
            return
        for step_id, row in existing.items():
            if step_id not in children:
                row._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
                row.delete()
        for step_id, (new, ids) in children.items():
            row = existing.get(step_id) or StepProgress(progress=section, step_id=step_id)
            if row.pk is None or any(getattr(row, f) != getattr(new, f) for f in STEP_FIELDS):
                for f in STEP_FIELDS:
                    setattr(row, f, getattr(new, f))
                row._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
                row.save()
            if sorted(op.pk for op in row.operations.all()) != ids:
                row.operations.set(ids)

    def insert_children(
        self, pairs: list[tuple[StandardizationProgress, StepRows]], *, user: User | None
    ) -> None:
        rows = []
        for section, wanted in pairs:
            for row, ids in wanted.values():
                row.progress = section
                rows.append((row, ids))
        insert_steps(rows, user)

    def copy_children(self, pairs: list[tuple[int, int]], *, user: User | None) -> None:
        """Every step row (history included) and its ticked operations, in bulk."""
        rows: dict[int, list[StepProgress]] = {}
        for row in (
            StepProgress.objects.filter(progress__in={s for s, _ in pairs})
            .prefetch_related("operations")
            .order_by("pk")
        ):
            rows.setdefault(row.progress_id, []).append(row)
        insert_steps(
            [
                (
                    StepProgress(
                        progress_id=copy, step_id=row.step_id, **{f: getattr(row, f) for f in STEP_FIELDS}
                    ),
                    [op.pk for op in row.operations.all()],
                )
                for source, copy in pairs
                for row in rows.get(source, [])
            ],
            user,
        )
