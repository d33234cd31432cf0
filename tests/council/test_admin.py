"""The staff back office: validation in Japanese, imports all-or-nothing, history, workflow actions."""

from html.parser import HTMLParser

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
    from council import services
    from council.framework import registry
    from council.models import ReportingPeriod

    report = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )
    services.section_save(
        report=report,
        section=registry.sections.get("dx"),
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
    """The value of "xlsx" in the import page's own format list."""
    from tests.hardening.test_admin_import_export import choices

    return choices(client.get(reverse("admin:council_municipality_import")).content.decode(), "format")[
        "xlsx"
    ]


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


def meeting_form(organiser, **fields):
    """The admin's add form of a meeting, with empty agenda and material inlines."""
    data = {
        "fiscal_year": 2023,
        "number": 5,
        "title": "臨時会議",
        "held_at_0": "2024-01-10",
        "held_at_1": "10:00",
        "format": "web",
        "place": "",
        "chair": "",
        "organiser": organiser.pk,
    }
    for prefix in ("agenda_items", "materials"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data | fields


def test_admin_meetings_are_scoped_to_the_staff_members_council(client, staff, other_council):
    from council.models import ActionItem, Material, Meeting, Opinion

    yamaguchi = Meeting.objects.get(organiser__code="350001")
    Opinion.objects.create(meeting=yamaguchi, speaker="萩市", content="山口の意見")
    ActionItem.objects.create(meeting=yamaguchi, title="山口県事務局の対応")
    hiroshima = other_council.meeting
    for user, own, other in [(other_council.staff, hiroshima, yamaguchi), (staff, yamaguchi, hiroshima)]:
        client.force_login(user)
        for model in (Meeting, Material, Opinion, ActionItem):
            name = model._meta.model_name
            page = client.get(reverse(f"admin:council_{name}_changelist")).content.decode()
            theirs = model.objects.filter(meeting=other) if model is not Meeting else [other]
            mine = model.objects.filter(meeting=own) if model is not Meeting else [own]
            for obj in theirs:
                assert reverse(f"admin:council_{name}_change", args=[obj.pk]) not in page, (user, obj)
                response = client.get(reverse(f"admin:council_{name}_change", args=[obj.pk]))
                assert response.status_code == 302, (user, obj)  # the admin's "does not exist" redirect
                assert client.get(reverse(f"admin:council_{name}_history", args=[obj.pk])).status_code == 404
            for obj in mine:
                assert client.get(reverse(f"admin:council_{name}_change", args=[obj.pk])).status_code == 200
        # the list filters name only the council's own meetings
        page = client.get(reverse("admin:council_material_changelist")).content.decode()
        assert own.full_title in page and other.full_title not in page


def test_admin_refuses_to_save_meeting_data_for_another_council(client, staff, other_council):
    from council.models import ActionItem, Material, Meeting, Opinion

    yamaguchi = Meeting.objects.get(organiser__code="350001")
    client.force_login(other_council.staff)
    page = client.get(reverse("admin:council_meeting_add")).content.decode()
    assert f'<option value="{other_council.prefecture.pk}" selected>広島県</option>' in page
    assert ">山口県</option>" not in page
    response = client.post(reverse("admin:council_meeting_add"), meeting_form(yamaguchi.organiser))
    assert response.status_code == 200 and "担当範囲外のものは選べません" in response.content.decode()
    response = client.post(reverse("admin:council_meeting_add"), meeting_form(other_council.prefecture))
    assert response.status_code == 302
    assert Meeting.objects.get(number=5).organiser == other_council.prefecture
    # a material, an opinion, an action item cannot be hung on another council's meeting or organisation
    material = other_council.material
    response = client.post(
        reverse("admin:council_material_change", args=[material.pk]),
        {"meeting": yamaguchi.pk, "number": 9, "title": "移し替え", "app_label": "", "period_key": ""},
    )
    assert "担当範囲外のものは選べません" in response.content.decode()
    response = client.post(
        reverse("admin:council_opinion_add"),
        {
            "meeting": other_council.meeting.pk,
            "speaker": "萩市",
            "organisation": staff.portal_profile.organisation_id,
            "content": "x",
        },
    )
    assert "担当範囲外のものは選べません" in response.content.decode()
    response = client.post(
        reverse("admin:council_actionitem_add"),
        {"meeting": yamaguchi.pk, "title": "越境", "owner_name": "", "status": "open", "progress": ""},
    )
    assert "担当範囲外のものは選べません" in response.content.decode()
    assert not Material.objects.filter(number=9).exists()
    assert not Opinion.objects.filter(content="x").exists()
    assert not ActionItem.objects.filter(title="越境").exists()


def test_admin_history_of_another_prefectures_report_is_not_found(client, other_council):
    hagi_report = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2022)
    client.force_login(other_council.staff)
    assert client.get(reverse("admin:council_statusreport_history", args=[hagi_report.pk])).status_code == 404
    dx = DXStructure.objects.get(report=hagi_report)
    assert client.get(reverse("admin:council_dxstructure_history", args=[dx.pk])).status_code == 404
    own = StatusReport.objects.filter(municipality__prefecture=other_council.prefecture).first()
    assert client.get(reverse("admin:council_statusreport_history", args=[own.pk])).status_code == 200


def profile_form(profile, **fields):
    data = {"user": profile.user_id, "role": profile.role, "organisation": profile.organisation_id or ""}
    return data | fields


def post_profile(client, profile, **fields):
    return client.post(
        reverse("admin:council_profile_change", args=[profile.pk]), profile_form(profile, **fields)
    )


def test_staff_cannot_grant_the_staff_role(client, staff, member, django_user_model):
    from council.admin_forms import GRANT_STAFF
    from council.models import Profile, Role

    client.force_login(staff)
    response = post_profile(client, member.portal_profile, role="staff")
    assert response.status_code == 200 and GRANT_STAFF in response.content.decode()
    newcomer = django_user_model.objects.create_user("newcomer", password="pw")
    response = client.post(
        reverse("admin:council_profile_add"),
        {"user": newcomer.pk, "role": "staff", "organisation": staff.portal_profile.organisation_id},
    )
    assert GRANT_STAFF in response.content.decode()
    assert not Profile.objects.filter(user=newcomer).exists()
    member.portal_profile.refresh_from_db()
    assert member.portal_profile.role == Role.MEMBER
    # a council member of the prefecture is theirs to add
    response = client.post(
        reverse("admin:council_profile_add"),
        {"user": newcomer.pk, "role": "member", "organisation": staff.portal_profile.organisation_id},
    )
    assert response.status_code == 302 and Profile.objects.get(user=newcomer).role == Role.MEMBER


def test_staff_cannot_widen_their_own_scope(client, staff, other_council):
    from council.admin_forms import NATIONAL_SCOPE, OUTSIDE_SCOPE

    own = staff.portal_profile
    client.force_login(staff)
    response = post_profile(client, own, organisation="")
    assert response.status_code == 200 and NATIONAL_SCOPE in response.content.decode()
    response = post_profile(client, own, organisation=other_council.prefecture.pk)
    assert OUTSIDE_SCOPE in response.content.decode()
    own.refresh_from_db()
    assert own.organisation.code == "350001"


def test_staff_cannot_bind_a_profile_outside_their_prefecture(
    client, staff, liaison, member, ube, other_council
):
    from council.admin_forms import NATIONAL_SCOPE, OUTSIDE_SCOPE

    client.force_login(staff)
    page = client.get(
        reverse("admin:council_profile_change", args=[liaison.portal_profile.pk])
    ).content.decode()
    assert ">宇部市</option>" in page and ">広島県</option>" not in page and ">試験町600</option>" not in page
    response = post_profile(client, liaison.portal_profile, organisation=other_council.towns[0].pk)
    assert OUTSIDE_SCOPE in response.content.decode()
    response = post_profile(client, member.portal_profile, organisation="")
    assert NATIONAL_SCOPE in response.content.decode()
    # a profile (its role) cannot be moved to another user either
    response = post_profile(client, liaison.portal_profile, user=other_council.liaison.pk)
    assert response.status_code == 200
    liaison.portal_profile.refresh_from_db()
    assert liaison.portal_profile.organisation.slug == "hagi" and liaison.portal_profile.user == liaison
    # within the prefecture they may
    assert post_profile(client, liaison.portal_profile, organisation=ube.pk).status_code == 302
    liaison.portal_profile.refresh_from_db()
    assert liaison.portal_profile.organisation == ube
    # another prefecture's profiles are not theirs to open
    url = reverse("admin:council_profile_change", args=[other_council.liaison.portal_profile.pk])
    assert client.get(url).status_code == 302


def test_a_superuser_may_grant_staff_national_scope_and_any_organisation(
    client, member, liaison, other_council, django_user_model
):
    from council.models import Role

    admin_user = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin_user)
    assert post_profile(client, member.portal_profile, role="staff", organisation="").status_code == 302
    assert (
        post_profile(client, liaison.portal_profile, organisation=other_council.towns[1].pk).status_code
        == 302
    )
    member.portal_profile.refresh_from_db()
    liaison.portal_profile.refresh_from_db()
    assert member.portal_profile.role == Role.STAFF and member.portal_profile.organisation is None
    assert liaison.portal_profile.organisation == other_council.towns[1]
    page = client.get(reverse("admin:council_profile_changelist")).content.decode()
    rows = page.split('id="result_list"')[1]
    # a national role (no organisation) is listed for the superuser
    assert reverse("admin:council_profile_change", args=[member.portal_profile.pk]) in rows


