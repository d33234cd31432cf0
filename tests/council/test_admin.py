"""The staff back office: validation in Japanese, imports all-or-nothing, history, workflow actions."""

import pytest
import tablib
from django.urls import reverse

from council.models import DXStructure, Municipality, ReportStatus, StatusReport
from council.resources import MunicipalityResource


def add_municipality(client, prefecture, code):
    return client.post(
        reverse("admin:council_municipality_add"),
        {
            "code": code,
            "name": "架空市",
            "slug": "kakuu",
            "kind": "city",
            "prefecture": prefecture.pk,
            "display_order": 0,
        },
    )


def test_admin_refuses_a_wrong_check_digit_and_writes_nothing(client, staff, seeded):
    client.force_login(staff)
    response = add_municipality(client, seeded, "352099")
    assert response.status_code == 200
    assert "検査数字が正しくありません" in response.content.decode()
    assert not Municipality.objects.filter(slug="kakuu").exists()


def test_admin_adds_a_municipality_with_a_valid_code(client, staff, seeded):
    client.force_login(staff)
    response = add_municipality(client, seeded, "352209")
    assert response.status_code == 302
    created = Municipality.objects.get(slug="kakuu")
    assert created.display_order == 35220
    assert created.history.first().history_user == staff


def municipality_dataset_with_one_bad_row():
    dataset = tablib.Dataset(headers=["code", "name", "slug", "kind", "prefecture", "display_order"])
    dataset.append(["352209", "架空市", "kakuu", "city", "350001", ""])
    dataset.append(["352218", "架空二市", "kakuu-2", "city", "350001", ""])  # wrong check digit: 35221 → 7
    return dataset


@pytest.mark.usefixtures("seeded")
def test_import_with_one_bad_row_reports_it_and_writes_nothing():
    result = MunicipalityResource().import_data(
        municipality_dataset_with_one_bad_row(), dry_run=False, use_transactions=True
    )
    assert result.has_validation_errors()
    errors = [str(e) for row in result.invalid_rows for messages in row.error_dict.values() for e in messages]
    assert any("検査数字" in e for e in errors)
    assert not Municipality.objects.filter(slug__startswith="kakuu").exists()


def test_admin_history_of_a_section_shows_who_changed_it(client, staff, liaison, hagi):
    from council import registry, services
    from council.models import ReportingPeriod

    report = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )
    services.section_save(
        report=report,
        section=registry.sections.get("dx-structure"),
        data={"department": "DX推進課"},
        expected_version=1,
        user=liaison,
    )
    client.force_login(staff)
    dx = DXStructure.objects.get(report=report)
    page = client.get(reverse("admin:council_dxstructure_history", args=[dx.pk])).content.decode()
    assert "liaison-hagi" in page


def test_admin_approve_action_uses_the_workflow(client, staff, liaison, hagi):
    from council import services
    from council.models import ReportingPeriod

    report = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )
    draft_other = StatusReport.objects.get(municipality__slug="ube", period__fiscal_year=2022)
    services.report_submit(report=report, user=liaison)
    client.force_login(staff)
    response = client.post(
        reverse("admin:council_statusreport_changelist"),
        {"action": "approve_reports", "_selected_action": [report.pk, draft_other.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 件の報告を承認しました" in page
    assert "「承認済」の報告は承認できません" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.events.last().user == staff


def test_admin_section_of_an_approved_report_is_read_only(client, staff, hagi):
    approved = DXStructure.objects.get(report__municipality=hagi, report__period__fiscal_year=2022)
    client.force_login(staff)
    url = reverse("admin:council_dxstructure_change", args=[approved.pk])
    client.post(url, {"department": "書き換え", "policy": "none"})
    approved.refresh_from_db()
    assert approved.department == "DX推進室"


def test_admin_is_scoped_to_the_staff_members_prefecture(client, staff):
    from council.models import Role
    from tests.factories import CityFactory, PrefectureFactory, UserFactory

    other_pref = PrefectureFactory(number=34, name="広島県", slug="hiroshima-pref")
    CityFactory(prefecture=other_pref, local_number=200, name="呉市", slug="kure")  # 342009
    hiroshima_staff = UserFactory(
        username="hiroshima", is_staff=True, role=Role.STAFF, organisation=other_pref
    )
    hiroshima_staff.groups.set(staff.groups.all())
    client.force_login(hiroshima_staff)
    page = client.get(reverse("admin:council_municipality_changelist")).content.decode()
    assert "呉市" in page and "萩市" not in page
    hagi_report = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2022)
    response = client.get(reverse("admin:council_statusreport_change", args=[hagi_report.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect, not the object
    assert client.get(reverse("reports:detail", args=[hagi_report.pk])).status_code == 404


def xlsx_upload(rows, headers=("code", "name", "slug", "kind", "prefecture", "display_order")):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("municipalities.xlsx", buffer.getvalue())


def xlsx_format_index(client):
    from import_export.admin import ImportMixin

    formats = ImportMixin().get_import_formats()
    return next(i for i, f in enumerate(formats) if f().get_title() == "xlsx")


def test_admin_import_previews_errors_and_writes_nothing(client, staff, seeded):
    client.force_login(staff)
    upload = xlsx_upload(
        [
            ["352209", "架空市", "kakuu", "city", "350001", 0],
            ["352218", "架空二市", "kakuu-2", "city", "350001", 0],
        ]
    )
    response = client.post(
        reverse("admin:council_municipality_import"),
        {"import_file": upload, "format": xlsx_format_index(client), "resource": 0},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "検査数字が正しくありません" in page
    assert 'name="import_file_name"' not in page  # no confirm step offered for a bad file
    assert not Municipality.objects.filter(slug__startswith="kakuu").exists()


def test_admin_import_of_a_clean_file_is_previewed_then_confirmed(client, staff, seeded):
    client.force_login(staff)
    upload = xlsx_upload([["352209", "架空市", "kakuu", "city", "350001", 0]])
    response = client.post(
        reverse("admin:council_municipality_import"),
        {"import_file": upload, "format": xlsx_format_index(client), "resource": 0},
    )
    page = response.content.decode()
    assert 'name="import_file_name"' in page
    assert not Municipality.objects.filter(slug="kakuu").exists()  # dry run first
    import re

    fields = dict(
        re.findall(r'name="(import_file_name|original_file_name|format|resource)"[^>]*value="([^"]*)"', page)
    )
    response = client.post(reverse("admin:council_municipality_process_import"), fields)
    assert response.status_code == 302
    assert Municipality.objects.get(slug="kakuu").name == "架空市"
