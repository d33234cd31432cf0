"""The prefecture staff's back office. Every queryset is scoped with `for_user`; report status only
changes through the workflow services (admin actions call them)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from council import services
from council.admin_forms import ProfileAdminForm, SectionAdminForm
from council.framework import registry
from council.models import (
    ActionItem,
    AgendaItem,
    Material,
    Meeting,
    Municipality,
    Opinion,
    Profile,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    StatusReport,
)
from council.resources import MunicipalityResource, ReportingPeriodResource
from council.roles import council_of


class ScopedHistoryMixin:
    """simple_history's history pages fall back to the object's last historical record when
    `get_queryset` does not find it, which would show (and offer to revert) an object outside the
    user's scope: such a page is a 404 instead. A deleted object's history is left to superusers."""

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _in_scope_or_404(self, request, object_id):
        if request.user.is_superuser:
            return
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404("この項目はありません。")


class ScopedAdminMixin(ScopedHistoryMixin):
    """Narrow the admin's queryset to what the user may see: `scope_path` leads to the organisation."""

    scope_path = "municipality"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:  # everything, rows without an organisation (national roles) too
            return qs
        visible = Municipality.objects.for_user(request.user).values("pk")
        return (
            qs.filter(**{f"{self.scope_path}__in": visible}) if self.scope_path else qs.filter(pk__in=visible)
        )


