"""Accounts in the admin as the prefecture staff use them: scoped to their prefecture, create with
an invitation, deactivate, unlock, send a password mail; staff and superuser accounts are not theirs."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from council.accounts.services import EMAIL_TAKEN
from council.admin_forms import GRANT_STAFF, NATIONAL_SCOPE, OUTSIDE_SCOPE
from council.models import Profile, Role
from council.roles import STAFF_GROUP
from tests.accounts.helpers import link_in, lock_out
from tests.factories import UserFactory

User = get_user_model()
ADD = reverse("admin:auth_user_add")
LIST = reverse("admin:auth_user_changelist")


def new_account(where, **fields):
    return {
        "last_name": "萩 花子",
        "email": "Hanako.Hagi@City.Hagi.lg.jp",
        "role": "liaison",
        "organisation": where.pk,
        "username": "",
    } | fields


def test_staff_open_the_user_admin_of_their_prefecture_only(client, staff, liaison, member, other_council):
    root = User.objects.create_superuser("root", password="pw")
    client.force_login(staff)
    response = client.get(LIST)
    assert response.status_code == 200  # was 403: the staff group had no permission on users
    rows = response.content.decode().split('id="result_list"')[1]
    assert "liaison-hagi" in rows and "member" in rows
    assert "hiroshima-liaison" not in rows and "hiroshima-staff" not in rows and ">root<" not in rows
    assert client.get(ADD).status_code == 200
    for outsider in (other_council.liaison, root):
        assert client.get(reverse("admin:auth_user_change", args=[outsider.pk])).status_code == 302


def test_staff_create_a_liaison_who_sets_a_password_through_the_invitation(client, staff, hagi, sent):
    client.force_login(staff)
    response, mails = sent(lambda: client.post(ADD, new_account(hagi), follow=True))
    assert response.status_code == 200
    assert "「hanako.hagi@city.hagi.lg.jp」に招待メール" in response.content.decode()
    user = User.objects.get(email="hanako.hagi@city.hagi.lg.jp")
    assert user.username == "hanako.hagi@city.hagi.lg.jp" and user.last_name == "萩 花子"
    assert not user.has_usable_password() and not user.is_staff
    assert user.portal_profile.role == Role.LIAISON and user.portal_profile.organisation == hagi
    assert user.portal_profile.history.first().history_user == staff
    [mail] = mails
    assert mail.to == ["hanako.hagi@city.hagi.lg.jp"]
    assert "アカウントを作成しました" in mail.subject
    assert "ユーザー名: hanako.hagi@city.hagi.lg.jp" in mail.body and "市町 連絡担当者（萩市）" in mail.body
    assert "パスワードはメールではお知らせしません" in mail.body
    # the one-time link: set a password, then log in with it
    client.logout()
    form = client.get(link_in(mail), follow=True)
    assert "パスワードの設定" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Yamaguchi-2024-hagi", "new_password2": "Yamaguchi-2024-hagi"},
    )
    assert done.status_code == 302 and done.url == reverse("invitation_complete")
    login = {"username": "hanako.hagi@city.hagi.lg.jp", "password": "Yamaguchi-2024-hagi"}
    assert client.post(reverse("login"), login).status_code == 302


def test_a_chosen_username_is_kept_and_a_taken_one_refused(client, staff, hagi, sent):
    client.force_login(staff)
    sent(lambda: client.post(ADD, new_account(hagi, username="hagi-hanako")))
    assert User.objects.get(username="hagi-hanako").email == "hanako.hagi@city.hagi.lg.jp"
    response = client.post(ADD, new_account(hagi, username="HAGI-hanako", email="other@city.hagi.lg.jp"))
    assert "このユーザー名は既に使われています" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "staff"}, GRANT_STAFF),
        ({"role": "member", "organisation": ""}, NATIONAL_SCOPE),
        ({"email": "hanako.hagi@city"}, "メールアドレスの形式が正しくありません"),
        ({"email": "花子@萩市"}, "メールアドレスの形式が正しくありません"),
        ({"email": ""}, "このフィールドは必須です"),
        ({"last_name": ""}, "このフィールドは必須です"),
    ],
)
def test_staff_may_not_create_these_accounts(client, staff, hagi, sent, fields, message):
    from tests.hardening.test_bad_input import fingerprint

    client.force_login(staff)
    users, before = User.objects.count(), fingerprint()
    response, mails = sent(lambda: client.post(ADD, new_account(hagi, **fields)))
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.count() == users and fingerprint() == before and mails == []


def test_staff_may_not_create_an_account_in_another_prefecture_or_reuse_an_address(
    client, staff, hagi, liaison, other_council, sent
):
    from tests.hardening.test_bad_input import fingerprint

    liaison.email = "liaison-hagi@example.jp"
    liaison.save()
    client.force_login(staff)
    users, before = User.objects.count(), fingerprint()
    page = client.get(ADD).content.decode()
    assert ">萩市</option>" in page and ">広島県</option>" not in page
    for fields, message in [
        ({"organisation": other_council.towns[0].pk}, OUTSIDE_SCOPE),
        ({"email": "LIAISON-hagi@example.jp"}, EMAIL_TAKEN),
    ]:
        response, mails = sent(lambda fields=fields: client.post(ADD, new_account(hagi, **fields)))
        assert message in response.content.decode() and mails == []
    assert User.objects.count() == users and fingerprint() == before


def test_a_superuser_creates_a_staff_account(client, seeded, sent):
    root = User.objects.create_superuser("root", password="pw")
    client.force_login(root)
    response, mails = sent(
        lambda: client.post(ADD, new_account(seeded, role="staff", email="dx@pref.yamaguchi.lg.jp"))
    )
    assert response.status_code == 302
    user = User.objects.get(email="dx@pref.yamaguchi.lg.jp")
    assert user.is_staff and user.groups.filter(name=STAFF_GROUP).exists()
    assert user.portal_profile.role == Role.STAFF and len(mails) == 1
    # and a national council member (no organisation: every council)
    fields = {"role": "member", "organisation": "", "email": "national@example.jp"}
    assert sent(lambda: client.post(ADD, new_account(seeded, **fields)))[0].status_code == 302
    national = User.objects.get(email="national@example.jp").portal_profile
    assert national.role == Role.MEMBER and national.organisation is None
    # but not a liaison of nowhere
    fields = {"role": "liaison", "organisation": "", "email": "nowhere@example.jp"}
    response, mails = sent(lambda: client.post(ADD, new_account(seeded, **fields)))
    assert "市町 連絡担当者には所属団体が必要です" in response.content.decode() and mails == []


def test_staff_edit_a_liaison_but_only_look_at_staff_accounts(client, staff, liaison, seeded):
    colleague = UserFactory(username="colleague", role=Role.STAFF, organisation=seeded, is_staff=True)
    client.force_login(staff)
    url = reverse("admin:auth_user_change", args=[colleague.pk])
    page = client.get(url).content.decode()
    assert "アカウントの操作" not in page and 'name="_save"' not in page  # read only
    assert client.post(url, {"username": "renamed"}).status_code == 403
    assert client.get(reverse("admin:auth_user_change", args=[staff.pk])).status_code == 200
    # a liaison's page: name, address, active, the role inline; no password, no permissions
    page = client.get(reverse("admin:auth_user_change", args=[liaison.pk])).content.decode()
    assert 'name="email"' in page and 'name="is_active"' in page and 'name="portal_profile-0-role"' in page
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page
    assert "アカウントの操作" in page
    # nobody but a superuser sets a password for someone else; their own they change as anyone does
    assert client.get(reverse("admin:auth_user_password_change", args=[liaison.pk])).status_code == 403
    assert client.get(reverse("admin:password_change")).status_code == 200


def change_form(user, **fields):
    profile = user.portal_profile
    return {
        "username": user.username,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "portal_profile-TOTAL_FORMS": 1,
        "portal_profile-INITIAL_FORMS": 1,
        "portal_profile-MIN_NUM_FORMS": 0,
        "portal_profile-MAX_NUM_FORMS": 1,
        "portal_profile-0-id": profile.pk,
        "portal_profile-0-user": user.pk,
        "portal_profile-0-role": profile.role,
        "portal_profile-0-organisation": profile.organisation_id,
    } | fields


def test_staff_change_a_liaisons_address_and_deactivate_them(client, staff, liaison, member):
    member.email = "member@example.jp"
    member.save()
    client.force_login(staff)
    url = reverse("admin:auth_user_change", args=[liaison.pk])
    response = client.post(url, change_form(liaison, email="Member@example.jp"))
    assert EMAIL_TAKEN in response.content.decode()
    response = client.post(url, change_form(liaison, email="not-an-address"))
    assert "メールアドレスの形式が正しくありません" in response.content.decode()
    assert client.post(url, change_form(liaison, email="Hagi.Liaison@Example.jp")).status_code == 302
    liaison.refresh_from_db()
    assert liaison.email == "hagi.liaison@example.jp"
    # deactivating (the form's box unticked) ends their access; nothing is deleted
    assert client.post(url, change_form(liaison) | {"is_active": ""}).status_code == 302
    liaison.refresh_from_db()
    assert not liaison.is_active and Profile.objects.filter(user=liaison).exists()


def test_the_deactivate_action_logs_the_account_out(client, staff, liaison, seeded):
    colleague = UserFactory(username="colleague", role=Role.STAFF, organisation=seeded, is_staff=True)
    liaison_client = type(client)()
    liaison_client.force_login(liaison)
    assert liaison_client.get(reverse("reports:list")).status_code == 200
    client.force_login(staff)
    response = client.post(
        LIST,
        {"action": "deactivate_accounts", "_selected_action": [liaison.pk, colleague.pk, staff.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 件のアカウントを無効にしました" in page
    assert "「colleague」: 県職員と管理者のアカウントは" in page
    liaison.refresh_from_db()
    colleague.refresh_from_db()
    staff.refresh_from_db()
    assert not liaison.is_active and colleague.is_active and staff.is_active
    assert liaison_client.get(reverse("reports:list")).status_code == 302  # to the login page
    assert client.get(LIST).status_code == 200  # staff keep their own access
    assert not staff.has_perm("auth.delete_user")


def test_staff_unlock_a_locked_out_liaison_from_their_page(client, staff, liaison):
    liaison.set_password("correct-horse-7")
    liaison.save()
    lock_out(client, "liaison-hagi")
    assert (
        client.post(reverse("login"), {"username": "liaison-hagi", "password": "correct-horse-7"}).status_code
        == 429
    )
    client.force_login(staff)
    assert "一時停止中" in client.get(LIST).content.decode()
    url = reverse("admin:auth_user_change", args=[liaison.pk])
    assert "一時停止中" in client.get(url).content.decode()
    assert client.get(reverse("admin:auth_user_unlock", args=[liaison.pk])).status_code == 405  # POST only
    response = client.post(reverse("admin:auth_user_unlock", args=[liaison.pk]), follow=True)
    assert "1 件のアカウントのログインの一時停止を解除しました" in response.content.decode()
    client.logout()
    assert (
        client.post(reverse("login"), {"username": "liaison-hagi", "password": "correct-horse-7"}).status_code
        == 302
    )


def test_the_unlock_action_and_buttons_stay_in_scope(client, staff, liaison, other_council):
    from axes.models import AccessAttempt

    lock_out(client, "hiroshima-liaison")
    client.force_login(staff)
    response = client.post(reverse("admin:auth_user_unlock", args=[other_council.liaison.pk]))
    assert response.status_code == 404
    response = client.post(
        LIST, {"action": "unlock_accounts", "_selected_action": [other_council.liaison.pk]}, follow=True
    )
    assert AccessAttempt.objects.filter(username="hiroshima-liaison").exists()  # not theirs: untouched
    response = client.post(LIST, {"action": "unlock_accounts", "_selected_action": [liaison.pk]}, follow=True)
    assert "一時停止中のアカウントはありませんでした" in response.content.decode()


def test_staff_send_the_mail_that_fits(client, staff, liaison, member, hagi, sent):
    liaison.email = "liaison-hagi@example.jp"
    liaison.save()
    invited = User.objects.create(username="invited", email="invited@example.jp")
    invited.set_unusable_password()
    invited.save()
    Profile.objects.create(user=invited, role=Role.LIAISON, organisation=hagi)
    client.force_login(staff)
    response, mails = sent(
        lambda: client.post(
            LIST,
            {"action": "send_password_mail", "_selected_action": [liaison.pk, invited.pk, member.pk]},
            follow=True,
        )
    )
    page = response.content.decode()
    assert "2 件のアカウントにパスワード設定のメールを送りました" in page
    assert "「member」: メールアドレスが登録されていないため" in page
    by_address = {mail.to[0]: mail for mail in mails}
    assert set(by_address) == {"liaison-hagi@example.jp", "invited@example.jp"}
    assert "パスワードの再設定" in by_address["liaison-hagi@example.jp"].subject
    assert "アカウントを作成しました" in by_address["invited@example.jp"].subject
    assert "/accounts/reset/" in by_address["liaison-hagi@example.jp"].body
    assert "/accounts/invitation/" in by_address["invited@example.jp"].body
    # the button on the account's page sends the same
    response, mails = sent(
        lambda: client.post(reverse("admin:auth_user_password_mail", args=[liaison.pk]), follow=True)
    )
    assert (
        len(mails) == 1
        and "1 件のアカウントにパスワード設定のメールを送りました" in response.content.decode()
    )
    assert link_in(mails[0]).startswith("/accounts/reset/")


def test_the_user_list_query_count_does_not_grow_with_the_accounts(client, staff, seeded, count_queries):
    from council.models import Municipality

    client.force_login(staff)
    towns = list(Municipality.objects.filter(prefecture=seeded))

    def add(n, start):
        for i in range(n):
            UserFactory(username=f"extra-{start + i}", role=Role.LIAISON, organisation=towns[i % len(towns)])

    add(3, 0)
    few = count_queries(lambda: client.get(LIST))
    add(30, 100)
    assert count_queries(lambda: client.get(LIST)) == few
