"""資料7 in the back office (registered through council.admin, since 資料7 is a part of the council app)."""

from django.contrib import admin

from council.dx.models import DXStructure
from council.framework.admin import SectionAdmin


@admin.register(DXStructure)
class DXStructureAdmin(SectionAdmin):
    list_display = [
        "report",
        "department",
        "policy",
        "has_promotion_body",
        "promotion_body",
        "has_external_talent",
        "has_it_hires",
    ]
    list_filter = ["report__period", "policy", "has_promotion_body", "has_external_talent", "has_it_hires"]
    search_fields = ["report__municipality__name", "department", "promotion_body"]
