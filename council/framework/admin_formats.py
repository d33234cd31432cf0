"""The back office's file imports (django-import-export) held to the portal's upload bounds.

django-import-export reads an upload whole into memory and every row of it into a tablib Dataset,
then imports row by row: a large or hostile file ties up a worker. Here the admin imports only
CSV, TSV and .xlsx; a file over the upload limit is refused before it is read; an .xlsx is checked
and streamed like the portal's own imports (`council.framework.workbooks`); and a sheet of more
rows than any register the admin keeps (the nation's 1,788 organisations) is refused. The reason
is shown in Japanese under the file field.
"""

from __future__ import annotations

import tablib
from django import forms
from django.core.exceptions import FieldDoesNotExist
from import_export.formats.base_formats import CSV, TSV, XLSX
from import_export.forms import ImportForm, SelectableFieldsExportForm

from council.framework.imports import cell_text, upload_limit
from council.framework.workbooks import WorkbookRefused, open_workbook, sheet_rows

MAX_ADMIN_ROWS = 2_000


def _bounded(dataset: tablib.Dataset) -> tablib.Dataset:
    if dataset.height > MAX_ADMIN_ROWS:
        raise WorkbookRefused(
            f"行が多すぎます（{dataset.height:,} 行、管理画面の取り込みは {MAX_ADMIN_ROWS:,} 行まで）。"
            "ファイルを分けてください。"
        )
    return dataset


class BoundedCSV(CSV):
    def create_dataset(self, in_stream):
        return _bounded(super().create_dataset(in_stream))


class BoundedTSV(TSV):
    def create_dataset(self, in_stream):
        return _bounded(super().create_dataset(in_stream))


class BoundedXLSX(XLSX):
    """The first sheet, checked before parsing and streamed: bounded by what it expands to, its
    rows and its columns, entity declarations refused."""

    def create_dataset(self, in_stream):
        dataset = tablib.Dataset()
        with open_workbook(bytes(in_stream)) as book:
            rows = sheet_rows(book.worksheets[0])
            _, header = next(rows, (1, ()))
            width = max((i + 1 for i, v in enumerate(header) if v not in (None, "")), default=0)
            dataset.headers = [cell_text(v) for v in header[:width]]
            for _, values in rows:
                if any(v not in (None, "") for v in values):
                    dataset.append(list(values[:width]))
                    _bounded(dataset)
        return dataset


class BoundedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > upload_limit():  # before django-import-export reads it into memory
            raise forms.ValidationError(
                f"ファイルが大きすぎます（上限 {upload_limit() // (1024 * 1024)} MB）。"
            )
        return upload


IMPORT_FORMATS = [BoundedCSV, BoundedTSV, BoundedXLSX]


def column_label(model, column: str) -> str:
    """A file column of django-import-export as staff read it: its field's label, then the column."""
    try:
        label = model._meta.get_field(column).verbose_name
    except FieldDoesNotExist:
        return column
    return f"{label}（{column}）"


class LabelledExportForm(SelectableFieldsExportForm):
    """The export's field choices by their labels (団体コード（code）), not `Code`."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return column_label(resource._meta.model, field.column_name if field else field_name)
