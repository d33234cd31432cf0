"""The seeded history tells the truth: reports dated when they were filed (on time), materials frozen
before the meeting, and the demo's open period is the quarter of the day it starts."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from council.management.commands.create_demo_accounts import open_current_period
from council.models import Material, ReportEvent, ReportingPeriod, ReportStatus, StatusReport

MEETING = datetime(2023, 5, 11, 9, 30, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_seeded_reports_are_dated_on_time_and_before_the_meeting(seeded):
    reports = StatusReport.objects.filter(status=ReportStatus.APPROVED).select_related("period")
    assert reports.count() == 38  # 19 municipalities × R4.4 and R5.4
    for report in reports:
        deadline = report.period.submission_deadline
        assert report.created_at <= report.first_submitted_at <= report.decided_at
        assert timezone.localdate(report.first_submitted_at) <= deadline, report
        assert report.decided_at < MEETING, report
    for event in ReportEvent.objects.filter(report__in=reports).select_related("report__period"):
        assert event.at < MEETING, (event.action, event.report)


def test_the_completeness_page_says_they_were_submitted_on_time(client, staff):
    client.force_login(staff)
    page = client.get(reverse("reports:completeness") + "?period=2022-Q4").content.decode()
    assert re.search(r'kpi-value">0</span><span class="kpi-label">期限後に提出', page)
    assert page.count("期限内") >= 19 and "期限後に提出</td>" not in page


def test_the_seeded_materials_were_frozen_before_the_meeting(seeded):
    frozen = Material.objects.filter(meeting__fiscal_year=2023, meeting__number=1)
    assert frozen.count() == 8
    assert all(m.frozen_at is not None and m.frozen_at <= MEETING for m in frozen)


def test_the_demo_opens_the_quarter_of_today_with_a_deadline_ahead(seeded):
    period = open_current_period(date(2026, 11, 26))
    assert (period.fiscal_year, period.quarter) == (2026, 3)
    assert period.as_of == date(2026, 12, 31) and period.submission_deadline == date(2027, 1, 31)
    assert list(ReportingPeriod.objects.filter(accepting_reports=True)) == [period]
    # January–March is the fourth quarter of the fiscal year before; the next month ends on the 30th
    q4 = open_current_period(date(2027, 2, 10))
    assert (q4.fiscal_year, q4.quarter, q4.as_of, q4.submission_deadline) == (
        2026,
        4,
        date(2027, 3, 31),
        date(2027, 4, 30),
    )


def test_the_demo_s_first_screen_shows_no_overdue_reports(client, seeded, settings, django_user_model):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    client.force_login(django_user_model.objects.get(username="prefecture"))
    page = client.get("/").content.decode()
    assert re.search(r'kpi-value">0</span><span class="kpi-label">期限超過・未提出', page)
    today = timezone.localdate()
    current = ReportingPeriod.objects.get(accepting_reports=True)
    assert current.submission_deadline > today and current.bounds[0] <= today <= current.bounds[1]
    assert current.label in page
