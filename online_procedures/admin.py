from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from council.admin import ScopedAdminMixin
from online_procedures.models import OnlineProcedureStatus, Procedure
from online_procedures.resources import ProcedureResource


@admin.register(Procedure)
class ProcedureAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ProcedureResource]
    list_display = ["order", "name", "category", "verified"]
    list_display_links = ["name"]
    list_filter = ["category", "verified"]
    search_fields = ["name"]


@admin.register(OnlineProcedureStatus)
class OnlineProcedureStatusAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path = "report__municipality"
    list_display = ["report", "available_count", "version", "updated_at"]
    list_filter = ["report__period", "report__status"]
    list_select_related = ["report__municipality", "report__period"]
    search_fields = ["report__municipality__name"]
    readonly_fields = ["report", "version", "updated_by"]
    filter_horizontal = ["procedures"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
