"""The prefecture staff's back office: the core's models. Every queryset is scoped with `for_user`; report status only
changes through the workflow services (admin actions call them)."""

from django.contrib import admin, messages

from council import mail, services
from council.admin_forms import SectionAdminForm
from council.framework import registry
from council.framework.admin import (
    ImportExportAdmin,
    PortalHistoryAdmin,
    ReadOnlyMixin,
    ScopedAdminMixin,
    WorkflowAdminMixin,
)
from council.models import (
    Municipality,
    Notice,
    OutboxMail,
    ReminderLog,
    ReportEvent,
    ReportingPeriod,
    ReportSection,
    StatusReport,
    Target,
)
from council.resources import MunicipalityResource, ReportingPeriodResource


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, ImportExportAdmin, PortalHistoryAdmin):
    scope_path = ""
    resource_classes = [MunicipalityResource]
    list_display = ["code", "name", "kind", "prefecture", "display_order", "slug"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["code", "name", "slug"]
    list_select_related = ["prefecture"]
    ordering = ["display_order", "code"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ImportExportAdmin, PortalHistoryAdmin):
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
class StatusReportAdmin(ScopedAdminMixin, WorkflowAdminMixin, PortalHistoryAdmin):
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
class ReportEventAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_path = "report__municipality"
    list_display = ["at", "report", "action", "section", "proxy", "from_status", "to_status", "user"]
    list_filter = ["action", "proxy", "report__period"]
    search_fields = ["report__municipality__name", "comment"]
    list_select_related = ["report__municipality", "report__period", "user"]


# the parts of the council app register their own models (Django discovers only council.admin)
import council.accounts.admin  # noqa: E402, F401
import council.dx.admin  # noqa: E402, F401
import council.meetings.admin  # noqa: E402, F401


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """The council's targets, as data: each agenda app measures its progress against its own."""

    list_display = ["title", "app_key", "subject", "value", "due"]
    list_filter = ["app_key"]
    search_fields = ["title", "subject"]


@admin.register(OutboxMail)
class OutboxMailAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The mail the portal sent or is about to send, and why a send failed. The text is never shown
    (a password-reset link must not be read by anyone but its addressee)."""

    scope_path = "organisation"
    list_display = [
        "created_at",
        "kind",
        "subject",
        "addresses",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["subject", "recipients"]
    fields = [
        "kind",
        "recipients",
        "organisation",
        "subject",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
        "next_attempt_at",
    ]
    list_select_related = ["organisation"]
    actions = ["send_now"]

    @admin.display(description="宛先")
    def addresses(self, obj):
        return ", ".join(obj.recipients)

    @admin.display(description="状態")
    def status(self, obj):
        return obj.status_label

    @admin.action(description="選択した未送信のメールを今すぐ送信する")
    def send_now(self, request, queryset):
        from django.utils import timezone

        waiting = queryset.filter(sent_at__isnull=True).update(next_attempt_at=timezone.now())
        result = mail.send_pending()
        level = messages.ERROR if result.failed else messages.SUCCESS
        self.message_user(
            request,
            f"未送信 {waiting}件を送信しました: 送信 {result.sent}件、失敗 {result.failed}件。",
            level,
        )


@admin.register(Notice)
class NoticeAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Who was told what on their home page, and whether they have read it."""

    scope_path = "user__portal_profile__organisation"
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["title", "user__username", "user__last_name"]
    list_select_related = ["user"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    scope_path = "organisation"
    list_display = ["sent_at", "period", "organisation", "audience", "stage_label", "recipients"]
    list_filter = ["audience", "period"]
    search_fields = ["organisation__name"]
    list_select_related = ["period", "organisation"]

    @admin.display(description="時期", ordering="stage")
    def stage_label(self, obj):
        return obj.stage_label
