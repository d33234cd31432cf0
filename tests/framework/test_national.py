"""Dashboards at national scale: a viewer of more than one prefecture gets each dashboard by
prefecture and drills into one; a council's own view never changes."""

import re

import pytest
from django.urls import reverse

from council.models import ReportingPeriod, Role
from council.synthetic import add_synthetic_municipalities
from tests.factories import PrefectureFactory, UserFactory

DASHBOARDS = [
    ("council:dashboard", "?period=2022-Q4"),
    ("standardization:dashboard", "?period=2022-Q4"),
    ("online_procedures:dashboard", "?period=2022-Q4"),
    ("rpa:dashboard", ""),
    ("analog_review:dashboard", "?period=2022-Q4"),
    ("mynumber:dashboard", ""),
]


@pytest.fixture
def hiroshima(seeded):
    """A second prefecture with three towns, each with an approved 2022-Q4 report of every app."""
    prefecture = PrefectureFactory(number=34, name="広島県", slug="hiroshima-pref")
    period = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
    add_synthetic_municipalities(prefecture=prefecture, n=3, period=period)
    return prefecture


@pytest.fixture
def national_member(seeded):
    return UserFactory(username="national", role=Role.MEMBER)


def national_rows(page: str) -> dict[str, list[str]]:
    """The prefecture table: {prefecture: [cells after the name]}."""
    table = re.search(r'<table id="national-table">(.*?)</table>', page, re.S)
    assert table, "no prefecture table on the page"
    rows = {}
    for name, cells in re.findall(
        r'<tr><th scope="row"><a href="[^"]*">(.*?)</a></th>(.*?)</tr>', table.group(1), re.S
    ):
        rows[name] = re.findall(r"<td[^>]*>(.*?)</td>", cells)
    return rows


@pytest.mark.parametrize(("name", "query"), DASHBOARDS)
def test_a_national_viewer_sees_every_dashboard_by_prefecture(
    client, national_member, hiroshima, name, query
):
    client.force_login(national_member)
    page = client.get(reverse(name) + query).content.decode()
    rows = national_rows(page)
    assert list(rows) == ["広島県", "山口県"]  # prefecture code order
    assert 'id="pref-select"' in page
    assert "試験町" not in page  # no municipality rows in the national view


def test_prefecture_rows_add_up_the_approved_reports(client, national_member, hiroshima):
    client.force_login(national_member)
    online = national_rows(
        client.get(reverse("online_procedures:dashboard") + "?period=2022-Q4").content.decode()
    )
    # 資料2: 19市町延べ440手続 at R5.4, i.e. 23.2 per municipality; 山口県 has 19 municipalities
    assert online["山口県"][:4] == ["19", "19", "23.2", "440"]
    assert online["広島県"][:2] == ["3", "3"]
    dx = national_rows(client.get(reverse("council:dashboard") + "?period=2022-Q4").content.decode())
    assert dx["広島県"][:2] == ["3", "3"]


def test_choosing_a_prefecture_shows_its_municipalities_as_its_council_sees_them(
    client, national_member, member, hiroshima
):
    client.force_login(national_member)
    url = reverse("online_procedures:dashboard") + "?period=2022-Q4"
    page = client.get(url + "&pref=35").content.decode()
    assert "R5.4時点合計 19市町延べ440手続" in page
    assert "試験町" not in page and 'id="national-table"' not in page
    assert 'name="pref" value="35"' in page  # the period form keeps the choice
    hiroshima_page = client.get(url + "&pref=34").content.decode()
    assert hiroshima_page.count("試験町") >= 3 and "萩市" not in hiroshima_page
    # the council's own member sees exactly the same Yamaguchi page, with no prefecture selector
    client.force_login(member)
    own = client.get(url).content.decode()
    assert "R5.4時点合計 19市町延べ440手続" in own and 'id="pref-select"' not in own and "試験町" not in own


def test_a_prefecture_outside_the_viewers_scope_is_not_found(client, national_member, liaison, hiroshima):
    client.force_login(national_member)
    assert client.get(reverse("council:dashboard") + "?pref=99").status_code == 404
    client.force_login(liaison)  # 萩市's liaison sees 山口県 only
    assert client.get(reverse("council:dashboard") + "?pref=34").status_code == 404
    assert client.get(reverse("council:dashboard") + "?pref=35").status_code == 200


@pytest.mark.parametrize(("name", "query"), DASHBOARDS)
def test_national_query_counts_do_not_grow(client, national_member, hiroshima, count_queries, name, query):
    client.force_login(national_member)
    url = reverse(name) + query
    client.get(url)
    small = count_queries(lambda: client.get(url))
    period = ReportingPeriod.objects.get(fiscal_year=2022, quarter=4)
    add_synthetic_municipalities(prefecture=hiroshima, n=40, period=period, start=700)
    okayama = PrefectureFactory(number=33, name="岡山県", slug="okayama-pref")
    add_synthetic_municipalities(prefecture=okayama, n=40, period=period)
    assert count_queries(lambda: client.get(url)) == small
    assert list(national_rows(client.get(url).content.decode())) == ["岡山県", "広島県", "山口県"]


def test_the_karte_of_a_municipality_has_no_prefecture_selector(client, national_member, hiroshima):
    client.force_login(national_member)
    page = client.get(reverse("standardization:karte", args=["hagi"]) + "?period=2022-Q4").content.decode()
    assert "萩市" in page and 'id="pref-select"' not in page
