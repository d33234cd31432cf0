"""Staff import of the long-format sheet (the export's 「データ」 sheet): all or nothing.

For each municipality × period in the file, the file's rows become that report's step progress.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from council.framework.imports import BooleanCell, DateCell, IntegerCell, RowForm, TextCell
from council.framework.section_imports import SectionImporter
from council.text import quoted
from standardization.exports import LONG_HEADERS, LONG_SHEET
from standardization.models import Operation, Step, step_row_errors

FIELDS = ("operations_done", "partial", "planned_date", "actual_date")


class StepRowForm(RowForm):
    """One step of one report; the rules between the cells are `step_row_errors`, as in the form."""

    step_id = TextCell("ステップ", required=False)
    operations_done = IntegerCell("業務数")
    partial = BooleanCell("一部")
    planned_date = DateCell("完了予定日", required=False)
    actual_date = DateCell("完了日（実績）", required=False)

    def __init__(self, cells, *, steps: dict[str, Step], total: int, today):
        super().__init__(cells)
        self.steps, self.total, self.today = steps, total, today

    def clean_step_id(self) -> int:
        name = self.cleaned_data["step_id"]
        if name not in self.steps:
            raise ValidationError(f"ステップ「{quoted(name)}」は登録されていません。")
        return self.steps[name].pk

    def clean(self):
        cleaned = super().clean()
        rules = step_row_errors(
            operations_done=cleaned.get("operations_done") or 0,
            partial=cleaned.get("partial") or False,
            planned_date=cleaned.get("planned_date"),
            actual_date=cleaned.get("actual_date"),
            total=self.total,
            today=self.today,
        )
        for name, message in rules.items():
            if name not in self.errors:  # a cell that could not be read says so first
                self.add_error(name, message)
        return cleaned


class StepProgressImporter(SectionImporter):
    title = "標準化の進捗（長形式）の取り込み"
    headers = LONG_HEADERS
    sheet_name = LONG_SHEET
    section_key = "standardization"
    section_prefetch = ("steps__operations",)
    duplicate_what = "団体・報告期間・ステップ"
    duplicate_column = "ステップ"
    row_form = StepRowForm

    def get_row_form_kwargs(self):
        return {
            "steps": {s.name: s for s in Step.objects.all()},
            "total": Operation.objects.count(),
            "today": timezone.localdate(),
        }

    def item_key(self, item):
        return item["step_id"]

    def build_data(self, items, instance):
        """The file's steps; per-operation ticks already stored are kept where the count agrees."""
        stored = {row.step_id: row for row in instance.steps.all()} if instance else {}
        steps = []
        for item in items:
            row = stored.get(item["step_id"])
            ticks = [op.pk for op in row.operations.all()] if row else []
            steps.append({**item, "operation_ids": ticks if len(ticks) == item["operations_done"] else []})
        return {"steps": steps}

    def is_unchanged(self, instance, data):
        stored = {
            row.step_id: row
            for row in instance.steps.all()
            if row.operations_done or row.planned_date or row.actual_date
        }
        wanted = {item["step_id"]: item for item in data["steps"]}
        return set(stored) == set(wanted) and all(
            getattr(stored[step_id], f) == wanted[step_id][f] for step_id in stored for f in FIELDS
        )
