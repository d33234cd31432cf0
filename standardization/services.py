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

from council import services
from council.framework import registry
from council.framework.history import create_with_history
from council.framework.sections import SectionWriter
from council.models import StatusReport
from standardization.models import (
    STEP_FIELDS,
    Operation,
    StandardizationProgress,
    Status,
    Step,
    StepOperation,
    StepProgress,
    StepStatus,
    status_row_errors,
    status_row_warnings,
    step_row_errors,
)
from standardization.rates import derive_summary

#: {step id: (unsaved row, ticked operation ids)}
StepRows = dict[int, tuple[StepProgress, list[int]]]
#: {(operation id, step id): unsaved status row}; None: the data carry no detail
StatusRows = dict[tuple[int, int], StepStatus] | None
STATUS_FIELDS = ("status", "planned_date", "actual_date", "note")
DETAIL_DECIDES = (
    "この報告は業務ごと・ステップごとの状況から集計されています。ステップの業務数は"
    "「業務×ステップの入力」で変更してください（補足はここで保存できます）。"
)


def operations_for(kind: str, operations: dict[int, tuple[str, bool]]) -> list[int]:
    """The operations an organisation of `kind` reports: a prefecture its own two, others all."""
    if kind == "prefecture":
        return [pk for pk, (_, prefecture_reports) in operations.items() if prefecture_reports]
    return list(operations)


@dataclass(frozen=True)
class StepContext:
    """What validating step rows needs, read once: the number of operations, the step names, today."""

    total: int
    step_names: dict[int, str]
    today: date = field(default_factory=timezone.localdate)
    #: {operation id: (name, reported by prefectures too)}
    operations: dict[int, tuple[str, bool]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> StepContext:
        operations = {
            pk: (name, pref)
            for pk, name, pref in Operation.objects.values_list("pk", "name", "prefecture_reports")
        }
        return cls(
            total=len(operations),
            step_names=dict(Step.objects.values_list("pk", "name")),
            operations=operations,
        )


def validated_statuses(
    items: list[dict[str, Any]], context: StepContext, kind: str
) -> tuple[dict[tuple[int, int], StepStatus], list[str]]:
    """The detail as unsaved `StepStatus` rows (未着手 rows without dates or note are not stored: a
    missing row is 未着手), and every message of the rows that break a rule. No queries."""
    allowed = set(operations_for(kind, context.operations))
    rows: dict[tuple[int, int], StepStatus] = {}
    errors: list[str] = []
    for item in items:
        op, step = item["operation_id"], item["step_id"]
        op_name = context.operations.get(op, (None,))[0]
        step_name = context.step_names.get(step)
        if op_name is None or step_name is None:
            errors.append(f"業務（{op}）またはステップ（{step}）は登録されていません。")
            continue
        if op not in allowed:
            errors.append(
                f"「{op_name}」はこの団体が報告する業務ではありません（都道府県は児童扶養手当・生活保護）。"
            )
            continue
        where = f"「{op_name}・{step_name}」: "
        if (op, step) in rows:
            errors.append(where + "同じ業務・ステップが2回あります。")
            continue
        row = StepStatus(
            operation_id=op,
            step_id=step,
            status=item.get("status") or Status.NOT_STARTED,
            planned_date=item.get("planned_date"),
            actual_date=item.get("actual_date"),
            note=(item.get("note") or "").strip(),
        )
        messages = status_row_errors(
            status=row.status, planned_date=row.planned_date, actual_date=row.actual_date, today=context.today
        )
        errors += [where + m for m in messages.values()]
        if row.status != Status.NOT_STARTED or row.planned_date or row.actual_date or row.note:
            rows[(op, step)] = row
    return rows, errors


def summary_items(statuses: dict[tuple[int, int], StepStatus], n_operations: int) -> list[dict]:
    """The section's step rows (the materials' summary) derived from its detail."""
    return list(
        derive_summary(
            (
                {
                    "step_id": r.step_id,
                    "status": r.status,
                    "planned_date": r.planned_date,
                    "actual_date": r.actual_date,
                }
                for r in statuses.values()
            ),
            n_operations,
        ).values()
    )


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
    ) -> tuple[StepRows, StatusRows]:
        """With `statuses` in the data (the detail: operation_id, step_id, status, planned_date,
        actual_date, note), the step rows are derived from it; without, a section that has detail
        keeps it and its step rows may not be changed by hand."""
        section.note = data.get("note", section.note or "")
        statuses: StatusRows = None
        if "statuses" in data:
            kind = section.report.municipality.kind
            statuses, errors = validated_statuses(data["statuses"], context, kind)
            if errors:
                raise ValidationError(errors)
            n_operations = len(operations_for(kind, context.operations))
            data = {**data, "steps": summary_items(statuses, n_operations)}
        elif section.pk and section.statuses.exists():
            stored = {(r.operation_id, r.step_id): r for r in section.statuses.all()}
            n_operations = len(operations_for(section.report.municipality.kind, context.operations))
            derived = {item["step_id"]: item for item in summary_items(stored, n_operations)}
            posted = {
                item["step_id"]: (item.get("operations_done") or 0, bool(item.get("partial")))
                for item in data.get("steps", [])
                if item.get("operations_done") or item.get("operation_ids")
            }
            if posted != {k: (v["operations_done"], v["partial"]) for k, v in derived.items()}:
                raise ValidationError([DETAIL_DECIDES])
            data = {**data, "steps": list(derived.values())}
        wanted, errors = validated_steps(data, context)
        if errors:
            raise ValidationError(errors)
        return wanted, statuses

    def write_children(
        self, section: StandardizationProgress, children: tuple[StepRows, StatusRows], *, user: User | None
    ) -> None:
        steps, statuses = children
        self._write_steps(section, steps, user=user)
        if statuses is not None:
            self._write_statuses(section, statuses, user=user)

    @staticmethod
    def _write_statuses(
        section: StandardizationProgress, wanted: dict[tuple[int, int], StepStatus], *, user: User | None
    ) -> None:
        """Only the cells that changed are written (each keeps its history); new ones in bulk."""
        existing = {(r.operation_id, r.step_id): r for r in section.statuses.all()}
        for key, row in existing.items():
            if key not in wanted:
                row._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
                row.delete()
        new = []
        for key, row in wanted.items():
            old = existing.get(key)
            if old is None:
                row.progress = section
                new.append(row)
            elif any(getattr(old, f) != getattr(row, f) for f in STATUS_FIELDS):
                for f in STATUS_FIELDS:
                    setattr(old, f, getattr(row, f))
                old._history_user = user  # type: ignore[attr-defined]
                old.save(update_fields=list(STATUS_FIELDS))
        create_with_history(new, StepStatus, user)

    def _write_steps(
        self, section: StandardizationProgress, children: StepRows, *, user: User | None
    ) -> None:
        """Rows are updated in place, so each keeps its own history."""
        existing = {row.step_id: row for row in section.steps.prefetch_related("operations")}
        if not existing:  # a new section (a new quarter, an import): all rows at once, history too
            self.insert_children([(section, (children, None))], user=user)
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
        self, pairs: list[tuple[StandardizationProgress, tuple[StepRows, StatusRows]]], *, user: User | None
    ) -> None:
        rows, statuses = [], []
        for section, (wanted, detail) in pairs:
            for row, ids in wanted.values():
                row.progress = section
                rows.append((row, ids))
            for status in (detail or {}).values():
                status.progress = section
                statuses.append(status)
        insert_steps(rows, user)
        create_with_history(statuses, StepStatus, user)

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
        statuses = dict(pairs)
        create_with_history(
            [
                StepStatus(
                    progress_id=statuses[row.progress_id],
                    operation_id=row.operation_id,
                    step_id=row.step_id,
                    **{f: getattr(row, f) for f in STATUS_FIELDS},
                )
                for row in StepStatus.objects.filter(progress__in=list(statuses)).order_by("pk")
            ],
            StepStatus,
            user,
        )


