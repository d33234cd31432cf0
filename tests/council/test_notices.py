"""Notices (`council.notices`): who is told of a report's status change, a comment and a period
opened; each as a notice on the home page and a mail to those with an address, scoped to the
report's organisation and prefecture."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.urls import reverse

from council import notices, services
from council.models import Notice, ReportingPeriod, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(seeded, hagi, ube, staff, liaison, other_liaison, other_council):
    """山口県's staff (two with addresses, one without, one inactive), 萩市's two liaisons, 宇部市's
    liaison, and 広島県's staff and liaison: everyone with an address unless said."""
    for user in (staff, liaison, other_liaison, other_council.staff, other_council.liaison):
        user.email = f"{user.username}@example.jp"
        user.save()
    return SimpleNamespace(
        staff=staff,
        staff2=UserFactory(
            username="staff2", email="staff2@example.jp", role=Role.STAFF, organisation=seeded
        ),
        staff_no_address=UserFactory(username="staff3", role=Role.STAFF, organisation=seeded),
        staff_inactive=UserFactory(
            username="staff4",
            email="staff4@example.jp",
            is_active=False,
            role=Role.STAFF,
            organisation=seeded,
        ),
        liaison=liaison,
        liaison2=UserFactory(
            username="liaison-hagi-2", email="hagi2@example.jp", role=Role.LIAISON, organisation=hagi
        ),
        ube=other_liaison,
        hiroshima=other_council,
        member=UserFactory(
            username="member", email="member@example.jp", role=Role.MEMBER, organisation=seeded
        ),
    )


def told(kind):
    return set(Notice.objects.filter(kind=kind).values_list("user__username", flat=True))


def mailed(subject_part):
    return sorted(address for m in django_mail.outbox if subject_part in m.subject for address in m.to)


def test_submitted_tells_the_prefectures_staff(team, hagi, q1, django_capture_on_commit_callbacks):
    report = services.report_start(municipality=hagi, period=q1, user=team.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=team.liaison)
    assert told("report_submitted") == {"staff", "staff2", "staff3"}  # not the inactive one, nor 広島県's
    assert mailed("【提出】") == ["staff2@example.jp", "staff@example.jp"]  # staff3 has no address
    [message, _] = django_mail.outbox
    assert message.subject == "【提出】萩市 令和5年度 第1四半期の状況報告"
    assert "萩市の令和5年度 第1四半期の状況報告が提出されました（提出者: liaison-hagi、" in message.body
    assert f"http://127.0.0.1:8000/reports/{report.pk}/" in message.body
    assert message.body.startswith("staff 様\n")
    assert "承認または差戻し" in message.body


