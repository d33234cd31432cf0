"""The prefecture staff's back office: the core's models. Every queryset is scoped with `for_user`; report status only
changes through the workflow services (admin actions call them)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from council import services
from council.admin_forms import ProfileAdminForm, SectionAdminForm
from council.framework import registry
from council.framework.admin import ImportExportAdmin, ScopedAdminMixin, WorkflowAdminMixin
from council.models import (
    Municipality,
    Profile,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    StatusReport,
)
from council.resources import MunicipalityResource, ReportingPeriodResource


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, ImportExportAdmin, SimpleHistoryAdmin):
    scope_path = ""
    resource_classes = [MunicipalityResource]
    list_display = ["code", "name", "kind", "prefecture", "display_order", "slug"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["code", "name", "slug"]
    list_select_related = ["prefecture"]
    ordering = ["display_order", "code"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ImportExportAdmin, SimpleHistoryAdmin):
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
    readonly_fields = ["at", "action", "section", "proxy", "from_status", "to_status", "user", "comment"]
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
    list_display = ["at", "report", "action", "section", "proxy", "from_status", "to_status", "user"]
    list_filter = ["action", "proxy", "report__period"]
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


# the parts of the council app register their own models (Django discovers only council.admin)
import council.dx.admin  # noqa: E402, F401
import council.meetings.admin  # noqa: E402, F401
