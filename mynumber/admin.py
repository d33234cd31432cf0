from django.contrib import admin

from council.framework.admin import PortalHistoryAdmin
from mynumber.models import Snapshot, SnapshotRow


class SnapshotRowInline(admin.TabularInline):
    model = SnapshotRow
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", *SnapshotRow.FIGURES]


@admin.register(Snapshot)
class SnapshotAdmin(PortalHistoryAdmin):
    list_display = ["as_of", "label", "source"]
    inlines = [SnapshotRowInline]


@admin.register(SnapshotRow)
class SnapshotRowAdmin(PortalHistoryAdmin):
    list_display = [
        "snapshot",
        "name",
        "application_rate",
        "issuance_rate",
        "application_rank",
        "issuance_rank",
    ]
    list_filter = ["snapshot"]
    list_select_related = ["snapshot", "organisation"]
    search_fields = ["organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        """The nation's rows and those of the organisations the user sees."""
        from django.db.models import Q

        from council.models import Municipality

        visible = Municipality.objects.for_user(request.user).values("pk")
        return (
            super().get_queryset(request).filter(Q(organisation__isnull=True) | Q(organisation__in=visible))
        )

    def save_model(self, request, obj, form, change):
        obj.derive_rates()
        super().save_model(request, obj, form, change)