# --- the national detail of one report: the grid and its import --------------------------------


def detail_stored(report: StatusReport) -> dict[tuple[int, int], StepStatus]:
    """A report's stored cells (absent ones are 未着手)."""
    section = registry.sections.get("standardization").instance_for(report)
    if section is None:
        return {}
    return {(r.operation_id, r.step_id): r for r in section.statuses.all()}


def detail_items(rows: dict[tuple[int, int], StepStatus], statuses: dict[tuple[int, int], str]) -> list[dict]:
    """The writer's `statuses`: each cell's new status, its stored dates and note kept."""
    items = []
    for (op, step), status in statuses.items():
        row = rows.get((op, step))
        items.append(
            {
                "operation_id": op,
                "step_id": step,
                "status": status,
                "planned_date": row.planned_date if row else None,
                "actual_date": row.actual_date if row else None,
                "note": row.note if row else "",
            }
        )
    return items


def detail_save(report: StatusReport, user: User | None, items: list[dict]) -> int:
    """Write the detail through the workflow; returns how many 完了済み cells have no actual date."""
    section = registry.sections.get("standardization")
    current = section.instance_for(report)
    services.section_save(
        report=report,
        section=section,
        data={"note": current.note if current else "", "statuses": items},
        expected_version=current.version if current else 0,
        user=user,
    )
    return sum(
        1 for item in items if status_row_warnings(status=item["status"], actual_date=item["actual_date"])
    )
