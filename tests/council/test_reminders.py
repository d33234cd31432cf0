"""Reminders (`manage.py send_reminders`): liaisons whose report is not submitted, 7 and 1 days
before the deadline and once after it; a digest to each prefecture's staff; nothing new on a
second run; `--dry-run` sends nothing. 2023-Q1 (the seed's period taking reports) is due 2023-07-31."""

from datetime import date, datetime
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as django_mail
from django.core.management import CommandError, call_command

from council import services
from council.models import Notice, OutboxMail, ReminderLog, ReportingPeriod, Role, StatusReport
from council.reminders import stage_on
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEADLINE = date(2023, 7, 31)
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    "today, days, stage",
    [
        (date(2023, 7, 20), (7, 1), None),
        (date(2023, 7, 24), (7, 1), 7),
        (date(2023, 7, 26), (7, 1), 7),  # a missed run is caught up
        (date(2023, 7, 30), (7, 1), 1),
        (date(2023, 7, 31), (7, 1), 1),
        (date(2023, 7, 31), (7, 1, 0), 0),
        (date(2023, 8, 1), (7, 1), ReminderLog.OVERDUE),
        (date(2023, 12, 1), (7, 1), ReminderLog.OVERDUE),
        (date(2023, 7, 10), (30, 14), 30),
    ],
)
def test_the_stage_of_a_day(today, days, stage):
    assert stage_on(DEADLINE, today, days) == stage


@pytest.fixture
def team(seeded, hagi, ube, staff, liaison, other_liaison, other_council):
    for user in (staff, liaison, other_liaison, other_council.staff, other_council.liaison):
        user.email = f"{user.username}@example.jp"
        user.save()
    return SimpleNamespace(
        staff=staff,
        liaison=liaison,
        liaison2=UserFactory(username="liaison-hagi-2", role=Role.LIAISON, organisation=hagi),  # no address
        ube=other_liaison,
        hiroshima=other_council,
        q1=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1),
    )


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def reminded():
    return sorted(Notice.objects.filter(kind__startswith="reminder").values_list("kind", "user__username"))


def test_seven_days_before_the_liaisons_not_submitted_and_the_staff(team, hagi, ube):
    report = services.report_start(municipality=ube, period=team.q1, user=team.ube)
    services.report_submit(report=report, user=team.ube)  # 宇部市 is done, in time
    StatusReport.objects.filter(pk=report.pk).update(
        first_submitted_at=datetime(2023, 7, 20, 10, tzinfo=TOKYO)
    )
    output = run("--date", "2023-07-24")
    assert reminded() == [
        ("reminder", "hiroshima-liaison"),
        ("reminder", "liaison-hagi"),
        ("reminder", "liaison-hagi-2"),
        ("reminder_digest", "hiroshima-staff"),
        ("reminder_digest", "staff"),
    ]
    assert sorted(address for m in django_mail.outbox for address in m.to) == [
        "hiroshima-liaison@example.jp",
        "hiroshima-staff@example.jp",
        "liaison-hagi@example.jp",  # liaison-hagi-2 has no address: the notice only
        "staff@example.jp",
    ]
    notice = Notice.objects.get(user=team.liaison)
    assert notice.title == "【提出期限まで7日】令和5年度 第1四半期の状況報告"
    assert "萩市の令和5年度 第1四半期の状況報告がまだ提出されていません（現在: 未着手）" in notice.body
    assert "提出期限は令和5年7月31日(月)です（あと7日）" in notice.body
    digest = Notice.objects.get(user=team.staff)
    assert digest.title == "【提出状況】令和5年度 第1四半期: 未提出 18団体（提出期限の7日前）"
    assert "提出済: 1／19団体" in digest.body and "・萩市（未着手）" in digest.body
    assert "・宇部市" not in digest.body
    assert digest.url == "/reports/completeness/?period=2023-Q1"
    hiroshima_digest = Notice.objects.get(user=team.hiroshima.staff).body
    assert "未提出: 3団体" in hiroshima_digest and "萩市" not in hiroshima_digest
    assert "催促 2団体、提出状況のまとめ 2件" in output and "liaison-hagi <liaison-hagi@example.jp>" in output
    assert "5名にお知らせしました。メール 4通（未送信 0通）。" in output


