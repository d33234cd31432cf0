"""資料7's 前回からの変化: both periods' counts side by side and what each organisation changed."""

import re

from django.urls import reverse

from council import services
from council.dx.models import DXStructure


def test_the_change_since_the_previous_period_shows_both_sides(client, member, hagi, liaison, staff, q1):
    report = services.report_start(municipality=hagi, period=q1, user=liaison)
    DXStructure.objects.filter(report=report).update(department="デジタル推進課")
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    client.force_login(member)
    page = client.get(reverse("council:dashboard") + "?period=2023-Q1").content.decode()
    changes = page.split('id="changes-h"')[1]
    assert "前回からの変化（令和4年度 第4四半期 → 令和5年度 第1四半期）" in changes
    assert "令和4年度 第4四半期（19団体）" in changes
    assert "令和5年度 第1四半期（1団体・承認済み 1/19団体）" in changes
    assert "増減（両期間に報告のある1団体）" in changes
    assert re.search(r"<th scope=\"row\">全体方針 策定済</th><td>15</td><td>1</td><td>0</td>", changes)
    assert re.search(r"<th scope=\"row\">全庁的なDX推進体制あり</th><td>17</td><td>1</td><td>0</td>", changes)
    assert re.search(
        r"<th scope=\"row\">萩市</th><td>担当所属</td><td>DX推進室</td><td>デジタル推進課</td>", changes
    )


def test_without_an_earlier_period_it_says_so(client, member):
    client.force_login(member)
    page = client.get(reverse("council:dashboard")).content.decode()
    assert "比較できる前の期間の承認済みデータがありません。" in page
