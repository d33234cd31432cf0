"""Every workbook the portal exports, downloaded as staff would: the seven agenda books (資料4 with one
approved report, the seed has none) and the meeting's workbook."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from analog_review.imports import InventoryImporter
from council import services
from council.framework import registry
from council.framework.imports import run_import
from council.models import Meeting, ReportingPeriod
from tests.analog_review.test_analog import HAGI, book

# the book of each agenda item and the sheet that is its material's table
MATERIAL_SHEETS = {
    "standardization": "資料1 完了済みフェーズ",
    "online_procedures": "資料2 オンライン化取組状況",
    "rpa": "資料3 RPA等共同利用",
    "analog_review": "類型×状況",
    "mynumber": "資料5 申請・交付状況",
    "programmes": "資料6 事業と予算",
    "dx": "資料7 市町のDX推進体制等",
}
MEETING = "meeting"


def approve_analog_review(client, *, liaison, staff, hagi) -> None:
    """萩市's inventory imported, its 資料4 section confirmed, the report approved."""
    run_import(InventoryImporter(), book(HAGI), liaison, commit=True)
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    client.force_login(liaison)
    response = client.post(
        reverse("reports:section", args=[report.pk, "analog_review"]),
        {"expected_version": 0, "confirmed": "on", "blockers": ""},
    )
    assert response.status_code == 302
    report = services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def exported_books(client, *, liaison, staff, hagi) -> dict[str, bytes]:
    client.force_login(staff)
    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    books = {MEETING: download(client, reverse("council:workbook", args=[meeting.pk]))}
    # the seeded books first: the approval below opens a new quarter with one municipality's data
    for key in MATERIAL_SHEETS:
        if key != "analog_review":
            books[key] = download(client, reverse(f"{_namespace(key)}:export"))
    approve_analog_review(client, liaison=liaison, staff=staff, hagi=hagi)
    client.force_login(staff)
    books["analog_review"] = download(client, reverse("analog_review:export"))
    assert set(MATERIAL_SHEETS) == {spec.key for spec in registry.exporters.all()}, "a new export to cover"
    return books


def _namespace(key: str) -> str:
    return "council" if key == "dx" else key


def load(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))
