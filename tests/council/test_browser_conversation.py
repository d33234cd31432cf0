"""The review conversation in real Chromium, axe-core on every page it visits: a liaison confirms and
submits, withdraws, submits again; staff see what changed against the last approved report and
return it with a comment; the liaison answers in the thread, fixes and resubmits; staff approve."""

import pytest
from playwright.sync_api import expect

from council.models import StatusReport
from tests.browser import assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def confirm_and_submit(page, name: str):
    page.get_by_role("link", name="提出内容を確認する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("提出内容の確認")
    expect(page.locator("#submit-warnings")).to_contain_text("変更がありません")
    assert_accessible(page, name)
    page.get_by_role("button", name="この内容で提出する").click()
    expect(page.locator(".message-success")).to_contain_text("提出しました")


def test_the_review_conversation(live_server, browser, people):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")

    # the liaison fills in, confirms, submits, and takes it back to correct it
    login(page, base, "liaison-hagi")
    page.get_by_role("button", name="報告を作成する").click()
    page.get_by_role("link", name="DX推進体制を編集する").click()
    page.get_by_label("外部人材確保（CIO補佐官等）").check()
    page.get_by_label("外部人材の人数").fill("3")
    page.get_by_role("button", name="保存する").click()
    confirm_and_submit(page, "conversation-confirm")
    page.get_by_label("取り下げの理由（任意）").fill("人数を確かめます。")
    page.get_by_role("button", name="提出を取り下げる（作成中に戻す）").click()
    expect(page.locator(".message-success")).to_contain_text("提出を取り下げました")
    expect(page.locator("#thread")).to_contain_text("人数を確かめます。")
    assert_accessible(page, "conversation-withdrawn")
    confirm_and_submit(page, "conversation-confirm-again")
    logout(page)

    # staff see old → new against 令和4年度 第4四半期 and return it with a comment
    login(page, base, "prefecture")
    page.goto(f"{base}/reports/review/")
    page.get_by_role("link", name="萩市").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("確認: 萩市")
    dx = page.locator("#cmp-dx").locator("xpath=..")
    expect(dx.locator("ins")).to_contain_text(["はい", "3名"])
    expect(dx.locator("del")).to_contain_text(["いいえ"])
    expect(page.locator("#change-summary")).to_contain_text("DX推進体制: 2か所を変更")
    assert_accessible(page, "conversation-review")
    page.get_by_label("差戻しの理由（必須）").fill("外部人材は2名ではありませんか。")
    page.get_by_role("button", name="差し戻す").click()
    expect(page.locator(".message-success")).to_contain_text("差し戻しました")
    logout(page)

    # the liaison answers in the thread, fixes the count and resubmits
    login(page, base, "liaison-hagi")
    page.get_by_role("link", name="入力・提出する").click()
    expect(page.locator("#thread")).to_contain_text("外部人材は2名ではありませんか。")
    page.get_by_label("コメント", exact=True).fill("ご指摘のとおり2名でした。修正します。")
    page.get_by_role("button", name="コメントを送る").click()
    expect(page.locator(".message-success")).to_contain_text("コメントを送りました")
    expect(page.locator("#thread .thread-item")).to_have_count(3)
    assert_accessible(page, "conversation-thread")
    page.get_by_role("link", name="DX推進体制を編集する").click()
    page.get_by_label("外部人材の人数").fill("2")
    page.get_by_role("button", name="保存する").click()
    confirm_and_submit(page, "conversation-confirm-third")
    logout(page)

    # staff read the answer beside the changes and approve
    login(page, base, "prefecture")
    page.goto(f"{base}/reports/review/")
    page.get_by_role("link", name="萩市").click()
    expect(page.locator("#thread")).to_contain_text("ご指摘のとおり2名でした。")
    expect(page.locator("#cmp-dx").locator("xpath=..").locator("ins")).to_contain_text(["はい", "2名"])
    page.get_by_role("button", name="承認する").click()
    expect(page.locator(".message-success")).to_contain_text("承認しました")
    assert_accessible(page, "conversation-approved")
    page.close()

    report = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2023, period__quarter=1)
    assert [e.action for e in report.events.all()] == [
        "create",
        "submit",
        "withdraw",
        "submit",
        "return",
        "comment",
        "submit",
        "approve",
    ]
