"""The pages that bring in the national detail: the operations × steps grid of one report (a
status per cell, bulk actions, keyboard entry with static/standardization/grid.js), its long-format
import (団体コード, 業務, ステップ番号, ステータス, 予定日, 実績日, 備考), both writing through the
section writer with `section_save` like the report's form, and the staff import of published
reference figures. (views.py keeps the app's declared pages: its one ImportView is the declared
importer's.)"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView

from council import services
from council.framework import registry
from council.framework.import_views import ImportView
from council.roles import Role
from council.views.base import ReportMixin
from standardization import selectors
from standardization.imports import ReferenceImporter, StatusImporter
from standardization.models import Status
from standardization.services import detail_items, detail_save, detail_stored

SECTION = "standardization"
#: the keys that set a focused cell (grid.js; also listed on the page)
KEYS = {"1": Status.DONE, "2": Status.IN_PROGRESS, "3": Status.NOT_STARTED, "4": Status.NOT_APPLICABLE}
SHORT = {Status.DONE: "完", Status.IN_PROGRESS: "作", Status.NOT_STARTED: "未", Status.NOT_APPLICABLE: "外"}


class GridMixin(ReportMixin):
    """A report of the user's scope (another organisation's is a 404) whose organisation reports 資料1."""

    def load_objects(self, request, *args, **kwargs):
        super().load_objects(request, *args, **kwargs)
        if not registry.sections.get(SECTION).applies_to(self.report.municipality):
            raise Http404("この団体の報告にはこの項目はありません。")


class GridView(GridMixin, TemplateView):
    template_name = "standardization/grid.html"

    def setup_grid(self):
        self.master = selectors.master()
        self.operations = self.master.operations_of(self.report.municipality.kind)
        self.steps = self.master.national_steps
        self.stored = detail_stored(self.report)

    def get(self, request, *args, **kwargs):
        self.setup_grid()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, *, cells=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if cells is None:
            cells = {key: row.status for key, row in self.stored.items()}
        section = registry.sections.get(SECTION).instance_for(self.report)
        context.update(
            report=self.report,
            editable=self.report.is_editable,
            expected_version=section.version if section else 0,
            steps=self.steps,
            rows=[
                (op, [(step, cells.get((op.pk, step.pk), Status.NOT_STARTED)) for step in self.steps])
                for op in self.operations
            ],
            choices=Status.choices,
            keys=[(key, Status(status).label) for key, status in KEYS.items()],
            short=SHORT,
            acting_for=self.role == Role.STAFF,
        )
        return context

    def posted_cells(self, post) -> tuple[dict[tuple[int, int], str], list[str]]:
        cells, errors = {}, []
        for op in self.operations:
            for step in self.steps:
                key = (op.pk, step.pk)
                default = self.stored[key].status if key in self.stored else Status.NOT_STARTED
                value = post.get(f"c{op.pk}_{step.pk}", default)
                if value not in Status.values:
                    errors.append(f"「{op.name}・{step.number} {step.name}」のステータスが正しくありません。")
                    value = default
                cells[key] = value
        return cells, errors

    def bulk(self, post, cells) -> list[str]:
        """Apply a bulk action to the posted cells: a whole step for every operation, or one
        operation's steps 1..N."""
        action = post.get("action", "save")
        status = post.get("bulk_status", "")
        if action == "save":
            return []
        if status not in Status.values:
            return ["一括設定のステータスを選んでください。"]
        steps = {str(s.number): s for s in self.steps}
        if action == "bulk_step":
            step = steps.get(post.get("bulk_step", ""))
            if step is None:
                return ["一括設定するステップを選んでください。"]
            for op in self.operations:
                cells[(op.pk, step.pk)] = status
            return []
        if action == "bulk_operation":
            ops = {str(op.pk): op for op in self.operations}
            op = ops.get(post.get("bulk_operation", ""))
            last = steps.get(post.get("bulk_until", ""))
            if op is None or last is None:
                return ["一括設定する業務とステップを選んでください。"]
            for step in self.steps:
                if step.number <= last.number:
                    cells[(op.pk, step.pk)] = status
            return []
        return ["操作が正しくありません。"]

    def post(self, request, *args, **kwargs):
        self.setup_grid()
        if not self.report.is_editable:
            messages.error(request, services.locked_reason(self.report))
            return redirect(self.report)
        cells, errors = self.posted_cells(request.POST)
        errors += self.bulk(request.POST, cells)
        section = registry.sections.get(SECTION).instance_for(self.report)
        version = section.version if section else 0
        if str(version) != request.POST.get("expected_version", ""):
            errors.append(
                "このページを開いた後に、ほかの人がこの報告を保存しました。保存していません。"
                "ページを開き直して、もう一度入力してください。"
            )
        if errors:
            for message in errors:
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(cells=cells), status=400)
        try:
            missing = detail_save(self.report, request.user, detail_items(self.stored, cells))
        except services.ReportError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(cells=cells), status=409)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(cells=cells), status=400)
        messages.success(request, "業務×ステップの状況を保存しました。")
        if missing:
            messages.warning(
                request,
                f"完了済みで実績日のない業務・ステップが{missing}件あります（Excelの取り込みで入力できます）。",
            )
        return redirect(reverse("standardization:grid", args=[self.report.pk]))


class GridImportView(GridMixin, ImportView):
    """The long-format import into one report (the liaison's own, or staff for any)."""

    allowed_roles = (Role.STAFF, Role.LIAISON)
    instructions = (
        "1行目に 団体コード・業務・ステップ番号・ステータス・予定日・実績日（任意で 備考）の列がある Excel を取り込みます。"
        "ステータスは 完了済み・作業中・未着手・対象外 のいずれかです。ファイルにある業務・ステップだけを置き換え、"
        "ほかは変わりません。1行でも誤りがあれば何も取り込みません。"
    )

    def get_importer(self):
        return StatusImporter(report=self.report)

    def get_importer_key(self) -> str:
        return f"{super().get_importer_key()}:{self.report.pk}"

    def get_success_url(self):
        return reverse("standardization:grid", args=[self.report.pk])

    def get_trail(self):
        return [
            ("状況報告", reverse("reports:list")),
            (str(self.report), self.report.get_absolute_url()),
            ("業務×ステップの入力", self.get_success_url()),
        ]


class ReferenceImportView(ImportView):
    importer_class = ReferenceImporter
    parent_app = "standardization"
    success_url = reverse_lazy("standardization:dashboard")
    allowed_roles = (Role.STAFF,)
    instructions = (
        "国・都道府県が公表した完了率・作業中率を、比較用に取り込みます。1行目に 団体コード・都道府県コード・業務・完了率・作業中率・時点 の列が必要です。"
        "全国の数値は団体コードと都道府県コードを空欄に、都道府県の数値は都道府県コード（2桁）だけを入力します。"
        "業務が空欄または「全業務」の行は全業務の数値です。ファイルにある団体・時点の数値は、ファイルの内容に置き換えます。"
    )
