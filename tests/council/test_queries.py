"""Every page runs the same number of queries with 19 municipalities as with 200."""

import pytest
from django.urls import reverse

from council import services
from council.models import ReportingPeriod, StatusReport
from council.notices import News, notify


@pytest.fixture
def pages(hagi, ube, liaison, staff, member):
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    draft = services.report_start(municipality=hagi, period=q1, user=liaison)
    services.report_submit(report=draft, user=liaison)
    services.report_comment(report=draft, user=staff, comment="確認します")
    approved = StatusReport.objects.get(municipality=hagi, period__fiscal_year=2022)
    for n in range(3):  # each user's home page lists their unread notices
        notify([staff, liaison, member], News("test", f"お知らせ{n}", "本文", draft.get_absolute_url()))
    ube_draft = services.report_start(municipality=ube, period=q1, user=staff)
    return [
        (staff, reverse("home")),
        (liaison, reverse("home")),
        (member, reverse("home")),
        (staff, reverse("notices:list")),
        (liaison, reverse("notices:list")),
        (staff, reverse("reports:list")),
        (liaison, reverse("reports:list")),
        (staff, reverse("reports:review")),
        (staff, reverse("reports:completeness") + "?period=2022-Q4"),
        (staff, reverse("reports:detail", args=[approved.pk])),
        (liaison, reverse("reports:detail", args=[draft.pk])),
        (staff, reverse("reports:review_report", args=[draft.pk])),
        (staff, reverse("reports:submit", args=[ube_draft.pk])),
        (staff, reverse("council:dashboard")),
        (member, reverse("council:dashboard")),
        (liaison, reverse("council:dashboard")),
        (staff, reverse("council:export")),
        (staff, reverse("admin:council_statusreport_changelist")),
        (staff, reverse("admin:council_municipality_changelist")),
        (staff, reverse("admin:council_dxstructure_changelist")),
        (staff, reverse("admin:council_statusreport_change", args=[approved.pk])),
    ]


def measure(client, count_queries, pages):
    counts = {}
    for user, url in pages:
        client.force_login(user)
        _get_ok(client, url)  # warm per-process caches (content types, permissions) first
        counts[(user.username, url)] = count_queries(lambda url=url: _get_ok(client, url))
    return counts


def _get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def test_query_counts_do_not_grow_with_municipalities(client, count_queries, pages, grow_prefecture):
    at_19 = measure(client, count_queries, pages)
    grow_prefecture(181)
    at_200 = measure(client, count_queries, pages)
    assert at_200 == at_19
    # and stay small: a page is a handful of queries, not one per municipality; the admin's change
    # form runs a few per registered section inline
    portal = {k: v for k, v in at_19.items() if not k[1].startswith("/admin/")}
    admin = {k: v for k, v in at_19.items() if k[1].startswith("/admin/")}
    assert max(portal.values()) <= 25, portal
    assert max(admin.values()) <= 40, admin


def test_grown_dashboard_shows_all_200(client, member, grow_prefecture):
    grow_prefecture(181)
    client.force_login(member)
    page = client.get(reverse("council:dashboard")).content.decode()
    assert "承認済みの報告 200／200団体" in page


def test_report_pages_do_not_grow_with_the_conversation(client, count_queries, hagi, liaison, staff):
    """The report page, the review page and the confirmation run the same queries with one comment
    as with thirty comments and staff edits (代理入力) in the history."""
    from council.framework import registry

    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    services.report_comment(report=report, user=liaison, comment="最初のコメント")
    pages = [
        (liaison, reverse("reports:detail", args=[report.pk])),
        (staff, reverse("reports:detail", args=[report.pk])),
        (staff, reverse("reports:review_report", args=[report.pk])),
        (liaison, reverse("reports:submit", args=[report.pk])),
    ]
    few = measure(client, count_queries, pages)
    dx = registry.sections.get("dx")
    for i in range(10):
        services.report_comment(report=report, user=staff, comment=f"質問 {i}")
        services.report_comment(report=report, user=liaison, comment=f"回答 {i}")
        section = dx.instance_for(report)
        data = {name: getattr(section, name) for name in section.content_fields()}
        services.section_save(
            report=report,
            section=dx,
            data=data | {"department": f"県の入力 {i}"},
            expected_version=section.version,
            user=staff,
        )
    many = measure(client, count_queries, pages)
    assert report.events.count() >= 31
    assert many == few
