"""Accounts in real Chromium, with axe-core on every page they add: staff onboard two liaisons from a
sheet, a liaison sets a password through the invitation and changes it; a locked-out liaison resets
theirs by mail; staff unlock an account from its page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.accounts.helpers import browser_sheet
from tests.browser import assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_to(address: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [address]]
    return re.search(r"https?://\S+/accounts/(?:invitation|reset)/\S+/", message.body).group(0)


def new_page(browser):
    return browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")


def test_onboarding_invitation_and_password_change(live_server, browser, people, mailoutbox):
    base = live_server.url
    page = new_page(browser)
    login(page, base, "prefecture")
    page.get_by_role("link", name="アカウント", exact=True).click()
    assert_accessible(page, "accounts-admin-list")
    page.get_by_role("link", name="Excel から一括登録").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("アカウントの一括登録")
    assert_accessible(page, "accounts-import")

    # a sheet with a bad row: every error named, nothing written
    page.get_by_label("Excel ファイル（.xlsx）").set_input_files(
        browser_sheet(
            [["352047", "萩 太郎", "taro@example.jp", "連絡担当"], ["352099", "架空", "x@example", "職員"]]
        )
    )
    page.get_by_role("button", name="内容を確認する（まだ書き込みません）").click()
    expect(page.locator("#import-errors")).to_contain_text("団体コード「352099」は登録されていません。")
    expect(page.locator("#import-errors")).to_contain_text(
        "メールアドレス「x@example」の形式が正しくありません"
    )
    assert_accessible(page, "accounts-import-errors")

    # the fixed sheet: a preview, then the import
    page.get_by_label("Excel ファイル（.xlsx）").set_input_files(
        browser_sheet(
            [
                ["352047", "萩 太郎", "taro@example.jp", "連絡担当"],
                ["352021", "宇部 花子", "hanako@example.jp", "連絡担当"],
            ]
        )
    )
    page.get_by_role("button", name="内容を確認する（まだ書き込みません）").click()
    expect(page.get_by_text("新規 2件（それぞれに招待メールを送ります）")).to_be_visible()
    assert_accessible(page, "accounts-import-preview")
    page.get_by_role("button", name="取り込む").click()
    expect(page.locator(".messagelist")).to_contain_text("新規 2件を登録し、招待メールを送りました")
    assert sorted(m.to[0] for m in mail.outbox) == ["hanako@example.jp", "taro@example.jp"]
    page.goto(f"{base}/")
    logout(page)

    # the liaison follows the invitation, sets a password, logs in and changes it
    page.goto(link_to("taro@example.jp"))
    expect(page.get_by_role("heading", level=1)).to_have_text("パスワードの設定")
    assert_accessible(page, "accounts-invitation")
    page.get_by_label("新しいパスワード", exact=True).fill("Hagi-Taro-2024")
    page.get_by_label("新しいパスワード(確認用)").fill("Hagi-Taro-2024")
    page.get_by_role("button", name="パスワードを設定する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("パスワードを設定しました")
    assert_accessible(page, "accounts-invitation-done")
    page.goto(link_to("taro@example.jp"))
    expect(page.get_by_role("alert")).to_contain_text("このリンクは使えません")
    assert_accessible(page, "accounts-invitation-used")
    login(page, base, "taro@example.jp", "Hagi-Taro-2024")
    expect(page.get_by_role("heading", level=1)).to_have_text("萩市の状況報告")
    page.get_by_role("link", name="パスワード変更").click()
    assert_accessible(page, "accounts-password-change")
    page.get_by_label("元のパスワード").fill("wrong-one")
    page.get_by_label("新しいパスワード", exact=True).fill("Hagi-Taro-2025")
    page.get_by_label("新しいパスワード(確認用)").fill("Hagi-Taro-2025")
    page.get_by_role("button", name="パスワードを変更する").click()
    expect(page.get_by_role("alert")).to_contain_text("元のパスワードが間違っています")
    assert_accessible(page, "accounts-password-change-error")
    page.get_by_label("元のパスワード").fill("Hagi-Taro-2024")
    page.get_by_label("新しいパスワード", exact=True).fill("Hagi-Taro-2025")
    page.get_by_label("新しいパスワード(確認用)").fill("Hagi-Taro-2025")
    page.get_by_role("button", name="パスワードを変更する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("パスワードを変更しました")
    assert_accessible(page, "accounts-password-change-done")
    page.close()


def test_a_locked_out_liaison_resets_their_password_by_mail(live_server, browser, people, mailoutbox):
    from django.contrib.auth import get_user_model

    liaison = get_user_model().objects.get(username="liaison-hagi")
    liaison.email = "liaison-hagi@example.jp"
    liaison.save()
    base = live_server.url
    page = new_page(browser)
    page.goto(f"{base}/accounts/login/")
    for _ in range(5):
        page.get_by_label("ユーザー名").fill("liaison-hagi")
        page.get_by_label("パスワード").fill("wrong")
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_load_state()
        if page.get_by_role("heading", name="ログインを一時停止しています").count():
            break
        page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ログインを一時停止しています")
    expect(page.locator("main")).to_contain_text("15分待つ")
    assert_accessible(page, "accounts-locked-out")
    page.get_by_role("link", name="パスワードの再設定").click()
    assert_accessible(page, "accounts-password-reset")
    page.get_by_label("メールアドレス").fill("liaison-hagi")
    page.get_by_role("button", name="再設定のメールを送る").click()
    expect(page.get_by_role("alert")).to_contain_text("メールアドレスの形式が正しくありません")
    assert_accessible(page, "accounts-password-reset-error")
    page.get_by_label("メールアドレス").fill("liaison-hagi@example.jp")
    page.get_by_role("button", name="再設定のメールを送る").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("再設定のメールを送りました")
    assert_accessible(page, "accounts-password-reset-done")
    link = link_to("liaison-hagi@example.jp")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("新しいパスワードの設定")
    assert_accessible(page, "accounts-password-reset-confirm")
    page.get_by_label("新しいパスワード", exact=True).fill("Hagi-Reset-2024")
    page.get_by_label("新しいパスワード(確認用)").fill("Hagi-Reset-2024")
    page.get_by_role("button", name="パスワードを設定する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("パスワードを設定しました")
    assert_accessible(page, "accounts-password-reset-complete")
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("このリンクは使えません")
    assert_accessible(page, "accounts-password-reset-used")
    login(page, base, "liaison-hagi", "Hagi-Reset-2024")  # the reset lifted the lockout
    page.close()


def test_staff_unlock_an_account_from_its_page(live_server, browser, people, mailoutbox):
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from council.models import Municipality, Role
    from tests.factories import UserFactory

    prefecture = Municipality.objects.get(code="350001")
    UserFactory(username="colleague", role=Role.STAFF, organisation=prefecture, is_staff=True)
    liaison = get_user_model().objects.get(username="liaison-hagi")
    liaison.email = "liaison-hagi@example.jp"
    liaison.save()
    AccessAttempt.objects.create(
        username="liaison-hagi",
        ip_address="127.0.0.1",
        user_agent="test",
        failures_since_start=5,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    base = live_server.url
    page = new_page(browser)
    login(page, base, "prefecture")
    page.goto(f"{base}/admin/auth/user/")
    expect(page.locator("#result_list")).to_contain_text("一時停止中")
    page.get_by_role("link", name="liaison-hagi").click()
    assert_accessible(page, "accounts-admin-change-locked")
    page.get_by_role("button", name="ログインの一時停止を解除する").click()
    expect(page.locator(".messagelist")).to_contain_text("ログインの一時停止を解除しました")
    expect(page.get_by_role("button", name="ログインの一時停止を解除する")).to_be_disabled()
    assert not AccessAttempt.objects.filter(username="liaison-hagi").exists()
    page.get_by_role("button", name="パスワード設定のメールを送る").click()
    expect(page.locator(".messagelist")).to_contain_text("パスワード設定のメールを送りました")
    assert [m.to for m in mail.outbox] == [["liaison-hagi@example.jp"]]
    assert_accessible(page, "accounts-admin-change")
    # a colleague's account: read only
    page.goto(f"{base}/admin/auth/user/")
    page.get_by_role("link", name="colleague").click()
    expect(page.get_by_role("button", name="保存")).to_have_count(0)
    assert_accessible(page, "accounts-admin-view-staff")
    # a new account by hand, refused then created
    page.goto(f"{base}/admin/auth/user/add/")
    assert_accessible(page, "accounts-admin-add")
    page.get_by_label("氏名").fill("萩 三郎")
    page.get_by_label("メールアドレス").fill("saburo@example.jp")
    page.get_by_label("役割").select_option("staff")
    page.get_by_label("所属団体").select_option(label="萩市")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("県職員の役割を付与できるのは管理者")
    assert_accessible(page, "accounts-admin-add-error")
    page.get_by_label("役割").select_option("liaison")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("招待メール")
    assert [m.to for m in mail.outbox][-1] == ["saburo@example.jp"]
    page.close()
