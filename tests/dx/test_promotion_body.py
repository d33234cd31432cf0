"""資料7: whether an organisation has a cross-departmental DX body is data (as the materials state it,
editable by staff and liaisons), and the count follows it: 阿武町's 総務課 is a department."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from council import services
from council.dx.models import DXStructure
from council.models import ReportingPeriod
from tests.council.test_views import form_data
from tests.framework.test_national import hiroshima, national_member, national_rows  # noqa: F401

migration = importlib.import_module("council.migrations.0014_dx_has_promotion_body")


def kpi(page: str, key: str) -> str:
    return re.search(rf'data-kpi="{key}">(\d+)<', page).group(1)


def test_abu_s_department_is_not_counted_as_a_cross_departmental_body(client, member):
    client.force_login(member)
    page = client.get(reverse("council:dashboard")).content.decode()
    assert kpi(page, "body") == "17"  # 19 less 上関町 (none) and 阿武町 (総務課, its department)
    abu = DXStructure.objects.get(report__municipality__slug="abu", report__period__fiscal_year=2022)
    assert abu.promotion_body == "総務課" and not abu.has_promotion_body  # the materials' text kept
    # the table still prints what the materials print
    assert re.search(r"<th scope=\"row\">阿武町</th><td>総務課</td><td>R5予定</td><td>総務課</td>", page)


def test_the_national_count_follows_the_flag(client, national_member, hiroshima):  # noqa: F811
    client.force_login(national_member)
    page = client.get(reverse("council:dashboard") + "?period=2022-Q4").content.decode()
    assert national_rows(page)["山口県"][5] == "17"  # DX推進体制あり


@pytest.fixture
def own_draft(hagi, liaison):
    period = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    return services.report_start(municipality=hagi, period=period, user=liaison)


def test_the_liaison_s_form_sets_it(client, liaison, own_draft):
    client.force_login(liaison)
    url = reverse("reports:section", args=[own_draft.pk, "dx"])
    page = client.get(url).content.decode()
    assert "全庁的なDX推進体制あり" in page and 'name="has_promotion_body"' in page
    version = str(DXStructure.objects.get(report=own_draft).version)
    response = client.post(url, form_data(has_promotion_body=None, expected_version=version))
    assert response.status_code == 302
    assert not DXStructure.objects.get(report=own_draft).has_promotion_body
    version = str(DXStructure.objects.get(report=own_draft).version)
    assert client.post(url, form_data(has_promotion_body="on", expected_version=version)).status_code == 302
    assert DXStructure.objects.get(report=own_draft).has_promotion_body


def test_a_body_without_a_name_is_refused_in_japanese_and_nothing_changes(client, liaison, own_draft):
    client.force_login(liaison)
    url = reverse("reports:section", args=[own_draft.pk, "dx"])
    before = DXStructure.objects.get(report=own_draft).content()
    version = str(DXStructure.objects.get(report=own_draft).version)
    response = client.post(
        url, form_data(has_promotion_body="on", promotion_body="", expected_version=version)
    )
    assert response.status_code == 400
    assert (
        "「全庁的なDX推進体制あり」のときは、推進本部等の名称を入力してください。"
        in response.content.decode()
    )
    assert DXStructure.objects.get(report=own_draft).content() == before


def test_staff_edit_it_in_the_admin(client, staff, own_draft):
    dx = DXStructure.objects.get(report=own_draft)
    assert dx.has_promotion_body  # carried forward from 萩市's approved report
    client.force_login(staff)
    url = reverse("admin:council_dxstructure_change", args=[dx.pk])
    page = client.get(url).content.decode()
    assert 'name="has_promotion_body"' in page
    data = {
        "department": dx.department,
        "policy": dx.policy,
        "policy_planned_fiscal_year": "",
        "promotion_body": dx.promotion_body,
        "external_talent_count": "",
        "has_it_hires": "on",
        "it_hires_count": "1",
        "expected_version": str(dx.version),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dx.refresh_from_db()
    assert not dx.has_promotion_body


def test_the_migration_keeps_names_as_bodies_except_the_department_itself(seeded):
    DXStructure.objects.update(has_promotion_body=False)
    migration.classify_existing(apps, None)
    flags = dict(
        DXStructure.objects.filter(report__period__fiscal_year=2022).values_list(
            "report__municipality__slug", "has_promotion_body"
        )
    )
    assert flags["abu"] is False and flags["kaminoseki"] is False
    assert flags["shimonoseki"] is True and flags["hirao"] is True
    assert sum(flags.values()) == 17
