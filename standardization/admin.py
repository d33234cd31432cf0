from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from council.admin import ScopedAdminMixin
from standardization.models import (
    DeadlineOverride,
    Operation,
    Phase,
    StandardizationProgress,
    Step,
    StepProgress,
)
from standardization.resources import DeadlineOverrideResource, OperationResource, StepResource


@admin.register(Operation)
class OperationAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [OperationResource]
    list_display = ["order", "name", "default_deadline"]
    list_display_links = ["name"]
    search_fields = ["name"]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ["order", "name"]
    list_display_links = ["name"]


@admin.register(Step)
class StepAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [StepResource]
    list_display = ["order", "name", "full_name", "phase", "verified"]
    list_display_links = ["name"]
    list_filter = ["phase", "verified"]
    list_select_related = ["phase"]
    search_fields = ["name", "full_name"]


@admin.register(DeadlineOverride)
class DeadlineOverrideAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [DeadlineOverrideResource]
    list_display = ["municipality", "operation", "deadline", "is_difficult", "reason"]
    list_filter = ["is_difficult", "operation", "municipality__prefecture"]
    list_select_related = ["municipality", "operation"]
    search_fields = ["municipality__name", "operation__name", "reason"]
    autocomplete_fields = ["municipality"]


class StepProgressInline(admin.TabularInline):
    model = StepProgress
    extra = 0
    fields = ["step", "operations_done", "partial", "planned_date", "actual_date"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(StandardizationProgress)
class StandardizationProgressAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path = "report__municipality"
    list_display = ["report", "version", "updated_at", "updated_by"]
    list_filter = ["report__period", "report__status"]
    list_select_related = ["report__municipality", "report__period", "updated_by"]
    search_fields = ["report__municipality__name"]
    readonly_fields = ["report", "version", "updated_by"]
    inlines = [StepProgressInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
