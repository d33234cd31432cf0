from django.contrib import admin

from council.framework.admin import ImportExportAdmin, PortalHistoryAdmin, SectionAdmin
from online_procedures.models import OnlineProcedureStatus, Procedure
from online_procedures.resources import ProcedureResource


@admin.register(Procedure)
class ProcedureAdmin(ImportExportAdmin, PortalHistoryAdmin):
    resource_classes = [ProcedureResource]
    list_display = ["order", "name", "category", "verified"]
    list_display_links = ["name"]
    list_filter = ["category", "verified"]
    search_fields = ["name"]


@admin.register(OnlineProcedureStatus)
class OnlineProcedureStatusAdmin(SectionAdmin):
    list_display = ["report", "available_count", "version", "updated_at"]
    filter_horizontal = ["procedures"]
