"""A liaison ticks the procedures offered and submits; staff approve; the dashboard shows it."""

import pytest
from playwright.sync_api import expect

from tests.browser import approve_as_staff, assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_online_procedures_journey(live_server, browser, people):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    login(page, base, "liaison-hagi")
    page.get_by_role("button", name="報告を作成する").click()
    page.get_by_role("link", name="行政手続のオンライン化を編集する").click()
    expect(page.get_by_label("マイナポータルで利用できる手続数（27手続のうち）")).to_have_value("26")
    page.get_by_label("マイナポータルで利用できる手続数（27手続のうち）").fill("")
    care = page.get_by_role("group", name="介護（11手続）")
    for box in care.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("group", name="被災者支援（1手続）").get_by_label("罹災証明書の発行申請").check()
    assert_accessible(page, "online-section-form")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".message-success")).to_contain_text("保存しました")
    expect(page.locator(".report-section", has_text="行政手続のオンライン化")).to_contain_text("12手続")
    page.get_by_role("link", name="提出内容を確認する").click()
    page.get_by_role("button", name="この内容で提出する").click()
    logout(page)

    approve_as_staff(page, base, "萩市")
    logout(page)

    login(page, base, "council")
    page.get_by_role("link", name="資料2 行政手続のオンライン化").first.click()
    # one municipality of nineteen approved: the default stays on R5.4 with both totals (issue #14)
    expect(page.locator("#online-total")).to_have_text("R5.4時点合計 19市町延べ440手続")
    expect(page.locator("#online-total-before")).to_have_text("R4.4時点合計 19市町延べ67手続")
    page.get_by_label("報告期間").select_option("2023-Q1")
    page.get_by_label("比較する期間").select_option("2022-Q4")
    page.get_by_role("button", name="表示").click()
    expect(page.locator("#online-total")).to_have_text("R5.7時点合計 1市町延べ12手続（承認済み 1/19団体）")
    expect(page.locator("#online-table")).to_contain_text("26手続")  # R5.4時点 beside it
    expect(page.locator("#chart-online-coverage[data-drawn=true]")).to_be_visible()
    assert_accessible(page, "online-dashboard")
    page.close()
