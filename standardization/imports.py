"""Staff import of the long-format sheet (the export's 「データ」 sheet): all or nothing.

For each municipality × period in the file, the file's rows become that report's step progress.
"""

from __future__ import annotations

from django.utils import timezone

from council.framework.imports import cell_bool, cell_date, cell_int, cell_text
from council.framework.section_imports import SectionImporter
from standardization.exports import LONG_HEADERS, LONG_SHEET
from standardization.models import Operation, Step, step_row_errors

FIELDS = ("operations_done", "partial", "planned_date", "actual_date")
#: the sheet's column of each step-row field, for messages
COLUMNS = {
    "operations_done": "業務数",
    "partial": "一部",
    "planned_date": "完了予定日",
    "actual_date": "完了日（実績）",
}


class StepProgressImporter(SectionImporter):
    title = "標準化の進捗（長形式）の取り込み"
    headers = LONG_HEADERS
    sheet_name = LONG_SHEET
    section_key = "standardization"
    section_prefetch = ("steps__operations",)
    duplicate_what = "団体・報告期間・ステップ"
    duplicate_column = "ステップ"

    def __init__(self):
        self.steps = {s.name: s for s in Step.objects.all()}
        self.total = Operation.objects.count()
        self.today = timezone.localdate()

    def parse_values(self, row, err):
        v = row.values
        step = self.steps.get(cell_text(v.get("ステップ")))
        if step is None:
            err("ステップ", f"ステップ「{cell_text(v.get('ステップ'))}」は登録されていません。")
        count, message = cell_int(v.get("業務数"), minimum=0, maximum=self.total)
        if message:
            err("業務数", message)
        partial, message = cell_bool(v.get("一部"))
        if message:
            err("一部", message)
        dates = {}
        for column, name in (("完了予定日", "planned_date"), ("完了日（実績）", "actual_date")):
            value, message = cell_date(v.get(column))
            if message:
                err(column, message)
            dates[name] = value
        if partial is not None:
            rules = step_row_errors(
                operations_done=count or 0, partial=partial, total=self.total, today=self.today, **dates
            )
            for name, message in rules.items():
                if name != "operations_done":  # cell_int checked the range with the column's wording
                    err(COLUMNS[name], message)
        if step is None:
            return None
        return {"step_id": step.pk, "operations_done": count, "partial": partial, **dates}

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
