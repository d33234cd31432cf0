"""Everyone changes their own password and resets a forgotten one by mail, through Django's views
under /accounts/; the links are one-time and expire; the lockout page says how to get back in."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse

from tests.accounts.helpers import link_in, lock_out

NEW = "Hagi-Yamaguchi-2024"


def set_password(client, link, password=NEW):
    """Open a mail's link and set `password` on the page it leads to."""
    form = client.get(link, follow=True)
    assert form.status_code == 200
    return client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def liaison_with_mail(liaison):
    liaison.email = "liaison-hagi@example.jp"
    liaison.set_password("old-password-1")
    liaison.save()
    return liaison


def test_the_standard_url_names_are_under_accounts():
    names = {
        "password_change": "/accounts/password_change/",
        "password_change_done": "/accounts/password_change/done/",
        "password_reset": "/accounts/password_reset/",
        "password_reset_done": "/accounts/password_reset/done/",
        "password_reset_complete": "/accounts/reset/done/",
    }
    for name, url in names.items():
        assert reverse(name) == url
    assert reverse("password_reset_confirm", args=["MQ", "token"]) == "/accounts/reset/MQ/token/"


def test_a_liaison_changes_their_own_password(client, liaison_with_mail):
    client.force_login(liaison_with_mail)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home  # in the header, on every page
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "パスワードの変更" in page.content.decode()
    wrong = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    assert "元のパスワードが間違っています。もう一度入力してください。" in wrong.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": "old-password-1", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert "パスワードを変更しました" in client.get(response.url).content.decode()
    liaison_with_mail.refresh_from_db()
    assert liaison_with_mail.check_password(NEW)


def test_password_change_needs_a_login(client, seeded):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_forgotten_password_is_reset_by_mail_once(client, liaison_with_mail, sent):
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login_page and "パスワードを忘れた場合" in login_page
    response, mails = sent(
        lambda: client.post(reverse("password_reset"), {"email": "Liaison-Hagi@Example.jp"})
    )
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert "3日のあいだ" in client.get(response.url).content.decode()
    [mail] = mails
    assert mail.to == ["liaison-hagi@example.jp"] and "パスワードの再設定" in mail.subject
    assert "old-password-1" not in mail.body and "ユーザー名: liaison-hagi" in mail.body
    link = link_in(mail)
    done = set_password(client, link)
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert "パスワードを設定しました" in client.get(done.url).content.decode()
    assert log_in(client, "liaison-hagi", NEW).status_code == 302
    client.logout()
    # the link is used up
    again = client.get(link, follow=True).content.decode()
    assert "このリンクは使えません" in again and "既に使われたか" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, liaison_with_mail, sent):
    response, mails = sent(lambda: client.post(reverse("password_reset"), {"email": "nobody@example.jp"}))
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mails == []


@pytest.mark.parametrize("address", ["liaison-hagi", "liaison-hagi@", "@example.jp", "a b@example.jp", ""])
def test_an_invalid_address_is_refused_in_japanese(client, liaison_with_mail, sent, address):
    response, mails = sent(lambda: client.post(reverse("password_reset"), {"email": address}))
    expected = "このフィールドは必須です。" if not address else "メールアドレスの形式が正しくありません"
    assert response.status_code == 200 and mails == []
    assert expected in response.content.decode()


def test_an_expired_reset_link_says_so_and_changes_nothing(client, liaison_with_mail, sent):
    from tests.hardening.test_bad_input import fingerprint

    _, [mail] = sent(lambda: client.post(reverse("password_reset"), {"email": "liaison-hagi@example.jp"}))
    before = fingerprint()
    later = datetime.now() + timedelta(days=3, minutes=1)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        page = client.get(link_in(mail), follow=True).content.decode()
    assert "このリンクは使えません" in page and "期限が切れています" in page
    # opened in time, posted too late: refused as well
    form = client.get(link_in(mail), follow=True)
    assert "新しいパスワードを2回入力してください" in form.content.decode()
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200 and "このリンクは使えません" in response.content.decode()
    liaison_with_mail.refresh_from_db()
    assert liaison_with_mail.check_password("old-password-1") and fingerprint() == before


