import pytest
from django.core.exceptions import ValidationError

from council import services, signals
from council.framework import registry
from council.models import DXStructure, ReportEvent, ReportingPeriod, ReportStatus, StatusReport
from tests.factories import PrefectureFactory, ReportingPeriodFactory, UserFactory

DX = "dx"
DATA = {
    "department": "DX推進室",
    "policy": "established",
    "policy_planned_fiscal_year": None,
    "promotion_body": "萩市DX推進本部",
    "has_external_talent": True,
    "external_talent_count": 2,
    "has_it_hires": True,
    "it_hires_count": 1,
}


@pytest.fixture
def draft(hagi, q1, liaison):
    return services.report_start(municipality=hagi, period=q1, user=liaison)


def save(report, user, data=None, version=None):
    section = registry.sections.get(DX)
    if version is None:
        current = section.instance_for(report)
        version = current.version if current else 0
    return services.section_save(
        report=report, section=section, data=data or DATA, expected_version=version, user=user
    )


def test_start_prefills_from_the_latest_approved_report(draft):
    dx = draft.council_dxstructure
    assert dx.department == "DX推進室"  # 萩市's 2022-Q4 seed row
    assert dx.it_hires_count == 1 and dx.has_external_talent is False
    assert draft.status == ReportStatus.DRAFT
    assert list(draft.events.values_list("action", flat=True)) == ["create"]


def test_start_is_idempotent(draft, hagi, q1, liaison):
    assert services.report_start(municipality=hagi, period=q1, user=liaison) == draft


def test_liaison_cannot_start_another_municipalitys_report(ube, q1, liaison):
    with pytest.raises(services.NotAllowed):
        services.report_start(municipality=ube, period=q1, user=liaison)
    assert not StatusReport.objects.filter(municipality=ube, period=q1).exists()


def test_liaison_cannot_start_a_closed_period(hagi, liaison):
    closed = ReportingPeriod.objects.get(fiscal_year=2021, quarter=4)
    with pytest.raises(services.NotAllowed):
        services.report_start(municipality=hagi, period=closed, user=liaison)


