"""The back office's shared pieces: scoping of every admin by the staff member's organisations, the
workflow's freeze in the admin, and the admin of a report section (used by every agenda app)."""

import dataclasses

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from council import services
from council.admin_forms import SectionAdminForm
from council.framework.admin_formats import (
    IMPORT_FORMATS,
    BoundedImportForm,
    LabelledExportForm,
    column_label,
)
from council.framework.workbooks import WorkbookRefused
from council.models import Municipality

NOTHING = "（なし）"


class LabelledChanges(HistoricalRecordContextHelper):
    """A history row's changes as staff entered them: a choice by its label (未定, not `undecided`),
    yes/no in Japanese, an empty value as （なし）. (The field's name is already its label.)"""

    def prepare_delta_change_value(self, change: ModelChange, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return NOTHING
        if isinstance(value, bool):
            return "はい" if value else "いいえ"
        if field.choices and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        return value


class PortalHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin as the back office uses it: every change of a record is named,
    including the fields only the workflow writes (a report's 状態, 提出者, 承認・差戻し日時 are not
    editable in a form, and the library diffs editable fields only, which left a report's changes
    column empty), with the labels staff chose from. Every admin with a history uses this base
    (tests/council/test_back_office_japanese.py checks it)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return LabelledChanges(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(current, foreign_keys_are_objs=foreign_keys_are_objs)
                changes = sorted(
                    [*delta.changes, *_workflow_changes(current, previous)], key=lambda c: c.field
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(
                    dataclasses.replace(delta, changes=changes)
                )
            previous = current


def _workflow_changes(old, new) -> list[ModelChange]:
    """The changes of the tracked fields no form edits (simple-history's diff reads editable fields
    only); a foreign key as its object."""
    changes = []
    for field in old.tracked_fields:
        if field.editable or field.primary_key:
            continue
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            if field.is_relation:
                before, after = getattr(old, field.name), getattr(new, field.name)
            changes.append(ModelChange(field.name, before, after))
    return changes


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


class ReadOnlyMixin:
    """Records the portal keeps by itself (the report's events, the outbox, 資料1's national detail):
    looked at in the admin, never written there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class SectionAdmin(ScopedAdminMixin, WorkflowAdminMixin, PortalHistoryAdmin):
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
    export_form_class = LabelledExportForm

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, WorkbookRefused):
            form.add_error("import_file", e.message)
        else:
            form.add_error(
                "import_file", "ファイルを読み込めません。形式（CSV、TSV、Excel）を確認してください。"
            )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if getattr(response, "context_data", None):
            self._label_fields(response.context_data)
        return response

    def init_request_context_data(self, request, form):
        context = super().init_request_context_data(request, form)
        self._label_fields(context)
        return context

    def _label_fields(self, context):
        """The fields a file holds, named for staff: 団体コード（code）, the file's column after its label."""
        if "fields_list" in context:
            context["fields_list"] = [
                (name, [column_label(self.model, column) for column in columns])
                for name, columns in context["fields_list"]
            ]

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"{self.model._meta.verbose_name_plural}を取り込みました: "
            f"新規 {totals[RowResult.IMPORT_TYPE_NEW]}件、更新 {totals[RowResult.IMPORT_TYPE_UPDATE]}件、"
            f"削除 {totals[RowResult.IMPORT_TYPE_DELETE]}件、変更なし {totals[RowResult.IMPORT_TYPE_SKIP]}件。",
        )
