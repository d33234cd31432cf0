"""Query counts of the pages that read the national detail stay flat from the seed's 19
municipalities to a synthetic nation of 1,741 with the detail filled (`generate_nation`)."""

import io
import re

from django.core.management import call_command
from django.urls import reverse

from council import services
from council.framework import registry
from council.models import Municipality, Role
from standardization.models import Operation, Status, Step, StepStatus
from tests.factories import UserFactory
from tests.framework.test_national import national_rows


def test_pages_with_the_detail_keep_their_query_counts_at_19_and_1741(
    client, member, liaison, staff, hagi, q1, count_queries
):
    national = UserFactory(username="national", role=Role.MEMBER)
    # 萩市's 2023-Q1 report with detail, approved: the period has detail at 19 municipalities too
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    first, second = Step.objects.get(number=1), Step.objects.get(number=2)
    services.section_save(
        report=report,
        section=registry.sections.get("standardization"),
        data={
            "statuses": [
                {"operation_id": o.pk, "step_id": s.pk, "status": Status.DONE}
                for o in Operation.objects.all()
                for s in (first, second)
            ]
        },
        expected_version=report.standardization_standardizationprogress.version,
        user=liaison,
    )
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)

    pages = [
        (member, reverse("standardization:dashboard") + "?period=2023-Q1"),
        (member, reverse("standardization:karte", args=["hagi"]) + "?period=2023-Q1"),
        (staff, reverse("standardization:export") + "?period=2023-Q1"),
        (liaison, reverse("standardization:grid", args=[report.pk])),
        (national, reverse("standardization:dashboard") + "?period=2023-Q1&pref=35"),
    ]

    def measure():
        counts = []
        for user, url in pages:
            client.force_login(user)
            client.get(url)
            counts.append(count_queries(lambda url=url: client.get(url)))
        return counts

    at_19 = measure()
    call_command(
        "generate_nation", municipalities=1741, quarters=2, seed=1, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert Municipality.objects.reporting().count() == 1741
    assert StepStatus.objects.filter(progress__report__period=q1).count() > 1741 * 20
    assert measure() == at_19
    # the national view by prefecture, now that there are 47
    client.force_login(national)
    url = reverse("standardization:dashboard") + "?period=2023-Q1"
    page = client.get(url).content.decode()
    assert "完了率（国の定義）（%）" in page
    nation = national_rows(page)
    assert len(nation) == 47
    table = page[page.index('<table id="national-table">') :]
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table[: table.index("</thead>")])
    official = headers.index("完了率（国の定義）（%）") - 1  # the cells follow the prefecture's name
    # the prefecture's row (aggregated in SQL by prefecture) agrees with its council's page (summed
    # per organisation × operation in Python)
    client.force_login(member)
    page = client.get(reverse("standardization:dashboard") + "?period=2023-Q1").content.decode()
    average = re.search(r"県内の市町の平均 ([0-9.]+)%", page).group(1)
    assert nation["山口県"][official] == average
    assert "業務ごとの状況から集計" in page and "資料の集計のみ" not in page.split('id="phases-table"')[1]
