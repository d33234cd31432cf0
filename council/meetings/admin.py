"""Meetings in the back office, scoped to the staff member's council (registered through
council.admin, since the meetings are a part of the council app)."""

from django.contrib import admin, messages

from council.framework import registry
from council.framework.admin import PortalHistoryAdmin, ScopedHistoryMixin
from council.models import ActionItem, AgendaItem, Material, Meeting, Municipality, Opinion
from council.roles import council_of

OUT_OF_SCOPE = "担当範囲外のものは選べません。一覧から選んでください。"


class CouncilAdminMixin(ScopedHistoryMixin):
    """Meeting data in the admin, narrowed to the staff member's council (the models' `for_user`):
    the list, the objects, and the choices of every foreign key, so that nothing can be attached to
    or saved for another council (a posted choice outside them is refused)."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = council_choices(db_field, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
            kwargs.setdefault("error_messages", {"invalid_choice": OUT_OF_SCOPE})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def council_choices(db_field, user):
    """The choices of a meeting model's foreign key for `user`: meetings and their parts of the
    user's council; organisations in the user's scope (only prefectures for a meeting's organiser)."""
    model = db_field.related_model
    if model is Municipality:
        organisations = Municipality.objects.for_user(user)
        if db_field.name == "organiser":
            return organisations.filter(kind=Municipality.Kind.PREFECTURE)
        return organisations
    if model in (Meeting, AgendaItem, Opinion):
        return model.objects.for_user(user)
    return None


class AgendaItemInline(CouncilAdminMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["parent", "number", "title"]


class MaterialInline(CouncilAdminMixin, admin.TabularInline):
    model = Material
    extra = 0
    fields = ["number", "title", "agenda_item", "app_label", "period_key", "description", "frozen_at"]
    readonly_fields = ["frozen_at"]


@admin.register(Meeting)
class MeetingAdmin(CouncilAdminMixin, PortalHistoryAdmin):
    list_display = ["full_title", "held_at", "format", "organiser"]
    list_filter = ["fiscal_year", "format"]
    list_select_related = ["organiser"]
    inlines = [AgendaItemInline, MaterialInline]
    actions = ["freeze_materials"]

    def get_changeform_initial_data(self, request):
        """A new meeting is the staff member's council's."""
        initial = super().get_changeform_initial_data(request)
        council = council_of(request.user)
        if council is not None:
            initial.setdefault("organiser", council)
        return initial

    @admin.action(description="選択した会議の資料を現在の承認済みデータで確定する")
    def freeze_materials(self, request, queryset):
        from council.meetings.services import meeting_freeze

        count = sum(meeting_freeze(meeting=meeting, user=request.user) for meeting in queryset)
        self.message_user(request, f"資料 {count} 件を確定しました。", messages.SUCCESS)


class MaterialKindFilter(admin.SimpleListFilter):
    """The dashboard a material comes from, by its title; the text-only materials (empty key) get a
    name too (Django's own filter would list them as a link without text)."""

    title = "ダッシュボード"
    parameter_name = "app_label"
    TEXT_ONLY = "-"

    def lookups(self, request, model_admin):
        keys = sorted(set(model_admin.get_queryset(request).values_list("app_label", flat=True)))
        titles = {spec.key: spec.title for spec in registry.exporters.all()}
        return [(key or self.TEXT_ONLY, titles.get(key, key) if key else "文章のみの資料") for key in keys]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(app_label="" if value == self.TEXT_ONLY else value)


@admin.register(Material)
class MaterialAdmin(CouncilAdminMixin, PortalHistoryAdmin):
    list_display = ["__str__", "meeting", "app_label", "period_key", "frozen_at"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), MaterialKindFilter]
    list_select_related = ["meeting"]
    readonly_fields = ["frozen_at", "frozen_by"]

    def get_readonly_fields(self, request, obj=None):
        """A frozen material's text is frozen with it."""
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["narrative"] if obj is not None and obj.is_frozen else fields


@admin.register(Opinion)
class OpinionAdmin(CouncilAdminMixin, PortalHistoryAdmin):
    list_display = ["meeting", "speaker", "organisation", "agenda_item", "content"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting", "organisation", "agenda_item"]
    search_fields = ["speaker", "content"]


@admin.register(ActionItem)
class ActionItemAdmin(CouncilAdminMixin, PortalHistoryAdmin):
    list_display = ["title", "owner", "owner_name", "due", "status", "meeting"]
    list_filter = [
        "status",
        ("meeting", admin.RelatedOnlyFieldListFilter),
        ("owner", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["owner", "meeting"]
    search_fields = ["title", "progress"]
    autocomplete_fields = ["owner"]