def test_the_user_admin_keeps_the_same_rules(client, staff, liaison, other_council):
    """Staff allowed into the user admin see their scope's users, cannot give admin access, and its
    role inline refuses what the profile admin refuses."""
    from django.contrib.auth.models import Permission

    from council.admin_forms import GRANT_STAFF

    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__endswith="_user")
    )
    client.force_login(staff)
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "liaison-hagi" in page and "hiroshima-liaison" not in page
    url = reverse("admin:auth_user_change", args=[other_council.liaison.pk])
    assert client.get(url).status_code == 302
    profile = liaison.portal_profile
    data = {
        "username": "liaison-hagi",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",  # read only for them: ignored
        "is_superuser": "on",
        "date_joined_0": "2024-04-01",
        "date_joined_1": "09:00:00",
        "portal_profile-TOTAL_FORMS": 1,
        "portal_profile-INITIAL_FORMS": 1,
        "portal_profile-MIN_NUM_FORMS": 0,
        "portal_profile-MAX_NUM_FORMS": 1,
        "portal_profile-0-id": profile.pk,
        "portal_profile-0-user": liaison.pk,
        "portal_profile-0-role": "staff",
        "portal_profile-0-organisation": profile.organisation_id,
    }
    response = client.post(reverse("admin:auth_user_change", args=[liaison.pk]), data)
    assert response.status_code == 200 and GRANT_STAFF in response.content.decode()
    data["portal_profile-0-role"] = "liaison"
    assert client.post(reverse("admin:auth_user_change", args=[liaison.pk]), data).status_code == 302
    liaison.refresh_from_db()
    assert not liaison.is_staff and not liaison.is_superuser
    assert liaison.portal_profile.role == "liaison"


