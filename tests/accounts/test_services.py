"""The account services: usernames, creation all or nothing, the mails through `deliver`, lockouts."""

import io
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from council.accounts import services
from council.models import Profile, Role
from tests.accounts.helpers import lock_out

User = get_user_model()


@pytest.mark.django_db
def test_a_username_is_the_address_and_stays_unique():
    assert services.username_for(" Taro.Hagi@City.Hagi.lg.jp ") == "taro.hagi@city.hagi.lg.jp"
    User.objects.create(username="taro@example.jp")
    User.objects.create(username="TARO@example.jp-2")
    assert services.username_for("taro@example.jp") == "taro@example.jp-3"
    assert len(services.username_for("a" * 300 + "@example.jp")) <= 150


def test_accounts_are_created_all_or_none(hagi, liaison, sent):
    liaison.email = "liaison-hagi@example.jp"
    liaison.save()
    accounts = [
        services.NewAccount(name="萩 一郎", email="ichiro@example.jp", role=Role.LIAISON, organisation=hagi),
        services.NewAccount(
            name="萩 重複", email="Liaison-Hagi@example.jp", role=Role.MEMBER, organisation=hagi
        ),
    ]
    users = User.objects.count()

    def create():
        with pytest.raises(services.AccountError) as refused:
            services.accounts_create(accounts=accounts, created_by=None, site_url="https://portal.example.jp")
        return refused.value.message

    message, mails = sent(create)
    assert services.EMAIL_TAKEN in message
    assert User.objects.count() == users and mails == []  # the first one rolled back, unmailed


def test_every_account_mail_goes_through_deliver(client, hagi, liaison, sent):
    liaison.email = "liaison-hagi@example.jp"
    liaison.save()
    with mock.patch("council.accounts.mails.deliver") as deliver:
        account = services.NewAccount(
            name="萩 一郎", email="ichiro@example.jp", role=Role.LIAISON, organisation=hagi
        )
        services.account_create(account=account, created_by=None, site_url="https://portal.example.jp")
        client.post(reverse("password_reset"), {"email": "liaison-hagi@example.jp"})
        services.account_password_mail(user=liaison, site_url="https://portal.example.jp")
    kinds = [(call.kwargs["kind"], call.kwargs["to"]) for call in deliver.call_args_list]
    assert kinds == [
        ("invitation", ["ichiro@example.jp"]),
        ("password_reset", ["liaison-hagi@example.jp"]),
        ("password_reset", ["liaison-hagi@example.jp"]),
    ]
    invitation = deliver.call_args_list[0].kwargs["body"]
    assert "https://portal.example.jp/accounts/invitation/" in invitation


def test_locked_usernames_and_unlock(client, liaison, other_liaison):
    lock_out(client, "liaison-hagi")
    lock_out(client, "liaison-ube", failures=2)
    assert services.locked_usernames(["liaison-hagi", "liaison-ube", "nobody"]) == {"liaison-hagi"}
    assert services.account_unlock(user=liaison) > 0
    assert services.locked_usernames(["liaison-hagi"]) == set()
    assert services.account_unlock(user=liaison) == 0


def test_deactivate(liaison):
    assert services.account_deactivate(user=liaison) is True
    assert services.account_deactivate(user=liaison) is False
    liaison.refresh_from_db()
    assert not liaison.is_active and Profile.objects.filter(user=liaison).exists()


def test_the_demo_accounts_have_example_jp_addresses(seeded, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    for username in ("prefecture", "council", "liaison-hagi", "liaison-yamaguchi-pref"):
        assert User.objects.get(username=username).email == f"{username}@example.jp"
    emails = list(User.objects.exclude(email="").values_list("email", flat=True))
    assert len(emails) == len(set(emails)) == 22
