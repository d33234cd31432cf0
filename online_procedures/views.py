"""資料2 pages: the comparison dashboard and the long-format import."""

from django.http import Http404
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from council.models import ReportingPeriod
from council.views.dashboards import CachedDashboardMixin, DashboardMixin
from council.views.imports import ImportView
from online_procedures import selectors
from online_procedures.charts import dashboard_data, national_summary
from online_procedures.imports import OnlineCountImporter
from online_procedures.models import OnlineProcedureStatus


class OnlineDashboardView(CachedDashboardMixin, DashboardMixin, TemplateView):
    template_name = "online_procedures/dashboard.html"
    section_model = OnlineProcedureStatus
    export_key = "online_procedures"
    national_title = "1団体あたりの手続数"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, periods = context["period"], context["periods"]
        if period is None:
            return context
        slug = self.request.GET.get("compare")
        if slug:
            try:
                before = ReportingPeriod.objects.get_by_slug(slug)
            except ReportingPeriod.DoesNotExist:
                raise Http404("比較する報告期間がありません。") from None
        else:
            before = selectors.compare_period(period, periods)
        if self.scope.national:
            return (
                context
                | self.national(national_summary(period, before, self.scope.organisations))
                | {"compare": before}
            )
        visible = self.scope.organisations.reporting()
        context.update(dashboard_data(period, before, visible), compare=before, expected=visible.count())
        return context


class OnlineImportView(ImportView):
    importer_class = OnlineCountImporter
    success_url = reverse_lazy("online_procedures:dashboard")
    instructions = (
        "「Excelで出力」した「データ」シートと同じ形のファイルを取り込みます。団体・報告期間ごとに利用手続数を置き換えます。"
        "承認済み・確認待ちの報告は、内容が同じ場合のみ取り込めます。"
    )
