"""資料3 page: participation, effects, and the plan."""

from django.http import Http404
from django.views.generic import TemplateView

from council.roles import Role
from council.views.base import RoleRequiredMixin
from council.views.dashboards import CachedDashboardMixin, PrefectureScopeMixin
from rpa.charts import dashboard_data, national_summary
from rpa.exports import fiscal_years, resolve_fiscal_year


class RpaDashboardView(CachedDashboardMixin, PrefectureScopeMixin, RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.STAFF, Role.LIAISON, Role.MEMBER)
    template_name = "rpa/dashboard.html"
    national_title = "削減時間の合計"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            year = resolve_fiscal_year(self.request.GET.get("year"))
        except LookupError:
            raise Http404("その年度のシナリオはありません。") from None
        context.update(year=year, can_export=self.role == Role.STAFF)
        if year is None:
            return context
        if self.scope.national:
            return (
                context
                | self.national(national_summary(year, self.scope.organisations))
                | {"years": fiscal_years()}
            )
        context.update(dashboard_data(year, self.scope.organisations.reporting()))
        return context