def test_running_twice_sends_nothing_new_and_each_stage_goes_once(team):
    run("--date", "2023-07-24")
    sent = (Notice.objects.count(), OutboxMail.objects.count(), len(django_mail.outbox))
    run("--date", "2023-07-24")
    run("--date", "2023-07-25")  # still the 7-day stage
    assert (Notice.objects.count(), OutboxMail.objects.count(), len(django_mail.outbox)) == sent

    run("--date", "2023-07-30")
    assert Notice.objects.filter(user=team.liaison, title__startswith="【提出期限まで1日】").count() == 1
    run("--date", "2023-07-31")  # the 1-day stage was sent the day before
    assert Notice.objects.filter(user=team.liaison).count() == 2

    run("--date", "2023-08-01")
    run("--date", "2023-08-02")
    overdue = Notice.objects.filter(user=team.liaison, kind="reminder_overdue")
    assert overdue.count() == 1
    assert overdue.get().title == "【期限超過】令和5年度 第1四半期の状況報告"
    assert "提出期限（令和5年7月31日(月)）を過ぎましたが" in overdue.get().body
    assert Notice.objects.filter(user=team.staff, title__contains="提出期限後").count() == 1
    assert set(ReminderLog.objects.filter(organisation__slug="hagi").values_list("stage", flat=True)) == {
        7,
        1,
        -1,
    }


def test_dry_run_lists_who_would_be_told_and_sends_nothing(team):
    output = run("--date", "2023-07-24", "--dry-run")
    assert "萩市 連絡担当者（未提出の催促）" in output
    assert "liaison-hagi <liaison-hagi@example.jp>" in output
    assert "liaison-hagi-2 （メールアドレスなし: ポータルのお知らせのみ）" in output
    assert "山口県 県職員（提出状況のまとめ）" in output and "staff <staff@example.jp>" in output
    assert "--dry-run: 送信していません" in output
    assert (
        not Notice.objects.exists() and not OutboxMail.objects.exists() and not ReminderLog.objects.exists()
    )
    assert django_mail.outbox == []
    run("--date", "2023-07-24")  # the real run afterwards still sends
    assert Notice.objects.filter(user=team.liaison).count() == 1


def test_a_returned_report_is_reminded_a_submitted_or_approved_one_is_not(team, hagi, ube):
    for organisation, liaison in ((hagi, team.liaison), (ube, team.ube)):
        report = services.report_start(municipality=organisation, period=team.q1, user=liaison)
        services.report_submit(report=report, user=liaison)
    services.report_return(report=hagi.reports.get(period=team.q1), user=team.staff, comment="修正を")
    services.report_approve(report=ube.reports.get(period=team.q1), user=team.staff)
    run("--date", "2023-07-30")
    assert "（現在: 差戻し）" in Notice.objects.get(user=team.liaison).body
    assert not Notice.objects.filter(user=team.ube).exists()


def test_closed_periods_and_periods_without_a_deadline_are_not_reminded(team):
    ReportingPeriod.objects.filter(pk=team.q1.pk).update(accepting_reports=False)
    assert "催促 0団体、提出状況のまとめ 0件" in run("--date", "2023-08-01")
    ReportingPeriod.objects.filter(pk=team.q1.pk).update(accepting_reports=True, submission_deadline=None)
    assert "催促 0団体、提出状況のまとめ 0件" in run("--date", "2023-08-01")
    assert not Notice.objects.exists()


def test_days_are_configurable(team, settings):
    settings.REMINDER_DAYS_BEFORE = [14]
    run("--date", "2023-07-20")
    assert Notice.objects.get(user=team.liaison).title == "【提出期限まで11日】令和5年度 第1四半期の状況報告"
    run("--date", "2023-07-31", "--days", "0")
    assert Notice.objects.filter(
        user=team.liaison, title="【本日提出期限】令和5年度 第1四半期の状況報告"
    ).exists()


def test_bad_options_are_refused(team):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "2023/07/24")
    with pytest.raises(CommandError, match="カンマ区切り"):
        run("--days", "7日")


def test_a_reminder_arrives_over_smtp(team, mail_server, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.lg.jp"
    report = services.report_start(
        municipality=team.liaison.portal_profile.organisation, period=team.q1, user=team.liaison
    )
    run("--date", "2023-08-01")
    [received] = [r for r in mail_server.received if r.recipients == ["liaison-hagi@example.jp"]]
    assert received.subject == "【期限超過】令和5年度 第1四半期の状況報告"
    assert "萩市の令和5年度 第1四半期の状況報告がまだ提出されていません（現在: 作成中）" in received.text
    assert f"ポータルで開く: https://portal.example.lg.jp/reports/{report.pk}/" in received.text
    assert len(mail_server.received) == 5  # 萩市, 宇部市 and 広島's town's liaisons, both councils' staff
    run("--date", "2023-08-01")
    assert len(mail_server.received) == 5