class _FormFields(HTMLParser):
    """What a browser posts from a page: inputs, ticked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file") or (kind in ("checkbox", "radio") and "checked" not in a):
                return
            self.data.setdefault(a["name"], []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = a.get("name")
            self.data.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.data[self._textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def loaded_form(client, url) -> dict[str, list[str]]:
    """The admin form at `url` as the editor loaded it."""
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.data


@pytest.fixture
def draft_dx(hagi, liaison):
    """萩市's 2023-Q1 draft, its DX section carried from the approved 2022-Q4 one (version 1)."""
    from council import services
    from council.models import ReportingPeriod

    report = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )
    return DXStructure.objects.get(report=report)


def liaison_saves(dx, liaison, department):
    from council import services
    from council.framework import registry

    services.section_save(
        report=dx.report,
        section=registry.sections.get("dx"),
        data={"department": department},
        expected_version=dx.version,
        user=liaison,
    )


@pytest.mark.parametrize("page", ["section", "report"])
def test_admin_section_save_refuses_a_stale_form(client, staff, liaison, draft_dx, page):
    """Staff load the section (on its own page or as an inline of the report), the liaison saves,
    staff save: refused, the liaison's content kept. Loaded afresh, staff's save goes through."""
    if page == "section":
        url, field = reverse("admin:council_dxstructure_change", args=[draft_dx.pk]), "department"
    else:
        url, field = (
            reverse("admin:council_statusreport_change", args=[draft_dx.report_id]),
            "council_dxstructure-0-department",
        )
    client.force_login(staff)
    stale = loaded_form(client, url)
    liaison_saves(draft_dx, liaison, "萩市が更新")
    stale[field] = ["県が上書き"]
    response = client.post(url, stale, follow=True)
    assert "あなたが編集を始めた後に" in response.content.decode()
    draft_dx.refresh_from_db()
    assert (draft_dx.department, draft_dx.version) == ("萩市が更新", 2)
    fresh = loaded_form(client, url)
    fresh[field] = ["県が上書き"]
    assert client.post(url, fresh).status_code == 302
    draft_dx.refresh_from_db()
    assert (draft_dx.department, draft_dx.version, draft_dx.updated_by) == ("県が上書き", 3, staff)
    assert draft_dx.history.first().history_user == staff


