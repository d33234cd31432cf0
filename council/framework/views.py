"""Pages every agenda app shares besides its dashboard (council.framework.dashboards): the period
selection of per-municipality pages such as the 団体カルテ, and the Excel download."""

from django.http import Http404
from django.views import View

from council.framework.dashboards import ALL_ROLES, PeriodSelection
from council.framework.exports import ExportUnavailable, export_filename, export_title, prepare_export
from council.framework.xlsx import xlsx_response
from council.models import Municipality
from council.roles import Role
from council.views.base import RoleRequiredMixin


class PeriodMixin(RoleRequiredMixin):
    """A page of one municipality and period, such as the 団体カルテ: `?period=2023-Q1` (default the
    latest approved), chosen like a dashboard's (`selection`)."""

    allowed_roles = ALL_ROLES
    selection: PeriodSelection
    app_key = ""

    def get_context_data(self, **kwargs):
        _, selection_context = self.selection.resolve(self.request.GET)
        return super().get_context_data(
            can_export=self.role == Role.STAFF and bool(self.app_key),
            export_key=self.app_key,
            **selection_context,
            **kwargs,
        )


class ExportView(RoleRequiredMixin, View):
    """`/<app>/export.xlsx?period=2023-Q1`: the same book as `manage.py export_xlsx <app>`."""

    allowed_roles = (Role.STAFF,)
    app_key = ""

    def get(self, request):
        try:
            spec, period = prepare_export(self.app_key, request.GET.get("period"))
        except ExportUnavailable as error:
            raise Http404(error.message) from None
        scope = Municipality.objects.for_user(request.user)
        return xlsx_response(
            spec.build(period, scope), export_filename(spec, period), title=export_title(spec, period)
        )
