from django.contrib import admin

from council.framework.admin import PortalHistoryAdmin, ScopedAdminMixin, SectionAdmin, SectionRowsInline
from rpa.models import Contract, Participation, RpaUsage, Scenario, ScenarioUsage, YearPlan


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(Scenario)
class ScenarioAdmin(PortalHistoryAdmin):
    list_display = ["label", "fiscal_year", "status", "maintainer"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["name"]
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(ScopedAdminMixin, PortalHistoryAdmin):
    list_display = ["scenario", "municipality", "since_fiscal_year", "until_fiscal_year"]
    list_filter = ["scenario", "until_fiscal_year"]
    list_select_related = ["scenario", "municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(YearPlan)
class YearPlanAdmin(PortalHistoryAdmin):
    list_display = ["__str__", "planned_scenarios", "planned_approximate", "project_ends"]


@admin.register(Contract)
class ContractAdmin(PortalHistoryAdmin):
    list_display = ["kind", "description", "start", "end", "annual_cost", "payer", "decision"]
    list_filter = ["kind", "payer", "decision"]


class ScenarioUsageInline(SectionRowsInline):
    model = ScenarioUsage


@admin.register(RpaUsage)
class RpaUsageAdmin(SectionAdmin):
    inlines = [ScenarioUsageInline]
