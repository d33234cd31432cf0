"""Ten years of data (issue #15): every dashboard, the 団体カルテ, every export and every import runs
the same number of queries with 40 quarters of approved reports as with 8 (a small nation here;
benchmarks/quarters.py measures the national one and the times)."""

import io

from django.core.management import call_command
from django.urls import reverse

from council.framework import registry
from council.framework.imports import run_import
from council.models import Municipality, Profile, ReportingPeriod, Role, StatusReport
from tests.factories import UserFactory

NATION = 30  # municipalities of the small nation


def nation(quarters: int):
    call_command(
        "generate_nation",
        municipalities=NATION,
        quarters=quarters,
        seed=1,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def namespace(key: str) -> str:
    """The URL namespace of an app's pages (its dashboard's)."""
    return next(spec.url_name for spec in registry.dashboards.all() if spec.key == key).split(":")[0]


def pages(member, national, staff, liaison):
    """(user, url) of every dashboard (a council member's and a national viewer's), the 団体カルテ,
    every export, the liaison's pages that list their history."""
    found = []
    for spec in registry.dashboards.all():
        url = reverse(spec.url_name)
        found += [(member, url), (national, url)]
    found.append((member, reverse("standardization:karte", args=["hagi"])))
    found += [(staff, reverse(f"{namespace(spec.key)}:export")) for spec in registry.exporters.all()]
    found += [
        (liaison, reverse("home")),
        (liaison, reverse("reports:list")),
        (staff, reverse("reports:review")),
    ]
    return found


def count(client, count_queries, user, url) -> int:
    client.force_login(user)

    def get():
        response = client.get(url)
        assert response.status_code == 200, url
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)

    get()  # per-process caches (content types, permissions) first
    return count_queries(get)


def imports(client, count_queries, staff) -> dict[str, int]:
    """Each importer's dry run of its own app's export of the latest approved quarter (a round trip:
    every row read, checked against the stored reports and found unchanged)."""
    client.force_login(staff)
    counts = {}
    for app in registry.apps.all():
        if not app.importer:
            continue
        response = client.get(reverse(f"{namespace(app.key)}:export"))
        book = b"".join(response.streaming_content)
        results = []
        queries = count_queries(
            lambda book=book, app=app, results=results: results.append(
                run_import(app.importer(), book, staff, commit=False)
            )
        )
        if results[0].ok:  # 資料4's importer reads the inventory of provisions, not its export
            counts[app.key] = queries
    return counts


def test_query_counts_are_the_same_at_8_and_40_quarters(
    client, count_queries, seeded, staff, liaison, member
):
    national = UserFactory(username="national-member", role=Role.MEMBER)
    assert Profile.objects.get(user=national).organisation is None
    nation(8)
    assert ReportingPeriod.objects.count() >= 8
    at_8 = {
        (user.username, url): count(client, count_queries, user, url)
        for user, url in pages(member, national, staff, liaison)
    }
    imports_8 = imports(client, count_queries, staff)
    nation(40)
    reports = StatusReport.objects.filter(municipality__slug__startswith="nation-")
    assert reports.values("period").distinct().count() == 40
    assert Municipality.objects.reporting().count() == NATION
    at_40 = {
        (user.username, url): count(client, count_queries, user, url)
        for user, url in pages(member, national, staff, liaison)
    }
    imports_40 = imports(client, count_queries, staff)
    assert at_40 == at_8
    assert imports_40 == imports_8
    assert {"standardization", "online_procedures", "mynumber"} <= set(imports_8)  # measured