class WorkflowAdminMixin:
    """Report data in the admin is written through the workflow services. A write they refuse (a
    stale form, a report submitted or approved in the meantime) comes back to the form's page as a
    message and nothing is saved (the admin view's transaction rolls back). Reverting to a version
    from the history would write past them (status, version, a frozen report): refused."""

    revert_refused = (
        "報告のデータは履歴から過去の版に戻せません。変更画面で内容を直してください"
        "（承認済みの報告は再開してから）。"
    )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.ReportError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            self.message_user(request, self.revert_refused, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class SectionAdmin(ScopedAdminMixin, WorkflowAdminMixin, SimpleHistoryAdmin):
    """A report section in the admin: scoped, read-only once its report is submitted or approved
    (the workflow's freeze holds here too), and saved through `services.section_admin_save` like
    the liaison's form through `section_save`: the report locked, its state and the form's version
    checked, the version bumped. Its child rows (inlines) are saved after it, under the same lock."""

    scope_path = "report__municipality"
    form = SectionAdminForm
    list_display = ["report", "version", "updated_at"]
    list_filter = ["report__period", "report__status"]
    list_select_related = ["report__municipality", "report__period"]
    search_fields = ["report__municipality__name"]
    readonly_fields = ["report", "version", "updated_by"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.section_admin_save(
            section=obj, expected_version=form.cleaned_data["expected_version"], user=request.user
        )


class SectionRowsInline(admin.TabularInline):
    """Child rows of a section: editable only while the report is."""

    extra = 0

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.report.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.report.is_editable)


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    scope_path = ""
    resource_classes = [MunicipalityResource]
    list_display = ["code", "name", "kind", "prefecture", "display_order", "slug"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["code", "name", "slug"]
    list_select_related = ["prefecture"]
    ordering = ["display_order", "code"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ReportingPeriodResource]
    list_display = ["label", "as_of", "submission_deadline", "accepting_reports"]
    list_filter = ["fiscal_year", "accepting_reports"]
    list_editable = ["accepting_reports"]
    list_display_links = ["label"]
    ordering = ["-fiscal_year", "-quarter"]

    @admin.display(description="報告期間", ordering="fiscal_year")
    def label(self, obj):
        return obj.label


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "from_status", "to_status", "user", "comment"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


def section_inline(spec: registry.SectionSpec) -> type[admin.StackedInline]:
    """An inline for a registered section; read-only once the report is submitted or approved."""

    class SectionInline(admin.StackedInline):
        model = spec.model
        form = SectionAdminForm
        extra = 0
        max_num = 1
        can_delete = False
        verbose_name = spec.title
        verbose_name_plural = spec.title

        def has_change_permission(self, request, obj=None):
            return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

        def has_add_permission(self, request, obj=None):
            return super().has_add_permission(request, obj) and (obj is None or obj.is_editable)

    return SectionInline


@admin.register(StatusReport)
class StatusReportAdmin(ScopedAdminMixin, WorkflowAdminMixin, SimpleHistoryAdmin):
    list_display = ["municipality", "period", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "period", "municipality__prefecture"]
    search_fields = ["municipality__name", "municipality__code"]
    list_select_related = ["municipality", "period"]
    readonly_fields = [
        "status",
        "return_comment",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
    ]
    actions = ["approve_reports", "reopen_reports"]

    def get_inlines(self, request, obj):
        return [section_inline(spec) for spec in registry.sections.all()] + [ReportEventInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        return fields + ["municipality", "period"] if obj else fields

    def save_formset(self, request, form, formset, change):
        """A section changed in its inline is saved through `services.section_admin_save` (lock,
        state, version), like the liaison's form through `section_save`."""
        if not issubclass(formset.model, ReportSection):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # applies the forms to their instances, lists the changes
        for section_form in formset.forms:
            if section_form.has_changed():
                services.section_admin_save(
                    section=section_form.instance,
                    expected_version=section_form.cleaned_data["expected_version"],
                    user=request.user,
                )
        formset.save_m2m()

    def _run(self, request, queryset, service, done):
        ok = 0
        for report in queryset:
            try:
                service(report=report, user=request.user)
                ok += 1
            except services.ReportError as error:
                self.message_user(request, f"{report}: {error.message}", messages.ERROR)
        if ok:
            self.message_user(request, f"{ok} 件の報告を{done}しました。", messages.SUCCESS)

    @admin.action(description="選択した報告を承認する（提出済のみ）")
    def approve_reports(self, request, queryset):
        self._run(request, queryset, services.report_approve, "承認")

    @admin.action(description="選択した報告を再開する（承認済のみ・作成中に戻す）")
    def reopen_reports(self, request, queryset):
        self._run(request, queryset, services.report_reopen, "再開")


@admin.register(ReportEvent)
class ReportEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "report__municipality"
    list_display = ["at", "report", "action", "from_status", "to_status", "user"]
    list_filter = ["action", "report__period"]
    search_fields = ["report__municipality__name", "comment"]
    list_select_related = ["report__municipality", "report__period", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProfileInline(admin.StackedInline):
    model = Profile
    form = ProfileAdminForm
    can_delete = False
    verbose_name_plural = "ポータルでの役割"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.editor = request.user
        return formset


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PortalUserAdmin(UserAdmin):
    """Users with their portal role. Someone other than a superuser sees the users of their scope
    only (never a superuser), and cannot change anyone's admin access or permissions: granting
    the staff role is a superuser's decision (see ProfileAdminForm for the role itself)."""

    inlines = [ProfileInline]
    list_display = ["username", "last_name", "role", "organisation", "is_staff", "is_active"]
    list_select_related = ["portal_profile__organisation"]
    list_filter = ["portal_profile__role", "is_staff", "is_active"]
    superuser_only_fields = ["is_staff", "is_superuser", "groups", "user_permissions"]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        visible = Municipality.objects.for_user(request.user).values("pk")
        return users.filter(is_superuser=False, portal_profile__organisation__in=visible)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + self.superuser_only_fields

    @admin.display(description="役割")
    def role(self, obj):
        profile = getattr(obj, "portal_profile", None)
        return profile.get_role_display() if profile else ""

    @admin.display(description="所属団体")
    def organisation(self, obj):
        profile = getattr(obj, "portal_profile", None)
        return profile.organisation if profile else ""


@admin.register(Profile)
class ProfileAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Roles in the staff member's scope; a superuser sees every one, national ones included."""

    scope_path = "organisation"
    form = ProfileAdminForm
    list_display = ["user", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    list_select_related = ["user", "organisation"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        return form


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
class MeetingAdmin(CouncilAdminMixin, SimpleHistoryAdmin):
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
class MaterialAdmin(CouncilAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "app_label", "period_key", "frozen_at"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), MaterialKindFilter]
    list_select_related = ["meeting"]
    readonly_fields = ["frozen_at", "frozen_by"]


@admin.register(Opinion)
class OpinionAdmin(CouncilAdminMixin, SimpleHistoryAdmin):
    list_display = ["meeting", "speaker", "organisation", "agenda_item", "content"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting", "organisation", "agenda_item"]
    search_fields = ["speaker", "content"]


@admin.register(ActionItem)
class ActionItemAdmin(CouncilAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "owner", "owner_name", "due", "status", "meeting"]
    list_filter = [
        "status",
        ("meeting", admin.RelatedOnlyFieldListFilter),
        ("owner", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["owner", "meeting"]
    search_fields = ["title", "progress"]
    autocomplete_fields = ["owner"]


# the parts of the council app register their own models (Django discovers only council.admin)
import council.dx.admin  # noqa: E402, F401