def test_a_tampered_link_is_refused(client, liaison_with_mail, sent):
    _, [mail] = sent(lambda: client.post(reverse("password_reset"), {"email": "liaison-hagi@example.jp"}))
    link = link_in(mail)
    tampered = link[:-3] + ("0" if link[-3] != "0" else "1") + link[-2:]
    assert "このリンクは使えません" in client.get(tampered, follow=True).content.decode()


def test_the_new_password_follows_the_portals_rules(client, liaison_with_mail, sent):
    _, [mail] = sent(lambda: client.post(reverse("password_reset"), {"email": "liaison-hagi@example.jp"}))
    page = set_password(client, link_in(mail), password="12345678").content.decode()
    assert "このパスワードは一般的すぎます。" in page and "このパスワードは数字しか使われていません。" in page
    liaison_with_mail.refresh_from_db()
    assert liaison_with_mail.check_password("old-password-1")


def test_a_reset_lifts_a_lockout(client, liaison_with_mail, sent):
    lock_out(client, "liaison-hagi")
    assert log_in(client, "liaison-hagi", "old-password-1").status_code == 429
    _, [mail] = sent(lambda: client.post(reverse("password_reset"), {"email": "liaison-hagi@example.jp"}))
    set_password(client, link_in(mail))
    assert log_in(client, "liaison-hagi", NEW).status_code == 302


def test_the_lockout_page_says_how_to_get_back_in(client, liaison_with_mail):
    lock_out(client, "liaison-hagi", failures=4)
    page = log_in(client, "liaison-hagi", "wrong").content.decode()
    assert "15分待つ" in page
    assert f'href="{reverse("password_reset")}"' in page and "停止もすぐに解除されます" in page
    assert "メニューの「アカウント」" in page and "停止をすぐに解除できます" in page


def test_an_invitation_link_is_one_time(client, staff, hagi, sent):
    from django.contrib.auth import get_user_model

    from tests.hardening.test_bad_input import fingerprint

    client.force_login(staff)
    form = {"last_name": "萩 一郎", "email": "ichiro@example.jp", "role": "member", "organisation": hagi.pk}
    _, [mail] = sent(lambda: client.post(reverse("admin:auth_user_add"), form))
    client.logout()
    link = link_in(mail)
    assert set_password(client, link).status_code == 302
    before = fingerprint()
    page = client.get(link, follow=True).content.decode()
    assert "このリンクは使えません" in page and "既にパスワードを設定したか" in page
    # a second password through the same link is refused
    again = client.post(
        link.replace(link.rsplit("/", 2)[1], "set-password"), {"new_password1": "x", "new_password2": "x"}
    )
    assert "このリンクは使えません" in again.content.decode()
    assert get_user_model().objects.get(email="ichiro@example.jp").check_password(NEW)
    assert fingerprint() == before


def test_an_expired_invitation_can_still_be_reset_by_mail(client, staff, hagi, sent):
    """The owner of an account that never had a password asks for a reset (the invitation expired):
    Django's form would ignore such an account, the portal's sends the mail."""
    client.force_login(staff)
    form = {"last_name": "萩 一郎", "email": "ichiro@example.jp", "role": "member", "organisation": hagi.pk}
    _, [invitation] = sent(lambda: client.post(reverse("admin:auth_user_add"), form))
    client.logout()
    later = datetime.now() + timedelta(days=4)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        page = client.get(link_in(invitation), follow=True).content.decode()
    assert "このリンクは使えません" in page and "期限が切れています" in page
    _, [mail] = sent(lambda: client.post(reverse("password_reset"), {"email": "ichiro@example.jp"}))
    assert set_password(client, link_in(mail)).status_code == 302
    assert log_in(client, "ichiro@example.jp", NEW).status_code == 302


def test_an_inactive_account_gets_no_reset_mail(client, liaison_with_mail, sent):
    liaison_with_mail.is_active = False
    liaison_with_mail.save()
    _, mails = sent(lambda: client.post(reverse("password_reset"), {"email": "liaison-hagi@example.jp"}))
    assert mails == []
