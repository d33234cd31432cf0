from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from analog_review.models import AnalogReviewConfirmation, Provision, RegulationType
from council.admin import ScopedAdminMixin


@admin.register(RegulationType)
class RegulationTypeAdmin(SimpleHistoryAdmin):
    list_display = ["order", "name", "representative"]
    list_display_links = ["name"]


@admin.register(Provision)
class ProvisionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path = "organisation"
    list_display = ["organisation", "reference", "rule_title", "title", "regulation_type", "in_scope", "status", "target_date"]
    list_filter = ["regulation_type", "status", "rule_level", "in_scope", "organisation__prefecture"]
    list_select_related = ["organisation", "regulation_type"]
    search_fields = ["reference", "rule_title", "title", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(AnalogReviewConfirmation)
class AnalogReviewConfirmationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path = "report__municipality"
    list_display = ["report", "version", "updated_at"]
    list_filter = ["report__period", "report__status"]
    list_select_related = ["report__municipality", "report__period"]
    readonly_fields = ["report", "version", "updated_by"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    def has_add_permission(self, request):
        return False