def test_admin_section_of_an_approved_report_changes_only_after_reopening(client, staff, liaison, draft_dx):
    from council import services

    url = reverse("admin:council_dxstructure_change", args=[draft_dx.pk])
    client.force_login(staff)
    loaded = loaded_form(client, url)
    services.report_submit(report=draft_dx.report, user=liaison)
    services.report_approve(report=draft_dx.report, user=staff)
    loaded["department"] = ["承認後に書き換え"]
    assert client.post(url, loaded).status_code == 403  # the admin's read-only page of an approved report
    # the service holds even where the admin's check does not reach (a save racing the approval)
    draft_dx.refresh_from_db()
    draft_dx.department = "承認後に書き換え"
    with pytest.raises(services.ReportLocked, match="「承認済」のため編集できません"):
        services.section_admin_save(section=draft_dx, expected_version=draft_dx.version, user=staff)
    # reverting to an old version from the history is refused (it would write past the workflow)
    old = draft_dx.history.last()
    history_url = reverse("admin:council_dxstructure_simple_history", args=[draft_dx.pk, old.history_id])
    assert client.get(history_url).status_code == 200
    response = client.post(history_url, loaded, follow=True)
    assert "履歴から過去の版に戻せません" in response.content.decode()
    draft_dx.refresh_from_db()
    assert draft_dx.department != "承認後に書き換え"
    services.report_reopen(report=draft_dx.report, user=staff, comment="訂正")
    reopened = loaded_form(client, url)
    reopened["department"] = ["再開後の訂正"]
    assert client.post(url, reopened).status_code == 302
    draft_dx.refresh_from_db()
    assert draft_dx.department == "再開後の訂正"


def test_admin_cannot_revert_a_report_past_the_workflow(client, staff, liaison, draft_dx):
    """The report's history holds its earlier statuses; reverting to one would set `status`
    without the workflow."""
    from council import services
    from council.models import ReportStatus

    report = draft_dx.report
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    draft = report.history.filter(status=ReportStatus.DRAFT).first()
    client.force_login(staff)
    url = reverse("admin:council_statusreport_simple_history", args=[report.pk, draft.history_id])
    response = client.post(url, loaded_form(client, url), follow=True)
    assert "履歴から過去の版に戻せません" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
