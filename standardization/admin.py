from django.contrib import admin

from council.framework.admin import (
    ImportExportAdmin,
    PortalHistoryAdmin,
    ReadOnlyMixin,
    ScopedAdminMixin,
    SectionAdmin,
    SectionRowsInline,
)
from standardization.models import (
    DeadlineOverride,
    Operation,
    Phase,
    ReferenceFigure,
    StandardizationProgress,
    Step,
    StepProgress,
    StepStatus,
)
from standardization.resources import DeadlineOverrideResource, OperationResource, StepResource


@admin.register(Operation)
class OperationAdmin(ImportExportAdmin, PortalHistoryAdmin):
    resource_classes = [OperationResource]
    list_display = ["order", "name", "default_deadline", "prefecture_reports"]
    list_display_links = ["name"]
    search_fields = ["name"]


@admin.register(Phase)
class PhaseAdmin(PortalHistoryAdmin):
    list_display = ["order", "name"]
    list_display_links = ["name"]


@admin.register(Step)
class StepAdmin(ImportExportAdmin, PortalHistoryAdmin):
    resource_classes = [StepResource]
    list_display = ["order", "number", "name", "full_name", "phase", "verified"]
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


@admin.register(ReferenceFigure)
class ReferenceFigureAdmin(admin.ModelAdmin):
    list_display = ["scope_code", "operation", "completion_rate", "in_progress_rate", "as_of"]
    list_filter = ["as_of", "operation"]
    search_fields = ["scope_code"]
    list_select_related = ["operation"]


@admin.register(StepStatus)
class StepStatusAdmin(ScopedAdminMixin, ReadOnlyMixin, PortalHistoryAdmin):
    """The national detail, looked at here (with its history); written through the grid or its
    import, so that the section's step rows stay derived from it."""

    scope_path = "progress__report__municipality"
    list_display = ["progress", "operation", "step", "status", "planned_date", "actual_date"]
    list_filter = ["status", "operation", "progress__report__period"]
    list_select_related = ["progress__report__municipality", "progress__report__period", "operation", "step"]
    search_fields = ["progress__report__municipality__name", "note"]
