"""資料3 page: participation, effects, and the plan."""

from django.http import Http404
from django.views.generic import TemplateView

from council.models import Municipality
from council.roles import Role
from council.views.base import RoleRequiredMixin
from council.views.dashboards import CachedDashboardMixin
from rpa.charts import dashboard_data
from rpa.exports import resolve_fiscal_year


class RpaDashboardView(CachedDashboardMixin, RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.STAFF, Role.LIAISON, Role.MEMBER)
    template_name = "rpa/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            year = resolve_fiscal_year(self.request.GET.get("year"))
        except LookupError:
            raise Http404("その年度のシナリオはありません。") from None
        context.update(year=year, can_export=self.role == Role.STAFF)
        if year is None:
            return context
        context.update(dashboard_data(year, Municipality.objects.for_dashboard(self.request.user).reporting()))
        return context