def test_returned_tells_the_organisations_liaisons_with_the_comment(
    team, hagi, q1, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://portal.example.lg.jp"
    report = services.report_start(municipality=hagi, period=q1, user=team.liaison)
    services.report_submit(report=report, user=team.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(
            report=report, user=team.staff, comment="外部人材の人数を <確認> & 修正してください。"
        )
    assert told("report_returned") == {"liaison-hagi", "liaison-hagi-2"}  # not 宇部市's, not staff
    assert mailed("【差戻し】") == ["hagi2@example.jp", "liaison-hagi@example.jp"]
    body = django_mail.outbox[0].body
    assert (
        "差戻しコメント:\n外部人材の人数を <確認> & 修正してください。" in body
    )  # as typed, not HTML-escaped
    assert f"https://portal.example.lg.jp/reports/{report.pk}/" in body
    assert "提出期限: 令和5年7月31日(月)" in body
    notice = Notice.objects.get(user=team.liaison, kind="report_returned")
    assert notice.url == f"/reports/{report.pk}/" and "外部人材の人数" in notice.body


def test_approved_and_reopened_tell_the_liaisons(team, hagi, q1, django_capture_on_commit_callbacks):
    report = services.report_start(municipality=hagi, period=q1, user=team.liaison)
    services.report_submit(report=report, user=team.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=team.staff)
        services.report_reopen(report=report, user=team.staff2, comment="資料7の人数を訂正します。")
    assert told("report_approved") == told("report_reopened") == {"liaison-hagi", "liaison-hagi-2"}
    reopened = Notice.objects.get(user=team.liaison, kind="report_reopened")
    assert "資料7の人数を訂正します。" in reopened.body and "staff2" in reopened.body
    assert mailed("【承認】") == mailed("【再開】") == ["hagi2@example.jp", "liaison-hagi@example.jp"]


def test_the_actor_is_not_told_of_their_own_action(team, hagi, q1, django_capture_on_commit_callbacks):
    report = services.report_start(municipality=hagi, period=q1, user=team.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=team.staff)  # staff file it on the liaison's behalf
    assert told("report_submitted") == {"staff2", "staff3"}


def test_the_systems_changes_tell_nobody(hagi, q1, team, django_capture_on_commit_callbacks):
    report = services.report_start(municipality=hagi, period=q1, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=None)
        services.report_approve(report=report, user=None)
    assert not Notice.objects.exists() and django_mail.outbox == []


def test_a_withdrawal_tells_the_staff(team, hagi, q1, django_capture_on_commit_callbacks):
    """The review conversation's withdraw (a liaison takes back a submitted report) reaches staff."""
    report = services.report_start(municipality=hagi, period=q1, user=team.liaison)
    report.events.create(action="withdraw", to_status="draft", user=team.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        from council.signals import report_status_changed

        report_status_changed.send(sender=type(report), report=report, action="withdraw")
    assert told("report_withdrawn") == {"staff", "staff2", "staff3"}


@pytest.mark.parametrize(
    "author, expected",
    [("staff", {"liaison-hagi", "liaison-hagi-2"}), ("liaison", {"staff", "staff2", "staff3"})],
)
def test_a_comment_tells_the_other_side(team, hagi, q1, author, expected, django_capture_on_commit_callbacks):
    report = services.report_start(municipality=hagi, period=q1, user=team.liaison)
    with django_capture_on_commit_callbacks(execute=True):  # the thread's own service, as a user posts
        services.report_comment(
            report=report, user=getattr(team, author), comment="人数の根拠を教えてください。"
        )
    assert told("comment") == expected
    notice = Notice.objects.filter(kind="comment").first()
    assert notice.title == "【コメント】萩市 令和5年度 第1四半期の状況報告"
    assert "人数の根拠を教えてください。" in notice.body and notice.url == f"/reports/{report.pk}/"


def test_a_council_member_cannot_comment_and_nobody_is_told(
    team, hagi, q1, django_capture_on_commit_callbacks
):
    report = services.report_start(municipality=hagi, period=q1, user=team.liaison)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.ReportError):
        services.report_comment(report=report, user=team.member, comment="x")
    assert not Notice.objects.exists()


def test_a_period_opened_tells_every_liaison_with_its_deadline(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        period = ReportingPeriod.objects.create(
            fiscal_year=2023, quarter=2, as_of=date(2023, 9, 30), submission_deadline=date(2023, 10, 31)
        )
    assert not Notice.objects.exists()  # created closed
    with django_capture_on_commit_callbacks(execute=True):
        period.accepting_reports = True
        period.save()
    assert told("period_opened") == {"liaison-hagi", "liaison-hagi-2", "liaison-ube", "hiroshima-liaison"}
    notice = Notice.objects.get(user=team.liaison, kind="period_opened")
    assert notice.title == "【受付開始】令和5年度 第2四半期の状況報告"
    assert "提出期限: 令和5年10月31日(火)" in notice.body
    assert len(mailed("【受付開始】")) == 4
    with django_capture_on_commit_callbacks(execute=True):
        period.submission_deadline = date(2023, 11, 7)
        period.save()  # still open: nothing new
    assert Notice.objects.filter(kind="period_opened").count() == 4


def test_a_period_opened_by_creation_and_never_by_the_seed(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ReportingPeriod.objects.create(
            fiscal_year=2023, quarter=3, as_of=date(2023, 12, 31), accepting_reports=True
        )
    assert "提出期限: 未定" in Notice.objects.get(user=team.liaison).body
    Notice.objects.all().delete()
    ReportingPeriod.objects.filter(fiscal_year=2023, quarter=1).update(accepting_reports=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed", verbosity=0)  # loads periods.json again, 2023-Q1 accepting
    assert ReportingPeriod.objects.get(fiscal_year=2023, quarter=1).accepting_reports
    assert not Notice.objects.exists()


def test_a_failing_notice_never_fails_the_action(
    client, team, hagi, q1, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("notices broken")

    monkeypatch.setattr(notices, "notify", broken)
    report = services.report_start(municipality=hagi, period=q1, user=team.liaison)
    client.force_login(team.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"


# the home page ----------------------------------------------------------------------------------------


@pytest.fixture
def returned(team, hagi, ube, q1, django_capture_on_commit_callbacks):
    """萩市's and 宇部市's reports submitted (a notice each for the staff) and returned (a notice
    for their liaisons)."""
    reports = {}
    for organisation, liaison in ((hagi, team.liaison), (ube, team.ube)):
        report = services.report_start(municipality=organisation, period=q1, user=liaison)
        with django_capture_on_commit_callbacks(execute=True):
            services.report_submit(report=report, user=liaison)
            services.report_return(report=report, user=team.staff, comment=f"{organisation.name}への差戻し")
        reports[organisation.slug] = report
    return reports


def test_the_home_page_shows_a_users_own_notices_only(client, team, returned):
    client.force_login(team.liaison)
    home = client.get("/").content.decode()
    assert "お知らせ（未読 1件）" in home
    assert "【差戻し】萩市 令和5年度 第1四半期の状況報告" in home
    assert "宇部市" not in home  # 宇部市's notice is not 萩市's liaison's
    listing = client.get(reverse("notices:list")).content.decode()
    assert "萩市への差戻し" in listing and "宇部市への差戻し" not in listing

    client.force_login(team.staff)
    home = client.get("/").content.decode()
    assert "【提出】萩市" in home and "【提出】宇部市" in home and "【差戻し】" not in home


def test_opening_a_notice_marks_it_read_and_leads_to_the_report(client, team, returned):
    notice = Notice.objects.get(user=team.liaison)
    client.force_login(team.liaison)
    response = client.get(notice.get_absolute_url())
    assert response.status_code == 302 and response.url == returned["hagi"].get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None
    home = client.get("/").content.decode()
    assert "新しいお知らせはありません。" in home and "【差戻し】萩市" not in home
    assert "【差戻し】萩市" in client.get(reverse("notices:list")).content.decode()  # still listed, read


def test_another_users_notice_is_a_404(client, team, returned):
    theirs = Notice.objects.get(user=team.ube)
    client.force_login(team.liaison)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.post(reverse("notices:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_notices_read(client, team, returned):
    client.force_login(team.staff)
    mine = Notice.objects.filter(user=team.staff)
    first = mine.order_by("pk").first()
    response = client.post(reverse("notices:read", args=[first.pk]))
    assert response.status_code == 302
    assert list(mine.unread().values_list("pk", flat=True)) == list(
        mine.exclude(pk=first.pk).values_list("pk", flat=True)
    )
    response = client.post(reverse("notices:read_all"), {"next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert not mine.unread().exists()
    assert Notice.objects.filter(user=team.staff2).unread().count() == 2  # another user's are untouched
    response = client.post(reverse("notices:read_all"), {"next": "https://evil.example/"})
    assert response.url == reverse("notices:list")


def test_the_home_page_lists_five_and_counts_the_rest(client, team):
    for n in range(7):
        Notice.objects.create(user=team.liaison, kind="test", title=f"お知らせ{n}", url="/")
    client.force_login(team.liaison)
    home = client.get("/").content.decode()
    assert "お知らせ（未読 7件）" in home and "未読の残り 2件" in home
    assert "お知らせ6" in home and "お知らせ1" not in home  # newest first


def test_telling_many_people_costs_no_more_queries_than_telling_a_few(team, hagi, count_queries):
    period = ReportingPeriod.objects.create(
        fiscal_year=2023, quarter=4, as_of=date(2024, 3, 31), submission_deadline=date(2024, 4, 30)
    )
    few = count_queries(lambda: notices.tell_period_opened(period))
    for n in range(40):
        UserFactory(
            username=f"extra-{n}", email=f"extra-{n}@example.jp", role=Role.LIAISON, organisation=hagi
        )
    many = count_queries(lambda: notices.tell_period_opened(period))
    assert many == few
    assert Notice.objects.filter(kind="period_opened").count() == 4 + 4 + 40


def test_a_period_opened_in_the_admin(client, team, django_capture_on_commit_callbacks):
    period = ReportingPeriod.objects.create(fiscal_year=2023, quarter=2, as_of=date(2023, 9, 30))
    client.force_login(team.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:council_reportingperiod_change", args=[period.pk]),
            {
                "fiscal_year": 2023,
                "quarter": 2,
                "as_of": "2023-09-30",
                "submission_deadline": "2023-10-31",
                "accepting_reports": "on",
            },
        )
    assert response.status_code == 302
    assert told("period_opened") == {"liaison-hagi", "liaison-hagi-2", "liaison-ube", "hiroshima-liaison"}
    assert "提出期限: 令和5年10月31日(火)" in Notice.objects.get(user=team.ube).body
