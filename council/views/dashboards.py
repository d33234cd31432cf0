"""Dashboards (approved data only) and the Excel download every app's dashboard offers."""

from django.http import Http404
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from council import cache as dashboard_cache
from council.dashboards import dx_headcount_chart, dx_national, dx_status_chart, dx_summary
from council.exports import ExportUnavailable, dx_table_row, export_filename, prepare_export
from council.models import DXStructure, Municipality, ReportingPeriod
from council.national import NationalSummary, dashboard_scope, national_context
from council.roles import Role
from council.selectors import dx_structures, resolve_period
from council.views.base import RoleRequiredMixin
from council.xlsx import xlsx_response

ALL_ROLES = (Role.STAFF, Role.LIAISON, Role.MEMBER)


class CachedDashboardMixin:
    """Serve the dashboard part of the page from the cache while the data version is unchanged;
    build and store it otherwise (templates extend council/dashboard_base.html)."""

    def get(self, request, *args, **kwargs):
        key = None
        if dashboard_cache.enabled():
            key = f"dash:{dashboard_cache.data_version()}:{request.get_full_path()}:{dashboard_cache.scope_key(request.user)}"
            html = dashboard_cache.get(key)
            if html is not None:
                return self.render_to_response({"cached_dashboard": html, "view": self})
        response = super().get(request, *args, **kwargs)
        if key:
            response.render()
            body = response.content.decode()
            start, end = body.find(dashboard_cache.START), body.find(dashboard_cache.END)
            if start >= 0 and end > start:
                dashboard_cache.put(key, body[start + len(dashboard_cache.START) : end])
        return response


class PrefectureScopeMixin:
    """`self.scope`: whose data the dashboard shows, and whether it is the national view summarised
    by prefecture (council/national.py); `?pref=35` narrows a national viewer to one prefecture."""

    national_title = ""

    @cached_property
    def scope(self):
        return dashboard_scope(self.request.user, self.request.GET)

    def national(self, summary: NationalSummary) -> dict:
        return national_context(
            self.scope, summary, key=self.request.resolver_match.app_name, title=self.national_title
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(scope=self.scope, **kwargs)


class PeriodMixin(RoleRequiredMixin):
    """Period selection shared by the dashboards and the 団体カルテ: `?period=2023-Q1`, default the
    latest approved."""

    allowed_roles = ALL_ROLES
    section_model = None
    export_key = ""

    def get_period(self):
        try:
            return resolve_period(self.section_model, self.request.GET.get("period"))
        except ReportingPeriod.DoesNotExist:
            raise Http404("報告期間がありません。") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, periods = self.get_period()
        context.update(
            period=period,
            periods=periods,
            can_export=self.role == Role.STAFF and bool(self.export_key),
            export_key=self.export_key,
        )
        return context


class DashboardMixin(PrefectureScopeMixin, PeriodMixin):
    """A dashboard of one period, for the viewer's prefecture or by prefecture for the nation."""


class DXDashboardView(CachedDashboardMixin, DashboardMixin, TemplateView):
    template_name = "council/dashboard.html"
    section_model = DXStructure
    export_key = "council"
    national_title = "全体方針 策定済の割合"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = context["period"]
        if period is None:
            return context
        if self.scope.national:
            return context | self.national(dx_national(period, self.scope.organisations))
        visible = self.scope.organisations.reporting()
        structures = list(dx_structures(period=period, municipalities=visible))
        summary = dx_summary(structures)
        context.update(
            structures=structures,
            table_rows=[dx_table_row(s) for s in structures],
            summary=summary,
            expected=visible.count(),
            charts=[dx_status_chart(summary), dx_headcount_chart(structures)],
        )
        return context


class ExportView(RoleRequiredMixin, View):
    """`/<app>/export.xlsx?period=2023-Q1`: the same book as `manage.py export_xlsx <app>`."""

    allowed_roles = (Role.STAFF,)
    app_label = ""

    def get(self, request):
        try:
            spec, period = prepare_export(self.app_label, request.GET.get("period"))
        except ExportUnavailable as error:
            raise Http404(error.message) from None
        scope = Municipality.objects.for_user(request.user)
        return xlsx_response(spec.build(period, scope), export_filename(spec, period))
