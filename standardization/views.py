"""資料1 pages: the dashboard, the 団体カルテ, the Excel download and the long-format import."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from council.framework.dashboards import DashboardView, PeriodSelection
from council.framework.import_views import ImportView
from council.framework.views import PeriodMixin
from council.models import Municipality
from council.roles import Role
from standardization import analysis, official, selectors
from standardization.imports import StepProgressImporter
from standardization.models import StandardizationProgress


class StandardizationDashboardView(DashboardView):
    app_key = "standardization"
    selection = PeriodSelection(StandardizationProgress)
    national_title = "平均進捗率"


class KarteView(PeriodMixin, TemplateView):
    """団体カルテ: one municipality's steps, plan vs actual, deadline overrides and history."""

    template_name = "standardization/karte.html"
    selection = PeriodSelection(StandardizationProgress)
    app_key = "standardization"

    def load_objects(self, request, *args, **kwargs):
        self.municipality = get_object_or_404(
            Municipality.objects.for_dashboard(request.user).reporting(), slug=kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, periods = context["period"], context["periods"]
        if period is None:
            raise Http404("承認済みの報告がありません。")
        master = selectors.master()
        scope = Municipality.objects.filter(pk=self.municipality.pk)
        rows = selectors.step_rows(periods=periods, municipalities=scope)
        current = analysis.by_municipality(rows, period.pk).get(self.municipality.pk, {})
        deadline = selectors.deadlines(municipality_ids=[self.municipality.pk], master=master)[
            self.municipality.pk
        ]
        shown = master.summary_steps({r["step_id"] for r in rows})
        steps = []
        for step in shown:
            row = current.get(step.pk)
            planned, actual = (row["planned_date"], row["actual_date"]) if row else (None, None)
            delay = None
            if planned and actual and actual > planned:
                delay = f"{(actual - planned).days}日遅れ"
            elif planned and not actual and planned < period.as_of:
                delay = f"予定日を{(period.as_of - planned).days}日超過"
            steps.append(
                {
                    "step": step,
                    "text": analysis.cell_text(row, master.total),
                    "state": analysis.cell_state(row),
                    "planned": planned,
                    "actual": actual,
                    "delay": delay,
                    "after_deadline": bool(planned and planned > deadline),
                }
            )
        history_periods = [p for p in periods if any(r["progress__report__period_id"] == p.pk for r in rows)]
        by_period = {
            p.pk: analysis.by_municipality(rows, p.pk).get(self.municipality.pk, {}) for p in history_periods
        }
        history = [
            (step, [analysis.cell_text(by_period[p.pk].get(step.pk), master.total) for p in history_periods])
            for step in shown
        ]
        context.update(
            municipality=self.municipality,
            reported=bool(current),
            steps=steps,
            deadline=deadline,
            overrides=selectors.overrides_for(self.municipality),
            history_periods=history_periods,
            history=history,
            completion=analysis.completion(current, len(master.steps), master.total),
            lines=analysis.material_lines(current, master.steps, master.total),
            **official.karte_official(period, self.municipality, master),
        )
        return context


class StandardizationImportView(ImportView):
    importer_class = StepProgressImporter
    parent_app = "standardization"
    success_url = reverse_lazy("standardization:dashboard")
    allowed_roles = (Role.STAFF,)
    instructions = (
        "「Excelで出力」した「データ」シートと同じ形のファイルを取り込みます。ファイルに含まれる団体・報告期間ごとに、"
        "ステップの進捗をファイルの内容に置き換えます。承認済み・確認待ちの報告は、内容が同じ場合のみ取り込めます。"
    )
