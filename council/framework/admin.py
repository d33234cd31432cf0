"""The back office's shared pieces: scoping of every admin by the staff member's organisations, the
workflow's freeze in the admin, and the admin of a report section (used by every agenda app)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin

from council import services
from council.admin_forms import SectionAdminForm
from council.framework.admin_formats import IMPORT_FORMATS, BoundedImportForm
from council.framework.workbooks import WorkbookRefused
from council.models import Municipality


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


class ImportExportAdmin(ImportExportModelAdmin):
    """django-import-export in the back office, with the portal's resources (`council.resources`:
    formulas escaped, unchanged rows skipped); its summary in Japanese, with the unchanged rows named
    as unchanged, as the portal's own imports word it. Files are held to the portal's upload
    bounds (`admin_formats`)."""

    import_formats = IMPORT_FORMATS
    import_form_class = BoundedImportForm

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, WorkbookRefused):
            form.add_error("import_file", e.message)
        else:
            form.add_error(
                "import_file", "ファイルを読み込めません。形式（CSV、TSV、Excel）を確認してください。"
            )

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"{self.model._meta.verbose_name_plural}を取り込みました: "
            f"新規 {totals[RowResult.IMPORT_TYPE_NEW]}件、更新 {totals[RowResult.IMPORT_TYPE_UPDATE]}件、"
            f"削除 {totals[RowResult.IMPORT_TYPE_DELETE]}件、変更なし {totals[RowResult.IMPORT_TYPE_SKIP]}件。",
        )
