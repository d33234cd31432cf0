from django.urls import reverse

from council import services
from council.models import ReportingPeriod
from standardization.models import Operation, StandardizationProgress, Step


def test_staff_edit_master_data_and_deadline_overrides(client, staff, hagi):
    client.force_login(staff)
    for name in ("operation", "phase", "step", "deadlineoverride", "standardizationprogress"):
        assert client.get(reverse(f"admin:standardization_{name}_changelist")).status_code == 200
    response = client.post(
        reverse("admin:standardization_step_add"),
        {
            "phase": Step.objects.get(name="本番移行").phase_id,
            "name": "運用開始",
            "full_name": "",
            "order": 17,
        },
    )
    assert response.status_code == 302 and Step.objects.filter(name="運用開始").exists()
    response = client.post(
        reverse("admin:standardization_deadlineoverride_add"),
        {
            "municipality": hagi.pk,
            "operation": Operation.objects.get(name="戸籍").pk,
            "deadline": "2028-03-31",
            "reason": "  ",
            "is_difficult": "on",
        },
    )
    assert "理由を入力してください" in response.content.decode()


def test_admin_edits_a_draft_section_and_not_an_approved_one(client, staff, hagi, liaison):
    draft = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )
    client.force_login(staff)
    section = draft.standardization_standardizationprogress
    rows = list(section.steps.all())
    data = {
        "note": "県が補足",
        "expected_version": section.version,  # the version the form was loaded at
        "steps-TOTAL_FORMS": len(rows),
        "steps-INITIAL_FORMS": len(rows),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update(
            {
                f"steps-{i}-id": row.pk,
                f"steps-{i}-progress": section.pk,
                f"steps-{i}-step": row.step_id,
                f"steps-{i}-operations_done": row.operations_done,
                f"steps-{i}-planned_date": "",
                f"steps-{i}-actual_date": "",
            }
        )
    data["steps-0-operations_done"] = 19
    response = client.post(
        reverse("admin:standardization_standardizationprogress_change", args=[section.pk]), data
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.note == "県が補足" and section.version == 2 and section.steps.first().operations_done == 19
    approved = StandardizationProgress.objects.get(
        report__municipality=hagi, report__period__fiscal_year=2022
    )
    page = client.get(
        reverse("admin:standardization_standardizationprogress_change", args=[approved.pk])
    ).content.decode()
    assert 'name="note"' not in page  # read only once approved
