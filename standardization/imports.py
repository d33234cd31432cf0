"""Staff import of the long-format sheet (the export's 「データ」 sheet): all or nothing.

For each municipality × period in the file, the file's rows become that report's step progress.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from council import services
from council.framework.imports import (
    BooleanCell,
    DateCell,
    DecimalCell,
    Importer,
    ImportRejected,
    IntegerCell,
    RowError,
    RowErrors,
    RowForm,
    TextCell,
)
from council.framework.section_imports import SectionImporter
from council.text import quoted
from standardization.exports import LONG_HEADERS, LONG_SHEET
from standardization.models import (
    NATIONAL_STEPS,
    Operation,
    ReferenceFigure,
    Status,
    Step,
    status_row_errors,
    status_row_warnings,
    step_row_errors,
)
from standardization.services import detail_save, detail_stored, operations_for

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


# --- the national detail of one report (the liaison brings what they keep for the national tool) ---

STATUS_HEADERS = ["団体コード", "業務", "ステップ番号", "ステータス", "予定日", "実績日"]
STATUS_BY_LABEL = {label: value for value, label in Status.choices}


class StatusRowForm(RowForm):
    """One operation × step; the rules between the cells are `status_row_errors`, as in the grid."""

    code = TextCell("団体コード")
    operation = TextCell("業務")
    step = IntegerCell("ステップ番号", minimum=1, maximum=NATIONAL_STEPS)
    status = TextCell("ステータス")
    planned_date = DateCell("予定日", required=False)
    actual_date = DateCell("実績日", required=False)
    note = TextCell("備考", required=False)

    def __init__(self, cells, *, operations: dict[str, int], steps: dict[int, int], today):
        super().__init__(cells)
        self.operations, self.steps, self.today = operations, steps, today

    def clean_operation(self) -> int:
        name = self.cleaned_data["operation"]
        if name not in self.operations:
            raise ValidationError(f"業務「{quoted(name)}」は標準化対象事務にありません。")
        return self.operations[name]

    def clean_step(self) -> int:
        number = self.cleaned_data["step"]
        if number not in self.steps:
            raise ValidationError(f"ステップ番号 {number} は登録されていません。")
        return self.steps[number]

    def clean_status(self) -> str:
        label = self.cleaned_data["status"]
        if label not in STATUS_BY_LABEL:
            raise ValidationError(
                f"ステータス「{quoted(label)}」は使えません（{'・'.join(STATUS_BY_LABEL)} のいずれか）。"
            )
        return STATUS_BY_LABEL[label]

    def clean_note(self) -> str:
        note = self.cleaned_data["note"]
        if len(note) > 200:
            raise ValidationError("備考は200文字以内で入力してください。")
        return note

    def clean(self):
        cleaned = super().clean()
        rules = status_row_errors(
            status=cleaned.get("status") or Status.NOT_STARTED,
            planned_date=cleaned.get("planned_date"),
            actual_date=cleaned.get("actual_date"),
            today=self.today,
        )
        for name, message in rules.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class StatusImporter(Importer):
    """The long format of the national detail into one report: rows replace their cells, other
    cells stay as they are; another organisation's rows are refused; all or nothing."""

    title = "業務×ステップの状況（長形式）の取り込み"
    headers = STATUS_HEADERS
    sheet_name = "業務×ステップ"  # the export's sheet when the file has it, else the first sheet
    row_form = StatusRowForm

    def __init__(self, *, report):
        self.report = report

    def get_row_form_kwargs(self):
        return {
            "operations": dict(Operation.objects.values_list("name", "pk")),
            "steps": dict(Step.objects.exclude(number=None).values_list("number", "pk")),
            "today": timezone.localdate(),
        }

    def parse(self, rows, user):
        organisation = self.report.municipality
        errors = RowErrors()
        if not self.report.is_editable:
            errors.append(
                RowError(None, "", f"この報告は「{self.report.get_status_display()}」のため取り込めません。")
            )
            return None, errors
        operations = {
            pk: (name, pref)
            for pk, name, pref in Operation.objects.values_list("pk", "name", "prefecture_reports")
        }
        allowed = set(operations_for(organisation.kind, operations))
        cleaner = self.row_cleaner()
        seen: dict[tuple[int, int], int] = {}
        cells: dict[tuple[int, int], dict] = {}
        for row in rows:
            item, row_errors = cleaner.clean(row)
            errors.extend(row_errors)
            if item is None:
                continue
            if item["code"] != organisation.code:
                errors.append(
                    RowError(
                        row.number,
                        "団体コード",
                        f"団体コード「{quoted(item['code'])}」の行は取り込めません（この報告は{organisation.name}・{organisation.code}のものです）。",
                    )
                )
                continue
            if item["operation"] not in allowed:
                errors.append(
                    RowError(
                        row.number,
                        "業務",
                        f"「{operations[item['operation']][0]}」は{organisation.name}が報告する業務ではありません（都道府県は児童扶養手当・生活保護）。",
                    )
                )
                continue
            key = (item["operation"], item["step"])
            if key in seen:
                errors.append(
                    RowError(
                        row.number, "ステップ番号", f"同じ業務・ステップの行が {seen[key]}行目にもあります。"
                    )
                )
                continue
            seen[key] = row.number
            cells[key] = item
        return cells, errors

    def _items(self, cells: dict[tuple[int, int], dict]) -> list[dict]:
        stored = detail_stored(self.report)
        items = {
            key: {
                "operation_id": key[0],
                "step_id": key[1],
                "status": row.status,
                "planned_date": row.planned_date,
                "actual_date": row.actual_date,
                "note": row.note,
            }
            for key, row in stored.items()
        }
        for key, item in cells.items():
            items[key] = {
                "operation_id": key[0],
                "step_id": key[1],
                "status": item["status"],
                "planned_date": item["planned_date"],
                "actual_date": item["actual_date"],
                "note": item["note"],
            }
        return list(items.values())

    def describe(self, plan) -> str:
        missing = sum(
            1
            for item in plan.values()
            if status_row_warnings(status=item["status"], actual_date=item["actual_date"])
        )
        warning = (
            f"注意: 完了済みで実績日のない行が{missing}行あります（取り込めますが、確認してください）。"
            if missing
            else ""
        )
        return f"{self.report.municipality.name}の{self.report.period.label}の報告に、{len(plan)}件の業務・ステップを取り込みます。{warning}"

    def apply(self, plan, user) -> str:
        try:
            detail_save(self.report, user, self._items(plan))
        except services.ReportError as error:
            raise ImportRejected([RowError(None, "", error.message)]) from None
        except ValidationError as error:
            raise ImportRejected([RowError(None, "", m) for m in error.messages]) from None
        return self.describe(plan)


