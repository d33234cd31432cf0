"""資料2's targets as data (#17 outcome 6): 「全27手続をオンライン化（令和4年度末）」 measured by the share of the
27 procedures online over the reported municipalities, on the dashboard a council member opens."""

import re

from django.urls import reverse


def target_rows(page: str) -> list[list[str]]:
    table = page[page.index('id="targets-table"') : page.index("</table>", page.index('id="targets-table"'))]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr class=\"target-\w+\">(.*?)</tr>", table, re.S)
    ]


def test_the_seeded_target_is_measured_on_the_meeting_period(client, member):
    client.force_login(member)
    page = client.get(reverse("online_procedures:dashboard")).content.decode()
    [row] = target_rows(page)
    # R5.4: 19 municipalities, 440 procedures of a possible 19 × 27 = 513 → 85.8 %, due 令和5年3月31日
    assert row[0] == "全27手続をマイナポータルでオンライン化（令和4年度末）"
    assert row[1] == "100.0%"
    assert row[3] == "85.8%（440／513手続（19市町×27手続））"
    assert row[4] == "期限を過ぎて未達成（あと14.2ポイント）"


def test_a_target_staff_add_shows_at_once(client, staff, member):
    client.force_login(staff)
    response = client.post(
        reverse("admin:council_target_add"),
        {
            "app_key": "online_procedures",
            "subject": "",
            "title": "9割の手続をオンライン化",
            "value": "90",
            "due": "2030-03-31",
        },
    )
    assert response.status_code == 302
    client.force_login(member)
    rows = target_rows(client.get(reverse("online_procedures:dashboard")).content.decode())
    added = next(row for row in rows if row[0] == "9割の手続をオンライン化")
    assert added[4].startswith("あと4.2ポイント（期限まで")
