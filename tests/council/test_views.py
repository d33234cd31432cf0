"""Pages as each role sees them: the role × URL matrix, forms, bad input."""

import pytest
from django.urls import reverse

from council import services
from council.models import DXStructure, ReportingPeriod, ReportStatus, StatusReport

ROLES = ["anonymous", "staff", "liaison", "member"]


@pytest.fixture
def users(staff, liaison, member):
    return {"anonymous": None, "staff": staff, "liaison": liaison, "member": member}


@pytest.fixture
def own_draft(hagi, liaison):
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    return services.report_start(municipality=hagi, period=period, user=liaison)


@pytest.fixture
def other_draft(ube, other_liaison):
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    return services.report_start(municipality=ube, period=period, user=other_liaison)


def matrix_cases():
    # url name, kwargs key, expected status for anonymous / staff / liaison / member
    return [
        ("home", None, [302, 200, 200, 200]),
        ("reports:list", None, [302, 200, 200, 404]),
        ("reports:review", None, [302, 200, 404, 404]),
        ("reports:completeness", None, [302, 200, 404, 404]),
        ("reports:detail", "own", [302, 200, 200, 404]),
        ("reports:detail", "other", [302, 200, 404, 404]),
        ("reports:section", "own", [302, 200, 200, 404]),
        ("reports:section", "other", [302, 200, 404, 404]),
        ("reports:submit", "own", [302, 200, 200, 404]),
        ("reports:submit", "other", [302, 200, 404, 404]),
        ("reports:review_report", "own", [302, 200, 404, 404]),
        ("reports:review_report", "other", [302, 200, 404, 404]),
        ("council:dashboard", None, [302, 200, 200, 200]),
        ("council:export", None, [302, 200, 404, 404]),
        ("healthz", None, [200, 200, 200, 200]),
        ("ping", None, [302, 200, 200, 200]),
        ("admin:index", None, [302, 200, 302, 302]),
        ("admin:council_statusreport_changelist", None, [302, 200, 302, 302]),
        ("login", None, [200, 302, 302, 302]),
    ]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_role_url_matrix(client, users, own_draft, other_draft, role_index, role):
    if users[role]:
        client.force_login(users[role])
    failures = []
    for name, which, expected in matrix_cases():
        kwargs = {}
        if which:
            report = own_draft if which == "own" else other_draft
            kwargs = {"pk": report.pk}
            if name == "reports:section":
                kwargs["section"] = "dx"
        url = reverse(name, kwargs=kwargs)
        status = client.get(url).status_code
        if status != expected[role_index]:
            failures.append(f"{role} GET {url}: {status}, expected {expected[role_index]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("action", ["submit", "approve", "return", "reopen", "withdraw", "comment"])
def test_posting_to_another_municipalitys_report_is_404_and_changes_nothing(
    client, liaison, other_draft, action
):
    client.force_login(liaison)
    before = StatusReport.objects.get(pk=other_draft.pk).status
    response = client.post(reverse(f"reports:{action}", args=[other_draft.pk]), {"comment": "x"})
    assert response.status_code == 404
    assert StatusReport.objects.get(pk=other_draft.pk).status == before


def test_liaison_cannot_save_another_municipalitys_section(client, liaison, other_draft):
    client.force_login(liaison)
    response = client.post(
        reverse("reports:section", args=[other_draft.pk, "dx"]),
        {"department": "乗っ取り", "policy": "none", "expected_version": 1},
    )
    assert response.status_code == 404
    assert DXStructure.objects.get(report=other_draft).department != "乗っ取り"


def test_anonymous_sees_only_the_login_page(client):
    response = client.get("/council/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    page = client.get("/accounts/login/").content.decode()
    assert "ログイン" in page and "ユーザー名" in page


def test_login_with_wrong_password_says_so_in_japanese(client, liaison):
    response = client.post("/accounts/login/", {"username": "liaison-hagi", "password": "wrong"})
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()


def form_data(**overrides):
    data = {
        "department": "DX推進室",
        "policy": "established",
        "policy_planned_fiscal_year": "",
        "promotion_body": "萩市DX推進本部",
        "has_external_talent": "on",
        "external_talent_count": "2",
        "has_it_hires": "on",
        "it_hires_count": "1",
        "expected_version": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_liaison_edits_and_submits(client, liaison, own_draft):
    client.force_login(liaison)
    url = reverse("reports:section", args=[own_draft.pk, "dx"])
    page = client.get(url).content.decode()
    assert 'name="expected_version"' in page and "担当所属" in page
    response = client.post(url, form_data())
    assert response.status_code == 302
    dx = DXStructure.objects.get(report=own_draft)
    assert (dx.external_talent_count, dx.version) == (2, 2)
    response = client.post(reverse("reports:submit", args=[own_draft.pk]), follow=True)
    assert "報告を提出しました" in response.content.decode()
    own_draft.refresh_from_db()
    assert own_draft.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"external_talent_count": "-1"}, "人数は1名以上"),
        ({"external_talent_count": "100000"}, "999名以下"),
        ({"external_talent_count": "たくさん"}, "整数を入力してください"),
        ({"has_external_talent": None, "external_talent_count": "2"}, "チェックを入れてください"),
        ({"policy": "planned"}, "策定予定の年度を入力してください"),
        ({"policy": "bogus"}, "正しく選択してください"),
        ({"policy": "planned", "policy_planned_fiscal_year": "1900"}, "正しく選択してください"),
        ({"expected_version": "-1"}, "再読み込み"),
        ({"expected_version": None}, "再読み込み"),
        ({"department": "課" * 101}, "100 文字以下"),
    ],
)
def test_bad_input_gets_a_japanese_message_and_writes_nothing(client, liaison, own_draft, overrides, message):
    client.force_login(liaison)
    before = DXStructure.objects.get(report=own_draft)
    response = client.post(reverse("reports:section", args=[own_draft.pk, "dx"]), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    after = DXStructure.objects.get(report=own_draft)
    assert (after.version, after.content()) == (before.version, before.content())


def test_stale_form_gets_a_conflict_and_loses_nothing(client, liaison, staff, own_draft):
    url = reverse("reports:section", args=[own_draft.pk, "dx"])
    client.force_login(staff)
    assert client.post(url, form_data(department="県が先に保存")).status_code == 302
    client.force_login(liaison)
    response = client.post(url, form_data(department="市が後から保存"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "保存されていません" in page
    assert "県が先に保存" in page  # what the other person saved is shown
    assert 'value="市が後から保存"' in page  # and what this person typed is still in the form
    assert DXStructure.objects.get(report=own_draft).department == "県が先に保存"
    # saving again, now knowingly, works
    response = client.post(url, form_data(department="市が後から保存", expected_version="2"))
    assert response.status_code == 302
    assert DXStructure.objects.get(report=own_draft).department == "市が後から保存"


def test_a_save_refused_because_the_report_changed_state_keeps_what_was_typed(
    client, liaison, staff, own_draft
):
    """A colleague submits the report while the liaison is typing: the save is refused with the
    reason, the typed values stay in the form (nothing written); once staff return the report, the
    same page saves them."""
    url = reverse("reports:section", args=[own_draft.pk, "dx"])
    client.force_login(liaison)
    version = DXStructure.objects.get(report=own_draft).version
    assert client.get(url).status_code == 200
    services.report_submit(report=own_draft, user=liaison)  # meanwhile, in another tab or by a colleague
    before = DXStructure.objects.get(report=own_draft).content()
    response = client.post(url, form_data(department="入力した部署", promotion_body="入力した本部"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "この報告は「提出済」のため編集できません" in page  # the reason
    assert "入力した内容は保存されていません" in page
    assert 'value="入力した部署"' in page and 'value="入力した本部"' in page  # what was typed
    assert DXStructure.objects.get(report=own_draft).content() == before
    services.report_return(report=own_draft, user=staff, comment="人数を確認してください")
    response = client.post(url, form_data(department="入力した部署", expected_version=str(version)))
    assert response.status_code == 302
    assert DXStructure.objects.get(report=own_draft).department == "入力した部署"


def test_editing_an_approved_report_is_refused(client, liaison, staff, hagi):
    approved = StatusReport.objects.get(municipality=hagi, period__fiscal_year=2022)
    client.force_login(staff)
    url = reverse("reports:section", args=[approved.pk, "dx"])
    response = client.post(url, form_data(department="変更"), follow=True)
    assert "承認済" in response.content.decode() and "再開" in response.content.decode()
    assert DXStructure.objects.get(report=approved).department == "DX推進室"


def test_staff_returns_with_comment_and_liaison_sees_it(client, liaison, staff, own_draft):
    services.report_submit(report=own_draft, user=liaison)
    client.force_login(staff)
    response = client.post(reverse("reports:return", args=[own_draft.pk]), {"comment": ""}, follow=True)
    assert "差戻しの理由（コメント）を入力してください" in response.content.decode()
    own_draft.refresh_from_db()
    assert own_draft.status == ReportStatus.SUBMITTED
    client.post(reverse("reports:return", args=[own_draft.pk]), {"comment": "人数を確認してください"})
    client.force_login(liaison)
    home = client.get("/").content.decode()
    assert "人数を確認してください" in home
    assert "人数を確認してください" in client.get(own_draft.get_absolute_url()).content.decode()


def test_replayed_submit_is_refused(client, liaison, own_draft):
    client.force_login(liaison)
    client.post(reverse("reports:submit", args=[own_draft.pk]))
    response = client.post(reverse("reports:submit", args=[own_draft.pk]), follow=True)
    assert "「提出済」の報告は提出できません" in response.content.decode()
    assert own_draft.events.filter(action="submit").count() == 1


def test_completeness_shows_status_per_municipality(client, staff, liaison, own_draft):
    services.report_submit(report=own_draft, user=liaison)
    client.force_login(staff)
    page = client.get(reverse("reports:completeness") + "?period=2023-Q1").content.decode()
    assert "1/19" in page  # 萩市 submitted out of 19
    assert page.count("期限超過") >= 18  # the 2023-07-31 deadline has passed for the others
    assert "期限後に提出" in page  # 萩市 submitted now, after the deadline
    page = client.get(reverse("reports:completeness") + "?period=2022-Q4").content.decode()
    assert "19/19" in page


def test_dashboard_reads_approved_data_only(client, member, liaison, staff, own_draft):
    services.section_save(
        report=own_draft,
        section=__import__("council.framework.registry", fromlist=["sections"]).sections.get("dx"),
        data={"has_external_talent": True, "external_talent_count": 5},
        expected_version=1,
        user=liaison,
    )
    services.report_submit(report=own_draft, user=liaison)
    client.force_login(member)
    page = client.get("/council/?period=2023-Q1").content.decode()
    assert "○(5名)" not in page and "承認済みの報告 0／19団体" in page  # submitted is not approved
    services.report_approve(report=own_draft, user=staff)
    page = client.get("/council/?period=2023-Q1").content.decode()
    assert "○(5名)" in page and "承認済みの報告 1／19団体" in page


def test_dashboard_defaults_to_latest_approved_period(client, member):
    client.force_login(member)
    page = client.get("/council/").content.decode()
    assert "令和5年3月末時点" in page
    assert 'src="/static/vendor/plotly/plotly-cartesian.min.js"' in page
    assert "<script>" not in page  # no inline script: figures travel as JSON
    assert 'type="application/json"' in page


def test_unknown_period_is_404(client, member):
    client.force_login(member)
    assert client.get("/council/?period=1999-Q9").status_code == 404
    assert client.get("/council/?period=2030-Q1").status_code == 404


def test_plotly_is_served_by_the_portal(client, member):
    client.force_login(member)
    response = client.get("/static/vendor/plotly/plotly-cartesian.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) > 1_000_000


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("former", "key"),
    [("dx-structure", "dx"), ("online-procedures", "online_procedures"), ("analog-review", "analog_review")],
)
def test_a_section_bookmarked_under_its_former_key_still_opens(client, liaison, former, key):
    """Each agenda app has one key everywhere now; links saved before keep working."""
    client.force_login(liaison)
    response = client.get(f"/reports/42/{former}/")
    assert response.status_code == 301 and response["Location"] == f"/reports/42/{key}/"
