from django.contrib import admin

from council.framework.admin import (
    ImportExportAdmin,
    PortalHistoryAdmin,
    ScopedAdminMixin,
    SectionAdmin,
    SectionRowsInline,
)
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
class OperationAdmin(ImportExportAdmin, PortalHistoryAdmin):
    resource_classes = [OperationResource]
    list_display = ["order", "name", "default_deadline"]
    list_display_links = ["name"]
    search_fields = ["name"]


@admin.register(Phase)
class PhaseAdmin(PortalHistoryAdmin):
    list_display = ["order", "name"]
    list_display_links = ["name"]


@admin.register(Step)
class StepAdmin(ImportExportAdmin, PortalHistoryAdmin):
    resource_classes = [StepResource]
    list_display = ["order", "name", "full_name", "phase", "verified"]
    list_display_links = ["name"]
    list_filter = ["phase", "verified"]
    list_select_related = ["phase"]
    search_fields = ["name", "full_name"]


@admin.register(DeadlineOverride)
class DeadlineOverrideAdmin(ScopedAdminMixin, ImportExportAdmin, PortalHistoryAdmin):
    resource_classes = [DeadlineOverrideResource]
    list_display = ["municipality", "operation", "deadline", "is_difficult", "reason"]
    list_filter = ["is_difficult", "operation", "municipality__prefecture"]
    list_select_related = ["municipality", "operation"]
    search_fields = ["municipality__name", "operation__name", "reason"]
    autocomplete_fields = ["municipality"]


class StepProgressInline(SectionRowsInline):
    model = StepProgress
    fields = ["step", "operations_done", "partial", "planned_date", "actual_date"]


@admin.register(StandardizationProgress)
class StandardizationProgressAdmin(SectionAdmin):
    inlines = [StepProgressInline]
