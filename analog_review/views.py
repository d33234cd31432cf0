"""資料4 pages: the dashboard (approved counts), the inventory, its import and download."""

from django.core.paginator import Paginator
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import TemplateView

from analog_review.exports import inventory_sheet
from analog_review.imports import HEADERS, OPTIONAL, InventoryImporter
from analog_review.models import AnalogReviewConfirmation, Provision, ReviewStatus
from council.framework.dashboards import DashboardView, PeriodSelection
from council.framework.import_views import ImportView
from council.framework.xlsx import Sheet, xlsx_response
from council.models import Municipality
from council.roles import Role
from council.views.base import RoleRequiredMixin


class AnalogDashboardView(DashboardView):
    app_key = "analog_review"
    selection = PeriodSelection(AnalogReviewConfirmation)
    national_title = "見直し済みの割合"
    municipalities_only = False  # the prefecture reviews its own regulations too


class InventoryView(RoleRequiredMixin, TemplateView):
    """The inventory of the organisations the user may see (a liaison: their own)."""

    allowed_roles = (Role.STAFF, Role.LIAISON)
    template_name = "analog_review/inventory.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Municipality.objects.for_user(self.request.user)
        provisions = Provision.objects.filter(organisation__in=visible.values("pk")).select_related(
            "organisation", "regulation_type"
        )
        code = self.request.GET.get("organisation")
        if code:
            provisions = provisions.filter(organisation__code=code)
        status = self.request.GET.get("status")
        if status in ReviewStatus.values:
            provisions = provisions.filter(status=status)
        context.update(
            page=Paginator(provisions, 100).get_page(self.request.GET.get("page")),
            organisations=list(visible.order_by("display_order", "code").values_list("code", "name")),
            organisation=code,
            statuses=ReviewStatus.choices,
            status=status,
        )
        return context


class InventoryDownloadView(RoleRequiredMixin, View):
    """The user's inventory in the import's layout (edit it and import it back)."""

    allowed_roles = (Role.STAFF, Role.LIAISON)

    def get(self, request):
        return xlsx_response(
            [inventory_sheet(Municipality.objects.for_user(request.user))], "analog_inventory.xlsx"
        )


class InventoryTemplateView(RoleRequiredMixin, View):
    allowed_roles = (Role.STAFF, Role.LIAISON)

    def get(self, request):
        return xlsx_response(
            [Sheet(title="台帳", headers=[*HEADERS, *OPTIONAL], rows=[])], "analog_inventory_template.xlsx"
        )


class InventoryImportView(ImportView):
    allowed_roles = (Role.STAFF, Role.LIAISON)
    importer_class = InventoryImporter
    parent_app = "analog_review"

    def get_trail(self):
        return [*super().get_trail(), ("アナログ規制の台帳", str(self.success_url))]

    success_url = reverse_lazy("analog_review:inventory")
    instructions = (
        "例規システムのキーワード検索などで洗い出した規定の一覧を取り込みます。団体コードと識別番号が同じ規定は更新し、"
        "新しい識別番号は追加します（ファイルにない規定は消しません）。同じファイルをもう一度取り込んでも何も変わりません。"
    )
