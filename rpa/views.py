"""資料3 page: participation, effects, and the plan."""

from django.http import Http404
from django.views.generic import TemplateView

from council.models import Municipality
from council.roles import Role
from council.views.base import RoleRequiredMixin
from rpa import selectors
from rpa.charts import hours_chart, municipality_hours_chart, participation_chart
from rpa.exports import resolve_fiscal_year, scenario_list
from rpa.models import Contract, YearPlan


class RpaDashboardView(RoleRequiredMixin, TemplateView):
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
        visible = Municipality.objects.for_dashboard(self.request.user).reporting()
        municipalities = list(visible.order_by("display_order", "code").values_list("pk", "name"))
        scenarios = selectors.scenarios()
        participating = {(s, m) for s, m, _ in selectors.participation(municipalities=visible)}
        effects = selectors.effects(municipalities=visible)
        labels = {s.pk: s.label for s in scenarios}
        charts = [participation_chart(scenarios, municipalities, participating)]
        if effects:
            charts += [hours_chart(effects, labels), municipality_hours_chart(effects)]
        context.update(
            items=scenario_list(year, visible),
            years=sorted({s.fiscal_year for s in scenarios}),
            charts=charts,
            has_effects=bool(effects),
            total_hours=round(sum(float(e["hours"]) for e in effects), 1),
            total_runs=sum(int(e["runs"]) for e in effects),
            plans=list(YearPlan.objects.filter(fiscal_year__gte=year.fiscal_year)),
            contracts=list(Contract.objects.all()),
        )
        return context
