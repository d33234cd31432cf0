"""Dashboards lead with the answer (#18 outcome 3): headline figures as cards before the charts and
the tables, on every agenda dashboard (資料4 once it has approved data)."""

import re

import pytest
from django.urls import reverse

LEADING = [
    "standardization:dashboard",
    "online_procedures:dashboard",
    "rpa:dashboard",
    "mynumber:dashboard",
    "programmes:dashboard",
    "council:dashboard",
]


def cards(page: str) -> dict[str, str]:
    block = page[page.index('<ul class="kpis"') : page.index("</ul>", page.index('<ul class="kpis"'))]
    return dict(re.findall(r'data-kpi="([\w-]+)">([^<]*)<', block))


def test_material_1_leads_with_risk_and_reports(client, member):
    client.force_login(member)
    found = cards(client.get(reverse("standardization:dashboard")).content.decode())
    assert found["reported"] == "19／19"
    assert found["completion"] == "—"  # the seeded periods hold the materials' summary, not the detail
    assert found["at-risk"].isdigit()


def test_material_5_leads_with_the_rates_against_the_nation(client, member):
    client.force_login(member)
    found = cards(client.get(reverse("mynumber:dashboard")).content.decode())
    assert found == {"applied": "80.1% (全国76.8%)", "issued": "72.6% (全国67.0%)"}  # as the materials print


def test_material_4_leads_with_the_provisions_once_a_report_is_approved(client, liaison, staff, hagi, member):
    from tests.exports.books import approve_analog_review

    approve_analog_review(client, liaison=liaison, staff=staff, hagi=hagi)
    client.force_login(member)
    page = client.get(reverse("analog_review:dashboard") + "?period=2023-Q1").content.decode()
    found = cards(page)
    main = page[page.index("<main") :]
    assert main.index('<ul class="kpis"') < main.index('class="charts') < main.index("<table")
    assert int(found["provisions"]) > 0 and found["reported"] == "1"


def test_material_6_leads_with_the_budget(client, member):
    client.force_login(member)
    found = cards(client.get(reverse("programmes:dashboard")).content.decode())
    assert found["budget"] == "510,635"  # 376,188 + 126,000 + 8,447 千円, the materials' three programmes
    assert found["courses"] == "25"


@pytest.mark.parametrize("name", LEADING)
def test_cards_then_the_charts_then_the_tables(client, member, name):
    """The same order on every dashboard (#18 outcome 3): cards, then the charts, then the tables."""
    client.force_login(member)
    page = client.get(reverse(name)).content.decode()
    main = page[page.index("<main") :]
    charts = main.index('class="charts')
    assert main.index('<ul class="kpis"') < charts < main.index("<table")


@pytest.mark.parametrize(
    "template",
    [
        "standardization/dashboard.html",
        "online_procedures/dashboard.html",
        "rpa/dashboard.html",
        "analog_review/dashboard.html",
        "mynumber/dashboard.html",
        "programmes/dashboard.html",
        "dx/dashboard.html",
    ],
)
def test_every_dashboard_draws_its_cards_with_the_one_component(template):
    from django.template.loader import get_template

    source = get_template(template).template.source
    assert '{% include "components/kpi_cards.html" %}' in source
    assert "kpi-value" not in source  # no card written by hand beside it