def test_full_workflow_records_who_and_when(draft, liaison, staff):
    save(draft, liaison)
    services.report_submit(report=draft, user=liaison)
    services.report_return(report=draft, user=staff, comment="外部人材の人数を確認してください")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.RETURNED
    assert draft.return_comment == "外部人材の人数を確認してください"
    save(draft, liaison, {**DATA, "external_talent_count": 3})
    services.report_submit(report=draft, user=liaison)
    services.report_approve(report=draft, user=staff)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.APPROVED and draft.decided_by == staff and draft.return_comment == ""
    services.report_reopen(report=draft, user=staff, comment="人数の訂正")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    events = list(draft.events.values_list("action", "from_status", "to_status", "user__username"))
    assert events == [
        ("create", "", "draft", "liaison-hagi"),
        ("submit", "draft", "submitted", "liaison-hagi"),
        ("return", "submitted", "returned", "staff"),
        ("submit", "returned", "submitted", "liaison-hagi"),
        ("approve", "submitted", "approved", "staff"),
        ("reopen", "approved", "draft", "staff"),
    ]
    assert draft.first_submitted_at < draft.submitted_at
    history_users = {h.history_user for h in draft.history.all()}
    assert {liaison, staff} <= history_users


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ([], "approve"),
        ([], "return"),
        ([], "reopen"),
        (["submit"], "submit"),
        (["submit"], "reopen"),
        (["submit", "approve"], "approve"),
        (["submit", "approve"], "submit"),
        (["submit", "approve"], "return"),
        (["submit", "return"], "approve"),
        (["submit", "return"], "reopen"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(draft, liaison, staff, setup, action):
    run = {
        "submit": lambda: services.report_submit(report=draft, user=liaison),
        "approve": lambda: services.report_approve(report=draft, user=staff),
        "return": lambda: services.report_return(report=draft, user=staff, comment="理由"),
        "reopen": lambda: services.report_reopen(report=draft, user=staff),
    }
    for step in setup:
        run[step]()
    draft.refresh_from_db()
    before = (draft.status, draft.events.count())
    with pytest.raises(services.IllegalTransition) as info:
        run[action]()
    assert "できません" in info.value.message
    draft.refresh_from_db()
    assert (draft.status, draft.events.count()) == before


def test_liaison_cannot_approve_return_or_reopen(draft, liaison):
    services.report_submit(report=draft, user=liaison)
    for service in (services.report_approve, services.report_reopen):
        with pytest.raises(services.NotAllowed):
            service(report=draft, user=liaison)
    with pytest.raises(services.NotAllowed):
        services.report_return(report=draft, user=liaison, comment="x")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def test_other_liaison_cannot_edit_or_submit(draft, other_liaison):
    with pytest.raises(services.NotAllowed):
        save(draft, other_liaison, {**DATA, "department": "乗っ取り"})
    with pytest.raises(services.NotAllowed):
        services.report_submit(report=draft, user=other_liaison)
    assert DXStructure.objects.get(report=draft).department == "DX推進室"


def test_return_needs_a_comment(draft, liaison, staff):
    services.report_submit(report=draft, user=liaison)
    with pytest.raises(ValidationError):
        services.report_return(report=draft, user=staff, comment="  ")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def test_approved_report_is_frozen(liaison, staff, hagi):
    approved = StatusReport.objects.get(municipality=hagi, period__fiscal_year=2022, period__quarter=4)
    with pytest.raises(services.ReportLocked) as info:
        save(approved, staff, {**DATA, "department": "変更"})
    assert "再開" in info.value.message
    assert DXStructure.objects.get(report=approved).department == "DX推進室"


def test_submitted_report_cannot_be_edited(draft, liaison):
    services.report_submit(report=draft, user=liaison)
    with pytest.raises(services.ReportLocked):
        save(draft, liaison, {**DATA, "department": "変更"})


def test_stale_save_is_a_conflict_and_keeps_the_first_save(draft, liaison, staff):
    loaded_version = draft.council_dxstructure.version
    save(draft, staff, {**DATA, "department": "先に保存"}, version=loaded_version)
    with pytest.raises(services.EditConflict) as info:
        save(draft, liaison, {**DATA, "department": "後から保存"}, version=loaded_version)
    assert info.value.current.department == "先に保存"
    assert "保存されていません" in info.value.message
    dx = DXStructure.objects.get(report=draft)
    assert (dx.department, dx.version) == ("先に保存", loaded_version + 1)


def test_invalid_section_data_writes_nothing(draft, liaison):
    with pytest.raises(ValidationError):
        save(draft, liaison, {**DATA, "external_talent_count": -5})
    dx = DXStructure.objects.get(report=draft)
    assert dx.external_talent_count is None and dx.version == 1


def test_submit_needs_every_section(hagi, q1, liaison):
    StatusReport.objects.filter(municipality=hagi).delete()
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    with pytest.raises(services.ReportError) as info:
        services.report_submit(report=report, user=liaison)
    assert "DX推進体制" in info.value.message
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_status_change_signal_fires_on_commit(draft, liaison, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, report, action, **kwargs):
        seen.append(action)

    signals.report_status_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.report_submit(report=draft, user=liaison)
    finally:
        signals.report_status_changed.disconnect(receiver)
    assert seen == [ReportEvent.Action.SUBMIT]


def test_staff_of_another_prefecture_cannot_act_on_the_report(draft, liaison):
    from council.models import Role

    hiroshima = PrefectureFactory(number=34, name="広島県", slug="hiroshima-pref")
    outsider = UserFactory(username="hiroshima-staff", role=Role.STAFF, organisation=hiroshima)
    services.report_submit(report=draft, user=liaison)
    with pytest.raises(services.NotAllowed):
        services.report_approve(report=draft, user=outsider)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def carried(report) -> dict:
    """What each section of a report holds, comparable between reports."""
    report.refresh_from_db()
    out = {}
    for spec in registry.sections.all():
        section = spec.instance_for(report)
        if section is None:
            continue
        out[spec.key] = section.content()
        if hasattr(section, "steps"):
            out[spec.key]["steps"] = sorted(
                (
                    r.step_id,
                    r.operations_done,
                    r.partial,
                    r.planned_date,
                    r.actual_date,
                    tuple(op.pk for op in r.operations.all()),
                )
                for r in section.steps.all()
            )
        if hasattr(section, "procedures"):
            out[spec.key]["procedures"] = sorted(section.procedures.values_list("pk", flat=True))
    return out


def test_starting_many_reports_at_once_carries_the_same_as_one_by_one(hagi, ube, q1, staff):
    """`reports_start` (imports) and `report_start` (a liaison's click) give the same drafts,
    history included, and a municipality can start two new quarters in one call."""
    from online_procedures.models import OnlineProcedureStatus, Procedure

    # give 萩市's approved 2022-Q4 checklist some ticks, so the m2m copy and its history are exercised
    approved = OnlineProcedureStatus.objects.get(
        report__municipality=hagi,
        report__status="approved",
        report__period__fiscal_year=2022,
        report__period__quarter=4,
    )
    approved.procedures.set(Procedure.objects.order_by("order")[:3])
    one = services.report_start(municipality=hagi, period=q1, user=staff)
    expected = carried(one)
    assert {"dx", "standardization", "online_procedures"} <= set(expected)
    one.delete()
    q2 = ReportingPeriodFactory(fiscal_year=2023, quarter=2)  # as of 2023-09-30
    reports = services.reports_start(pairs=[(hagi, q1), (ube, q1), (hagi, q2)], user=staff)
    assert [(r.municipality, r.period) for r in reports] == [(hagi, q1), (ube, q1), (hagi, q2)]
    assert carried(reports[0]) == expected == carried(reports[2])
    assert carried(reports[1])["dx"]["department"] != expected["dx"]["department"]  # 宇部市's own
    for report in reports:
        assert list(report.events.values_list("action", "user")) == [("create", staff.pk)]
        assert report.history.get().history_user == staff
        online = report.online_procedures_onlineprocedurestatus
        first = online.history.earliest("history_id")
        assert first.history_user == staff and first.history_type == "+"
        assert sorted(first.procedures.values_list("procedure_id", flat=True)) == sorted(
            online.procedures.values_list("pk", flat=True)
        )
        for row in report.standardization_standardizationprogress.steps.all():
            assert row.history.get().history_user == staff
    # already started: returned as they are, nothing added
    again = services.reports_start(pairs=[(hagi, q1)], user=staff)
    assert again == [reports[0]] and ReportEvent.objects.filter(report=reports[0]).count() == 1
