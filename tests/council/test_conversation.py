"""The review conversation in the services: the thread, withdrawing a submission, 代理入力."""

import pytest
from django.core.exceptions import ValidationError

from council import services, signals
from council.framework import registry
from council.models import ReportEvent, ReportStatus, StatusReport
from tests.factories import UserFactory

DX = {
    "department": "デジタル推進課",
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


@pytest.fixture
def submitted(draft, liaison):
    return services.report_submit(report=draft, user=liaison)


def in_state(state, draft, liaison, staff):
    """The 2023-Q1 report of 萩市 in `state`."""
    if state != "draft":
        services.report_submit(report=draft, user=liaison)
    if state == "returned":
        services.report_return(report=draft, user=staff, comment="確認してください")
    if state == "approved":
        services.report_approve(report=draft, user=staff)
    return StatusReport.objects.get(pk=draft.pk)


def save_dx(report, user, data=None):
    section = registry.sections.get("dx")
    current = section.instance_for(report)
    return services.section_save(
        report=report, section=section, data=data or DX, expected_version=current.version, user=user
    )


def listen(signal):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    signal.connect(receiver, weak=False)
    return received, lambda: signal.disconnect(receiver)


# --- the thread ------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "approved"])
def test_staff_and_liaison_comment_in_every_state(
    state, draft, liaison, staff, django_capture_on_commit_callbacks
):
    report = in_state(state, draft, liaison, staff)
    received, stop = listen(signals.report_commented)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            question = services.report_comment(report=report, user=staff, comment="  人数の根拠は？\n")
            answer = services.report_comment(report=report, user=liaison, comment="辞令で確認しました。")
    finally:
        stop()
    report.refresh_from_db()
    assert report.status == state  # a comment changes no state
    thread = [e for e in report.events.all() if e.action == ReportEvent.Action.COMMENT]
    assert [(e.comment, e.user, e.from_status, e.to_status) for e in thread] == [
        ("人数の根拠は？", staff, state, state),
        ("辞令で確認しました。", liaison, state, state),
    ]
    assert [(r["report"].pk, r["comment"]) for r in received] == [(report.pk, question), (report.pk, answer)]
    assert received[0]["comment"].comment == "人数の根拠は？"


def test_comment_is_announced_only_once_it_commits(draft, liaison, django_capture_on_commit_callbacks):
    received, stop = listen(signals.report_commented)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.report_comment(report=draft, user=liaison, comment="質問です")
        assert received == []  # not before the commit
        assert len(callbacks) == 1
    finally:
        stop()


def test_the_return_comment_is_in_the_thread_and_the_liaison_answers_it(submitted, liaison, staff):
    services.report_return(report=submitted, user=staff, comment="外部人材の人数を確認してください。")
    services.report_comment(report=submitted, user=liaison, comment="2名です。修正して再提出します。")
    thread = [(e.action, e.comment) for e in submitted.events.all() if e.is_comment]
    assert thread == [
        ("return", "外部人材の人数を確認してください。"),
        ("comment", "2名です。修正して再提出します。"),
    ]


def test_a_return_is_announced_as_a_return_not_as_a_comment(
    submitted, staff, django_capture_on_commit_callbacks
):
    received, stop = listen(signals.report_commented)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.report_return(report=submitted, user=staff, comment="確認してください")
    finally:
        stop()
    assert received == []


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("", "コメントを入力してください"),
        ("   \n\t ", "コメントを入力してください"),
        ("\u200b\u2066\ufeff", "コメントを入力してください"),  # only invisible characters
        ("あ" * 2001, "2,000文字以内"),
    ],
)
def test_empty_or_too_long_comment_is_refused(draft, liaison, comment, message):
    before = draft.events.count()
    with pytest.raises(ValidationError) as refused:
        services.report_comment(report=draft, user=liaison, comment=comment)
    assert message in " ".join(refused.value.messages)
    assert draft.events.count() == before


def test_a_comment_keeps_its_lines_and_loses_invisible_characters(draft, liaison):
    event = services.report_comment(report=draft, user=liaison, comment="一行目\r\n\u202e二行目\x00")
    assert event.comment == "一行目\n二行目"
    assert len(services.report_comment(report=draft, user=liaison, comment="あ" * 2000).comment) == 2000


def test_members_and_other_municipalities_cannot_comment(draft, member, other_liaison):
    for user in (member, other_liaison):
        with pytest.raises(services.NotAllowed):
            services.report_comment(report=draft, user=user, comment="見ています")
    assert not draft.events.filter(action=ReportEvent.Action.COMMENT).exists()


def test_staff_of_another_prefecture_cannot_comment(draft, other_council):
    with pytest.raises(services.NotAllowed):
        services.report_comment(report=draft, user=other_council.staff, comment="広島から")
    assert not draft.events.filter(action=ReportEvent.Action.COMMENT).exists()


# --- withdrawing a submission ---------------------------------------------------------------------


