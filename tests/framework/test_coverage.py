"""Coverage is never silent: a dashboard opens on the latest period whose expected reports are all
approved (or the one staff chose for the next meeting); a partial period says so in its heading and
beside its totals; the national view follows the same rule per prefecture."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from council import services
from council.models import Material, Meeting, Municipality
from tests.framework.test_national import hiroshima, national_member, national_rows  # noqa: F401

DEFAULT_DASHBOARDS = ["standardization:dashboard", "online_procedures:dashboard", "council:dashboard"]


@pytest.fixture
def one_approved_in_q1(hagi, liaison, staff, q1):
    """One municipality's report of the new quarter approved (its sections carried forward)."""
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    return report


def next_meeting(period_key: str, app_label: str = "dx", *, days: int = 7) -> Material:
    meeting = Meeting.objects.create(
        fiscal_year=2026,
        number=Meeting.objects.count() + 2,
        held_at=timezone.now() + timedelta(days=days),
        organiser=Municipality.objects.get(code="350001"),
    )
    return Material.objects.create(
        meeting=meeting, number=7, title="市町のDX推進体制等", app_label=app_label, period_key=period_key
    )


def heading(page: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)


@pytest.mark.parametrize("name", DEFAULT_DASHBOARDS)
def test_one_approval_in_a_new_quarter_leaves_the_default_on_the_last_complete_one(
    client, member, one_approved_in_q1, name
):
    client.force_login(member)
    page = client.get(reverse(name)).content.decode()
    assert "令和4年度 第4四半期" in page.split('class="as-of"')[1].split("</p>")[0]
    assert "承認済み 19/19団体" in page
    assert "承認済み 1/19団体" not in heading(page)
    assert "全団体の報告が承認済みの最新の期間を表示しています" in page
    # the new quarter stays selectable, and the selector says how complete it is
    assert re.search(r'<option value="2023-Q1"[^>]*>令和5年度 第1四半期[^<]*承認済み 1/19団体', page)


@pytest.mark.parametrize("name", DEFAULT_DASHBOARDS)
def test_a_partial_period_chosen_says_so_in_its_heading(client, member, one_approved_in_q1, name):
    client.force_login(member)
    page = client.get(reverse(name) + "?period=2023-Q1").content.decode()
    assert "承認済み 1/19団体" in heading(page)
    assert "合計・件数はすべて承認済みの1団体分です" in page


def test_every_total_of_a_partial_period_names_its_coverage(client, member, one_approved_in_q1):
    client.force_login(member)
    online = client.get(reverse("online_procedures:dashboard") + "?period=2023-Q1").content.decode()
    assert re.search(r"延べ手続数・R5.7時点（1市町・承認済み 1/19団体）", online)
    assert re.search(r'id="online-total"><strong>[^<]*1市町延べ\d+手続</strong>（承認済み 1/19団体）', online)
    dx = client.get(reverse("council:dashboard") + "?period=2023-Q1").content.decode()
    for label in ("全体方針 策定済", "全庁的なDX推進体制あり", "外部人材を確保", "情報職を採用"):
        assert re.search(label + r"[^<]*（承認済み 1/19団体）", dx), label


def test_the_period_chosen_for_the_next_meeting_is_the_default(client, member, one_approved_in_q1):
    next_meeting("2023-Q1")
    client.force_login(member)
    page = client.get(reverse("council:dashboard")).content.decode()
    assert "承認済み 1/19団体" in heading(page)
    assert "次回の会議の資料として選ばれた期間を表示しています" in page
    # other dashboards have no material chosen: they stay on the complete period
    online = client.get(reverse("online_procedures:dashboard")).content.decode()
    assert "承認済み 1/19団体" not in heading(online)


def test_a_past_meeting_or_another_council_s_does_not_choose(
    client, member, one_approved_in_q1, other_council
):
    next_meeting("2023-Q1", days=-3)
    material = next_meeting("2023-Q1")
    material.meeting.organiser = Municipality.objects.exclude(code="350001").filter(kind="prefecture").first()
    material.meeting.save()
    client.force_login(member)
    page = client.get(reverse("council:dashboard")).content.decode()
    assert "承認済み 19/19団体" in page and "承認済み 1/19団体" not in heading(page)


def test_the_cached_page_follows_the_choice(
    client, settings, member, one_approved_in_q1, django_capture_on_commit_callbacks
):
    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    try:
        client.force_login(member)
        url = reverse("council:dashboard")
        assert "承認済み 19/19団体" in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            next_meeting("2023-Q1")
        assert "承認済み 1/19団体" in heading(client.get(url).content.decode())
    finally:
        cache.clear()


def test_the_national_view_follows_the_rule_per_prefecture(
    client,
    national_member,  # noqa: F811
    hiroshima,  # noqa: F811
    one_approved_in_q1,
):
    client.force_login(national_member)
    rows = national_rows(client.get(reverse("council:dashboard")).content.decode())
    assert rows["山口県"][-2:] == ["令和4年度 第4四半期", "承認済み 19/19団体"]
    assert rows["広島県"][-2:] == ["令和4年度 第4四半期", "承認済み 3/3団体"]
    chosen = national_rows(client.get(reverse("council:dashboard") + "?period=2023-Q1").content.decode())
    assert chosen["山口県"][-2:] == ["令和5年度 第1四半期", "承認済み 1/19団体"]


def test_online_procedures_shows_both_totals_and_the_change(client, member):
    client.force_login(member)
    page = client.get(reverse("online_procedures:dashboard")).content.decode()
    assert "R5.4時点合計 19市町延べ440手続" in page
    assert "R4.4時点合計 19市町延べ67手続" in page
    assert re.search(r'data-kpi="sum-before">67<', page)
    changes = page.split('id="changes-h"')[1]
    assert "前回からの変化（R4.4時点 → R5.4時点）" in changes
    assert "延べ手続数 67 → 440（両時点で報告のある団体で+373手続）" in changes
    assert re.search(r"<th scope=\"row\">下関市</th><td>8手続</td><td>22手続</td><td>\+14</td>", changes)
