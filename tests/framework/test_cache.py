"""Cached dashboards: served from the cache while nothing changed, rebuilt after an approval, a
reopen, an import or an admin edit. The cache is invalidated once a change commits, so these tests
run the on-commit callbacks as a committing transaction would (`django_capture_on_commit_callbacks`)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from council import services
from council.framework import registry
from council.models import ReportingPeriod, StatusReport


@pytest.fixture
def caching(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_cache_hit_skips_the_work_and_an_approval_invalidates(
    client, caching, member, liaison, staff, hagi, count_queries, django_capture_on_commit_callbacks
):
    url = reverse("council:dashboard") + "?period=2023-Q1"
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    services.report_submit(report=report, user=liaison)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=staff)
    client.force_login(member)
    first = client.get(url).content.decode()
    assert "承認済みの報告 1／19団体" in first
    hit_queries = count_queries(lambda: client.get(url))
    second = client.get(url).content.decode()
    assert "承認済みの報告 1／19団体" in second and 'id="chart-dx-status-data"' in second
    assert hit_queries <= 4  # session, user, profile, data version: no dashboard queries
    # another municipality's approval: the next request shows it
    ube = report.municipality.__class__.objects.get(slug="ube")
    other = services.report_start(municipality=ube, period=q1, user=staff)
    services.report_submit(report=other, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=other, user=staff)
    assert "承認済みの報告 2／19団体" in client.get(url).content.decode()
    # a reopen takes it out again
    with django_capture_on_commit_callbacks(execute=True):
        services.report_reopen(report=StatusReport.objects.get(pk=other.pk), user=staff)
    assert "承認済みの報告 1／19団体" in client.get(url).content.decode()


def test_admin_edit_invalidates(client, caching, member, staff, django_capture_on_commit_callbacks):
    client.force_login(member)
    url = reverse("standardization:dashboard")
    assert "推進体制の立ち上げ" in client.get(url).content.decode()
    from standardization.models import Step

    step = Step.objects.get(name="推進体制の立ち上げ")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:standardization_step_change", args=[step.pk]),
            {
                "phase": step.phase_id,
                "name": "推進体制の構築",
                "full_name": "",
                "order": step.order,
                "verified": "on",
            },
        )
    assert response.status_code == 302
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "推進体制の構築" in page and "推進体制の立ち上げ" not in page


def test_import_invalidates(client, caching, member, staff, django_capture_on_commit_callbacks):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(member)
    assert "令和5年6月末現在" not in client.get(reverse("mynumber:dashboard")).content.decode()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["時点", "団体コード", "団体名", "人口", "申請件数", "交付枚数"])
    ws.append(["2023-06-30", "352047", "萩市", 44_000, 35_600, 33_700])
    buffer = io.BytesIO()
    wb.save(buffer)
    client.force_login(staff)
    page = client.post(
        reverse("mynumber:import"), {"file": SimpleUploadedFile("c.xlsx", buffer.getvalue())}
    ).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mynumber:import"), {"token": token})
    client.force_login(member)
    assert "令和5年6月末現在" in client.get(reverse("mynumber:dashboard")).content.decode()


def test_viewers_of_different_scopes_do_not_share_a_page(client, caching, member, staff):
    from council.models import Role
    from tests.factories import PrefectureFactory, UserFactory

    hiroshima = PrefectureFactory(number=34, name="広島県", slug="hiroshima-pref")
    outsider = UserFactory(username="hiroshima-member", role=Role.MEMBER, organisation=hiroshima)
    client.force_login(member)
    assert "下関市" in client.get(reverse("council:dashboard") + "?period=2022-Q4").content.decode()
    client.force_login(outsider)
    assert "下関市" not in client.get(reverse("council:dashboard") + "?period=2022-Q4").content.decode()
    client.force_login(staff)
    assert "Excelで出力" in client.get(reverse("council:dashboard") + "?period=2022-Q4").content.decode()
    client.force_login(member)
    assert "Excelで出力" not in client.get(reverse("council:dashboard") + "?period=2022-Q4").content.decode()
    assert registry.dashboards.get("dx")


def test_a_change_that_does_not_commit_keeps_the_cache(caching, liaison, staff, hagi):
    from django.db import transaction

    from council.framework import cache as dashboard_cache

    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    services.report_submit(report=report, user=liaison)
    before = dashboard_cache.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_approve(report=report, user=staff)
        raise RuntimeError("rolled back")
    assert dashboard_cache.data_version() == before


def test_a_log_entry_loaded_raw_does_not_move_the_data_version(staff, django_capture_on_commit_callbacks):
    """`loaddata` saves rows raw: a log entry loaded so records no admin edit (a restore or a fixture
    must not move the data version); one the admin writes does."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from council.framework import cache as dashboard_cache
    from council.models import Municipality

    def entry():
        return LogEntry(
            user=staff,
            content_type=ContentType.objects.get_for_model(Municipality),
            object_id="1",
            object_repr="山口県",
            action_flag=CHANGE,
        )

    before = dashboard_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        entry().save_base(raw=True)
    assert dashboard_cache.data_version() == before
    with django_capture_on_commit_callbacks(execute=True):
        entry().save()
    assert dashboard_cache.data_version() == before + 1
