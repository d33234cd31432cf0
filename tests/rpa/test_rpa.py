"""資料3: the seed list, quarterly effects, join/leave through the report, the book."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from council import services
from council.framework import registry
from rpa.models import Participation, Scenario, ScenarioUsage

MATERIALS_TABLE_3 = [
    ("【①主治医意見書作成依頼及び認定調査依頼業務】", "下松市・光市・長門市・周南市・山陽小野田市"),
    ("【②国民健康保険各種申請書入力業務】", "山口市・下松市・岩国市・周防大島町・平生町"),
    ("【③法人市民税確定・中間申告書の入力業務】", "下関市・萩市・下松市・岩国市・柳井市"),
    ("【④給与事務・賞与事務】", "周防大島町・阿武町"),
    (
        "【⑤会計年度任用職員の勤怠管理業務】",
        "宇部市・防府市・長門市・美祢市・和木町・上関町・田布施町・周防大島町",
    ),
]


def test_export_reproduces_material_3(client, staff):
    client.force_login(staff)
    response = client.get(reverse("rpa:export"))
    assert response["Content-Disposition"].startswith('attachment; filename="rpa_2022.xlsx"')
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))[
            "資料3 RPA等共同利用"
        ].iter_rows(values_only=True)
    )
    assert rows[1][0] == "<令和4年度の取組実績>"
    assert rows[2][0] == "以下5業務についてRPAシナリオ作成・業務での運用"
    header = rows.index(("業務", "利用団体"))
    assert rows[header + 1 :] == MATERIALS_TABLE_3


def test_dashboard_lists_the_participants(client, member):
    client.force_login(member)
    page = client.get(reverse("rpa:dashboard")).content.decode()
    assert "下松市・光市・長門市・周南市・山陽小野田市" in page
    assert 'id="chart-rpa-participation"' in page
    assert "作成シナリオの保守（令和6年度以降）" in page and "検討中" in page
    assert "事業の最終年度" in page


@pytest.fixture
def hagi_report(hagi, liaison, q1):
    return services.report_start(municipality=hagi, period=q1, user=liaison)


def scenario(number):
    return Scenario.objects.get(fiscal_year=2022, number=number)


def save(report, user, usage=(), requests=()):
    section = registry.sections.get("rpa")
    current = section.instance_for(report)
    return services.section_save(
        report=report,
        section=section,
        data={"usage": list(usage), "requests": list(requests)},
        expected_version=current.version if current else 0,
        user=user,
    )


def test_effects_and_a_join_request_apply_on_approval(client, hagi_report, liaison, staff, member):
    # 萩市 uses ③; it reports ③'s effect and asks to join ⑤
    save(
        hagi_report,
        liaison,
        usage=[{"scenario_id": scenario(3).pk, "runs": 40, "hours_saved": Decimal("12.5")}],
        requests=[{"scenario_id": scenario(5).pk, "action": "join"}],
    )
    assert not Participation.objects.filter(scenario=scenario(5), municipality__slug="hagi").exists()
    services.report_submit(report=hagi_report, user=liaison)
    services.report_approve(report=hagi_report, user=staff)
    joined = Participation.objects.get(scenario=scenario(5), municipality__slug="hagi")
    assert joined.since_fiscal_year == 2023 and joined.until_fiscal_year is None
    client.force_login(member)
    page = client.get(reverse("rpa:dashboard")).content.decode()
    assert 'data-kpi="hours">12.5<' in page and 'id="chart-rpa-hours"' in page


def test_leave_request_ends_participation(hagi_report, liaison, staff):
    save(hagi_report, liaison, requests=[{"scenario_id": scenario(3).pk, "action": "leave"}])
    services.report_submit(report=hagi_report, user=liaison)
    services.report_approve(report=hagi_report, user=staff)
    ended = Participation.objects.get(scenario=scenario(3), municipality__slug="hagi")
    assert ended.until_fiscal_year == 2023


@pytest.mark.parametrize(
    ("usage", "requests", "message"),
    [
        ([{"scenario_id": 1, "runs": 5, "hours_saved": Decimal("1")}], [], "利用していないシナリオ"),
        ([], [{"scenario_id": 3, "action": "join"}], "既に利用しています"),
        ([], [{"scenario_id": 1, "action": "leave"}], "利用終了を申請できません"),
        ([{"scenario_id": 3, "runs": 5, "hours_saved": Decimal("-1")}], [], "0以上"),
        ([{"scenario_id": 3, "runs": 2_000_000, "hours_saved": Decimal("1")}], [], "大きすぎます"),
    ],
)
def test_bad_usage_is_refused_and_nothing_is_written(hagi_report, liaison, usage, requests, message):
    for item in usage + requests:
        item["scenario_id"] = scenario(item["scenario_id"]).pk
    with pytest.raises(ValidationError) as info:
        save(hagi_report, liaison, usage=usage, requests=requests)
    assert any(message in m for m in info.value.messages), info.value.messages
    assert not ScenarioUsage.objects.exists()


def test_form_validates_numbers_in_japanese(client, liaison, hagi_report):
    client.force_login(liaison)
    url = reverse("reports:section", args=[hagi_report.pk, "rpa"])
    page = client.get(url).content.decode()
    assert "法人市民税確定・中間申告書の入力業務" in page  # the scenario 萩市 uses
    response = client.post(
        url, {"expected_version": 0, f"runs_{scenario(3).pk}": "-3", f"hours_{scenario(3).pk}": "abc"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "0 以上" in text and "数値を入力してください" in text


def test_rpa_section_is_optional(hagi_report, liaison):
    services.report_submit(report=hagi_report, user=liaison)  # no RPA figures this quarter: still submittable


def test_query_counts_do_not_grow(client, member, staff, count_queries, grow_prefecture):
    urls = [(member, reverse("rpa:dashboard")), (staff, reverse("rpa:export"))]

    def measure():
        counts = []
        for user, url in urls:
            client.force_login(user)
            client.get(url)
            counts.append(count_queries(lambda url=url: client.get(url)))
        return counts

    at_19 = measure()
    grow_prefecture(181)
    assert ScenarioUsage.objects.count() == 181
    assert measure() == at_19
