"""資料4's 前回からの変化: the previous period's totals by status beside this one's."""

import re
from datetime import date

from django.urls import reverse

from analog_review.imports import InventoryImporter
from council import services
from council.framework import registry
from council.framework.imports import run_import
from council.models import ReportingPeriod
from tests.analog_review.test_analog import HAGI, book


def confirm(client, report):
    url = reverse("reports:section", args=[report.pk, "analog_review"])
    current = registry.sections.get("analog_review").instance_for(report)  # carried forward, if any
    version = current.version if current else 0
    response = client.post(url, {"expected_version": version, "confirmed": "on", "blockers": ""})
    assert response.status_code == 302


def test_the_previous_period_s_totals_stand_beside_this_one_s(client, liaison, staff, member, hagi, q1):
    run_import(InventoryImporter(), book(HAGI), liaison, commit=True)
    client.force_login(liaison)
    first = services.report_start(municipality=hagi, period=q1, user=liaison)
    confirm(client, first)
    services.report_submit(report=first, user=liaison)
    services.report_approve(report=first, user=staff)
    q2 = ReportingPeriod.objects.create(
        fiscal_year=2023,
        quarter=2,
        as_of=date(2023, 9, 30),
        submission_deadline=date(2023, 10, 31),
        accepting_reports=True,
    )
    second = services.report_start(municipality=hagi, period=q2, user=liaison)
    confirm(client, second)
    services.report_submit(report=second, user=liaison)
    services.report_approve(report=second, user=staff)
    client.force_login(member)
    page = client.get(reverse("analog_review:dashboard") + "?period=2023-Q2").content.decode()
    changes = page.split('id="changes-h"')[1].split("</section>")[0]
    assert "前回からの変化（令和5年度 第1四半期 → 令和5年度 第2四半期）" in changes
    assert re.search(r'<th scope="row">合計</th><td>3</td><td>3</td><td>0</td>', changes)
    first_page = client.get(reverse("analog_review:dashboard") + "?period=2023-Q1").content.decode()
    assert "比較できる前の期間の承認済みデータがありません。" in first_page