def test_liaison_withdraws_a_submitted_report_to_draft(
    submitted, liaison, django_capture_on_commit_callbacks
):
    first = submitted.first_submitted_at
    received, stop = listen(signals.report_status_changed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.report_withdraw(report=submitted, user=liaison, comment="人数を直します")
    finally:
        stop()
    report = StatusReport.objects.get(pk=submitted.pk)
    assert report.status == ReportStatus.DRAFT
    assert report.first_submitted_at == first  # whether it was first submitted on time stays
    event = report.events.last()
    assert (event.action, event.from_status, event.to_status, event.user, event.comment) == (
        "withdraw",
        "submitted",
        "draft",
        liaison,
        "人数を直します",
    )
    assert [(r["report"].pk, r["action"]) for r in received] == [(report.pk, "withdraw")]
    # the draft is editable again and goes back in
    save_dx(report, liaison)
    services.report_submit(report=report, user=liaison)
    assert list(report.events.values_list("action", flat=True)) == [
        "create",
        "submit",
        "withdraw",
        "submit",
    ]


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("draft", "提出されていないため、取り下げできません"),
        ("returned", "既に差し戻したため、取り下げできません"),
        ("approved", "既に承認したため、取り下げできません"),
    ],
)
def test_withdrawing_anything_but_a_submitted_report_is_refused(state, message, draft, liaison, staff):
    report = in_state(state, draft, liaison, staff)
    events = report.events.count()
    with pytest.raises(services.IllegalTransition) as refused:
        services.report_withdraw(report=report, user=liaison)
    assert message in refused.value.message
    assert StatusReport.objects.get(pk=report.pk).status == state
    assert report.events.count() == events


def test_withdrawing_after_staff_acted_is_refused_even_from_a_stale_page(submitted, liaison, staff):
    stale = StatusReport.objects.get(pk=submitted.pk)  # what the liaison's page was built from
    services.report_approve(report=submitted, user=staff)
    with pytest.raises(services.IllegalTransition, match="既に承認した"):
        services.report_withdraw(report=stale, user=liaison)
    assert StatusReport.objects.get(pk=submitted.pk).status == ReportStatus.APPROVED


def test_only_the_organisations_liaison_withdraws(submitted, staff, other_liaison, member):
    for user in (staff, other_liaison, member):
        with pytest.raises(services.NotAllowed):
            services.report_withdraw(report=submitted, user=user)
    assert StatusReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_a_too_long_withdrawal_reason_is_refused(submitted, liaison):
    with pytest.raises(ValidationError, match="2,000文字以内"):
        services.report_withdraw(report=submitted, user=liaison, comment="あ" * 2001)
    assert StatusReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


# --- 代理入力 ------------------------------------------------------------------------------------


def test_staff_editing_a_draft_is_recorded_as_proxy_input(draft, liaison, staff):
    save_dx(draft, liaison)
    assert not draft.events.filter(action=ReportEvent.Action.PROXY_EDIT).exists()  # the liaison's own
    save_dx(draft, staff, DX | {"department": "県が入力"})
    event = draft.events.get(action=ReportEvent.Action.PROXY_EDIT)
    assert (event.user, event.section, event.proxy, event.section_title) == (staff, "dx", True, "DX推進体制")
    assert (event.from_status, event.to_status) == ("draft", "draft")


def test_a_refused_staff_edit_records_nothing(draft, staff):
    section = registry.sections.get("dx")
    with pytest.raises(services.EditConflict):
        services.section_save(report=draft, section=section, data=DX, expected_version=99, user=staff)
    assert not draft.events.filter(action=ReportEvent.Action.PROXY_EDIT).exists()


def test_staff_starting_and_submitting_for_a_municipality_is_proxy(hagi, q1, staff, liaison):
    report = services.report_start(municipality=hagi, period=q1, user=staff)
    services.report_submit(report=report, user=staff)
    assert list(report.events.values_list("action", "proxy")) == [("create", True), ("submit", True)]
    services.report_return(report=report, user=staff, comment="直します")
    services.report_submit(report=report, user=liaison)
    assert list(report.events.values_list("action", "proxy"))[2:] == [("return", False), ("submit", False)]


def test_the_admin_and_the_system_are_told_apart(draft, staff):
    from council.dx.models import DXStructure

    section = DXStructure.objects.get(report=draft)
    section.department = "管理画面で入力"
    services.section_admin_save(section=section, expected_version=section.version, user=staff)
    save_dx(draft, None)  # the seed or an import without a person: not a proxy
    assert list(draft.events.filter(action=ReportEvent.Action.PROXY_EDIT).values_list("user", "section")) == [
        (staff.pk, "dx")
    ]


def test_a_superuser_edit_is_proxy_input_too(draft):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True, role=None)
    save_dx(draft, admin)
    assert draft.events.filter(action=ReportEvent.Action.PROXY_EDIT, user=admin).exists()


def test_staff_importing_for_municipalities_is_recorded_as_proxy(hagi, q1, staff):
    """A new report an import starts is created for the organisation (its creation event is a
    proxy one); an import into an existing draft is a proxy edit of the section, like the form."""
    from council.framework.imports import run_import
    from online_procedures.imports import OnlineCountImporter
    from tests.online_procedures.test_online import long_book

    result = run_import(
        OnlineCountImporter(), long_book([["352047", "萩市", "2023-Q1", 5]]), staff, commit=True
    )
    assert result.ok, result.errors
    report = StatusReport.objects.get(municipality=hagi, period=q1)
    assert list(report.events.values_list("action", "proxy")) == [("create", True)]
    result = run_import(
        OnlineCountImporter(), long_book([["352047", "萩市", "2023-Q1", 7]]), staff, commit=True
    )
    assert result.ok, result.errors
    assert list(report.events.values_list("action", "proxy", "section"))[1:] == [
        ("proxy_edit", True, "online_procedures")
    ]