# --- published figures to compare with (staff) ------------------------------------------------------

REFERENCE_HEADERS = ["団体コード", "都道府県コード", "業務", "完了率", "作業中率", "時点"]


class ReferenceRowForm(RowForm):
    """One published figure: the nation's (both codes empty), a prefecture's or an organisation's,
    for one operation or all (業務 empty or 「全業務」)."""

    code = TextCell("団体コード", required=False)
    prefecture = TextCell("都道府県コード", required=False)
    operation = TextCell("業務", required=False)
    completion_rate = DecimalCell("完了率", percent=True)
    in_progress_rate = DecimalCell("作業中率", percent=True)
    as_of = DateCell("時点")

    def __init__(self, cells, *, operations: dict[str, int], today):
        super().__init__(cells)
        self.operations, self.today = operations, today

    def clean_prefecture(self) -> str:
        code = self.cleaned_data["prefecture"]
        if code and not (code.isdigit() and len(code) == 2 and 1 <= int(code) <= 47):
            raise ValidationError(f"都道府県コードは 01〜47 の2桁で入力してください（{quoted(code)}）。")
        return code

    def clean_operation(self) -> int | None:
        name = self.cleaned_data["operation"]
        if name in ("", "全業務"):
            return None
        if name not in self.operations:
            raise ValidationError(f"業務「{quoted(name)}」は標準化対象事務にありません。")
        return self.operations[name]

    def clean_as_of(self):
        value = self.cleaned_data["as_of"]
        if value > self.today:
            raise ValidationError(f"時点に未来の日付は入力できません（{value:%Y-%m-%d}）。")
        return value

    def clean(self):
        cleaned = super().clean()
        for name in ("completion_rate", "in_progress_rate"):
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 100:
                self.add_error(name, f"0〜100 の範囲で入力してください（{value}）。")
        done, working = cleaned.get("completion_rate"), cleaned.get("in_progress_rate")
        if done is not None and working is not None and done + working > 100:
            self.add_error(None, f"完了率と作業中率の合計が100%を超えています（{done + working}）。")
        if cleaned.get("code") and cleaned.get("prefecture"):
            self.add_error("prefecture", "団体コードと都道府県コードはどちらか一方だけ入力してください。")
        return cleaned


class ReferenceImporter(Importer):
    """Published figures (全国・都道府県・団体): a figure for the same place, operation and 時点 is
    replaced; all or nothing."""

    title = "比較用の数値（全国・都道府県）の取り込み"
    headers = REFERENCE_HEADERS
    row_form = ReferenceRowForm

    def get_row_form_kwargs(self):
        return {
            "operations": dict(Operation.objects.values_list("name", "pk")),
            "today": timezone.localdate(),
        }

    def parse(self, rows, user):
        from council.models import Municipality

        errors = RowErrors()
        known = set(Municipality.objects.values_list("code", flat=True))
        cleaner = self.row_cleaner()
        plan: dict[tuple, ReferenceFigure] = {}
        seen: dict[tuple, int] = {}
        for row in rows:
            item, row_errors = cleaner.clean(row)
            errors.extend(row_errors)
            if item is None:
                continue
            if item["code"] and item["code"] not in known:
                errors.append(
                    RowError(
                        row.number,
                        "団体コード",
                        f"団体コード「{quoted(item['code'])}」は登録されていません。",
                    )
                )
                continue
            scope = item["code"] or item["prefecture"] or ReferenceFigure.NATION
            key = (scope, item["operation"], item["as_of"])
            if key in seen:
                errors.append(
                    RowError(row.number, "業務", f"同じ団体・業務・時点の行が {seen[key]}行目にもあります。")
                )
                continue
            seen[key] = row.number
            plan[key] = ReferenceFigure(
                scope_code=scope,
                operation_id=item["operation"],
                completion_rate=item["completion_rate"],
                in_progress_rate=item["in_progress_rate"],
                as_of=item["as_of"],
            )
        return plan, errors

    def describe(self, plan) -> str:
        return f"{len(plan)}件の数値を取り込みます（ファイルにある団体・時点の数値は、ファイルの内容に置き換えます）。"

    def apply(self, plan, user) -> str:
        from council.framework.cache import invalidate

        scopes_at: dict = {}
        for scope, _operation, as_of in plan:
            scopes_at.setdefault(as_of, set()).add(scope)
        for as_of, scopes in scopes_at.items():
            ordered = sorted(scopes)
            for start in range(0, len(ordered), 500):
                ReferenceFigure.objects.filter(
                    as_of=as_of, scope_code__in=ordered[start : start + 500]
                ).delete()
        ReferenceFigure.objects.bulk_create(plan.values(), batch_size=1000)
        invalidate()
        return self.describe(plan)
