"""資料5 pages: the ranking dashboard and the counts import."""

from django.http import Http404
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from council.roles import Role
from council.views.base import RoleRequiredMixin
from council.views.dashboards import CachedDashboardMixin, PrefectureScopeMixin
from council.views.imports import ImportView
from mynumber import selectors
from mynumber.charts import dashboard_data, national_summary
from mynumber.imports import CountsImporter
from mynumber.models import Snapshot


class MynumberDashboardView(CachedDashboardMixin, PrefectureScopeMixin, RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.STAFF, Role.LIAISON, Role.MEMBER)
    template_name = "mynumber/dashboard.html"
    national_title = "交付率"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            snapshot = selectors.resolve_snapshot(self.request.GET.get("as_of"))
        except LookupError:
            raise Http404("その時点のデータはありません。") from None
        context.update(
            snapshot=snapshot, snapshots=list(Snapshot.objects.all()), can_export=self.role == Role.STAFF
        )
        if snapshot is None:
            return context
        if self.scope.national:
            return context | self.national(national_summary(snapshot, self.scope.organisations))
        context.update(dashboard_data(snapshot, self.scope.organisations))
        return context


class MynumberImportView(ImportView):
    importer_class = CountsImporter
    success_url = reverse_lazy("mynumber:dashboard")
    instructions = (
        "国の統計（団体ごとの人口・申請件数・交付枚数）を時点ごとに取り込みます。率は件数から計算し、資料と同じく小数第1位に"
        "四捨五入します。全国の行は団体コードを空欄、団体名を「全国」にしてください。同じ時点・同じ団体の行は置き換えます。"
    )
