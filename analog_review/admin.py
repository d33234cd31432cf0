from django.contrib import admin

from analog_review.models import AnalogReviewConfirmation, Provision, RegulationType
from council.framework.admin import PortalHistoryAdmin, ScopedAdminMixin, SectionAdmin


@admin.register(RegulationType)
class RegulationTypeAdmin(PortalHistoryAdmin):
    list_display = ["order", "name", "representative"]
    list_display_links = ["name"]


@admin.register(Provision)
class ProvisionAdmin(ScopedAdminMixin, PortalHistoryAdmin):
    scope_path = "organisation"
    list_display = [
        "organisation",
        "reference",
        "rule_title",
        "title",
        "regulation_type",
        "in_scope",
        "status",
        "target_date",
    ]
    list_filter = ["regulation_type", "status", "rule_level", "in_scope", "organisation__prefecture"]
    list_select_related = ["organisation", "regulation_type"]
    search_fields = ["reference", "rule_title", "title", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(AnalogReviewConfirmation)
class AnalogReviewConfirmationAdmin(SectionAdmin):
    pass
