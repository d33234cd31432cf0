from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from council.admin import ScopedAdminMixin
from rpa.models import Contract, Participation, RpaUsage, Scenario, ScenarioUsage, YearPlan


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(Scenario)
class ScenarioAdmin(SimpleHistoryAdmin):
    list_display = ["label", "fiscal_year", "status", "maintainer"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["name"]
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["scenario", "municipality", "since_fiscal_year", "until_fiscal_year"]
    list_filter = ["scenario", "until_fiscal_year"]
    list_select_related = ["scenario", "municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(YearPlan)
class YearPlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "planned_scenarios", "project_ends"]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "description", "start", "end", "annual_cost", "payer", "decision"]
    list_filter = ["kind", "payer", "decision"]


class ScenarioUsageInline(admin.TabularInline):
    model = ScenarioUsage
    extra = 0

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(RpaUsage)
class RpaUsageAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path = "report__municipality"
    list_display = ["report", "version", "updated_at"]
    list_filter = ["report__period", "report__status"]
    list_select_related = ["report__municipality", "report__period"]
    readonly_fields = ["report", "version", "updated_by"]
    inlines = [ScenarioUsageInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    def has_add_permission(self, request):
        return False
