"""django-import-export resources for the council's master data (admin import/export)."""

from datetime import datetime
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist
from import_export import fields, resources, widgets
from import_export.resources import Diff
from import_export.widgets import ForeignKeyWidget

from council.framework.admin_formats import column_label
from council.framework.xlsx import escape_cell, unescape_cell
from council.models import Municipality, ReportingPeriod
from council.text import NameField, clean_text


class CalendarDateWidget(widgets.DateWidget):
    """A date field's cell: a spreadsheet gives a date as a datetime at midnight, which compares
    unequal to the stored date and would mark every row of a re-imported .xlsx as updated."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        return super().clean(value, row, **kwargs)


class LabelledDiff(Diff):
    """The admin's import preview shows a choice by its label (市, not `city`)."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = self._labelled(resource, instance)

    def compare_with(self, resource, instance):
        self.right = self._labelled(resource, instance)

    @staticmethod
    def _labelled(resource, instance):
        labels = resource.choice_labels
        values = []
        for field in resource.get_import_fields():
            value = field.export(instance)
            choices = labels.get(field.column_name)
            values.append(choices.get(value, value) if choices else value)
        return values


class AllOrNothingResource(resources.ModelResource):
    """Every import runs in one transaction and is rolled back whole if any row is invalid.

    Exports escape cells a spreadsheet would run as formulas exactly as the portal's own exports do
    (`escape_cell`: text starting with = + - @, tab or CR gets a leading '), in every format;
    imports undo it, so that a file exported here imports back unchanged, and clean names and codes
    as the admin's forms do. Unchanged rows are skipped (nothing written, no history) and listed as
    such."""

    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "DateField": CalendarDateWidget}

    class Meta:
        skip_unchanged = True
        report_skipped = True

    def get_diff_class(self):
        return LabelledDiff

    def get_diff_headers(self):
        """The preview's columns by their labels, each with the file's column (区分（kind）)."""
        return [column_label(self._meta.model, field.column_name) for field in self.get_import_fields()]

    @cached_property
    def choice_labels(self) -> dict[str, dict[str, str]]:
        """Each column of a field with choices: its stored values' labels (read once per import,
        not for each row the preview compares)."""
        labels = {}
        for field in self.get_import_fields():
            try:
                model_field = self._meta.model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            if model_field.choices:
                labels[field.column_name] = {str(k): str(v) for k, v in model_field.flatchoices}
        return labels

    def export_field(self, field, instance, **kwargs):
        return escape_cell(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = unescape_cell(value)
        for column in self._name_columns():  # before the row is matched by its name or code
            if isinstance(row.get(column), str):
                row[column] = clean_text(row[column])
        super().before_import_row(row, **kwargs)

    def _name_columns(self) -> list[str]:
        """The columns of names and codes (`NameField`s, and related rows looked up by one), cleaned
        as the admin's forms clean them (`council.text.clean_text`)."""
        columns = []
        for field in self.get_import_fields():
            try:
                model_field = self._meta.model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, NameField) or isinstance(field.widget, ForeignKeyWidget):
                columns.append(field.column_name)
        return columns

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
        )


class MunicipalityResource(AllOrNothingResource):
    prefecture = fields.Field(
        attribute="prefecture", column_name="prefecture", widget=ForeignKeyWidget(Municipality, field="code")
    )

    class Meta:
        model = Municipality
        import_id_fields = ["code"]
        fields = ["code", "name", "slug", "kind", "prefecture", "display_order"]
        clean_model_instances = True
        skip_unchanged = True


class ReportingPeriodResource(AllOrNothingResource):
    class Meta:
        model = ReportingPeriod
        import_id_fields = ["fiscal_year", "quarter"]
        fields = ["fiscal_year", "quarter", "as_of", "submission_deadline", "accepting_reports"]
        clean_model_instances = True
        skip_unchanged = True
