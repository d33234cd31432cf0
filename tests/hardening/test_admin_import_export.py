"""The admin's import-export (django-import-export), used through its own views: exports escape
formulas exactly as the portal's Excel exports do, and a file imported back reports its unchanged rows
as unchanged (nothing written, no history) and only the changed ones as updated."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from council.framework.xlsx import escape_cell
from council.models import Municipality
from tests.hardening.test_bad_input import fingerprint

ADMINS = [
    "council/municipality",
    "council/reportingperiod",
    "standardization/operation",
    "standardization/step",
    "online_procedures/procedure",
]
FORMULAS = {
    "council/municipality": '=HYPERLINK("https://example.com","萩市")',
    "standardization/step": "+1+1",
    "online_procedures/procedure": "@SUM(A1:A9)",
    "standardization/operation": "-2+3",
}


def choices(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return {
        label.strip(): value for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', select)
    }


def export(client, admin: str, fmt: str) -> bytes:
    form = client.get(f"/admin/{admin}/export/").content.decode()
    fields = re.findall(r'name="(\w+resource_\w+)"', form)
    response = client.post(
        f"/admin/{admin}/export/",
        {"format": choices(form, "format")[fmt], "resource": 0, **dict.fromkeys(fields, "on")},
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


def rows(content: bytes, fmt: str) -> list[list]:
    if fmt == "xlsx":
        return [
            list(r) for r in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        ]
    text = content.decode("utf-8-sig")
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ",")]


def write(table: list[list], fmt: str) -> bytes:
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        for row in table:
            wb.active.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n").writerows(table)
    return buffer.getvalue().encode()


def preview(client, admin: str, fmt: str, content: bytes):
    """Upload a file to the admin's import: the dry run's page and the row kinds it lists."""
    form = client.get(f"/admin/{admin}/import/").content.decode()
    response = client.post(
        f"/admin/{admin}/import/",
        {
            "format": choices(form, "format")[fmt],
            "resource": 0,
            "import_file": SimpleUploadedFile(f"data.{fmt}", content),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    kinds = re.findall(r'<tr class="(new|skip|update|delete)">', html)
    return html, {kind: kinds.count(kind) for kind in set(kinds)}


def confirm(client, admin: str, html: str):
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return client.post(
        f"/admin/{admin}/process_import/",
        {
            k: fields[k]
            for k in ("import_file_name", "original_file_name", "format", "resource")
            if k in fields
        },
        follow=True,
    )


@pytest.fixture
def formulas(seeded):
    """A stored name of each kind that a spreadsheet would run as a formula."""
    from online_procedures.models import Procedure
    from standardization.models import Operation, Step

    Municipality.objects.filter(slug="hagi").update(name=FORMULAS["council/municipality"])
    Step.objects.filter(pk=Step.objects.order_by("pk")[0].pk).update(name=FORMULAS["standardization/step"])
    Procedure.objects.filter(pk=Procedure.objects.order_by("pk")[0].pk).update(
        name=FORMULAS["online_procedures/procedure"]
    )
    Operation.objects.filter(pk=Operation.objects.order_by("pk")[0].pk).update(
        name=FORMULAS["standardization/operation"]
    )


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
@pytest.mark.parametrize("admin", ADMINS)
def test_admin_exports_escape_formulas_as_the_portal_does(client, staff, formulas, admin, fmt):
    client.force_login(staff)
    table = rows(export(client, admin, fmt), fmt)
    assert len(table) > 1
    cells = [cell for row in table[1:] for cell in row if isinstance(cell, str)]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    if admin in FORMULAS:
        assert escape_cell(FORMULAS[admin]) == "'" + FORMULAS[admin]
        assert escape_cell(FORMULAS[admin]) in cells


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
@pytest.mark.parametrize("admin", ADMINS)
def test_an_exported_file_imported_back_is_all_unchanged(client, staff, formulas, admin, fmt):
    client.force_login(staff)
    content = export(client, admin, fmt)
    before = fingerprint()
    html, kinds = preview(client, admin, fmt, content)
    assert kinds == {"skip": len(rows(content, fmt)) - 1}, kinds
    assert "スキップ" in html
    done = confirm(client, admin, html)
    assert "新規 0件、更新 0件、削除 0件、変更なし" in done.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_one_changed_row_is_the_one_update(client, staff, formulas, fmt):
    client.force_login(staff)
    table = rows(export(client, "council/municipality", fmt), fmt)
    name = table[0].index("name")
    hagi = next(row for row in table if row[0] in ("352047", 352047))
    hagi[name] = "萩市"
    before = Municipality.history.count()
    html, kinds = preview(client, "council/municipality", fmt, write(table, fmt))
    assert kinds == {"update": 1, "skip": len(table) - 2}, kinds
    # the preview words an unchanged row as the summary does, not as "skipped"
    cells = [c.strip() for c in re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", html)]
    assert cells.count("変更なし") == len(table) - 2 and "スキップ" not in cells
    done = confirm(client, "council/municipality", html)
    assert f"新規 0件、更新 1件、削除 0件、変更なし {len(table) - 2}件" in done.content.decode()
    assert Municipality.objects.get(slug="hagi").name == "萩市"
    assert Municipality.history.count() == before + 1
