"""Writes to the portal's accounts: create (with an invitation), unlock, send a password mail,
deactivate. The admin, the onboarding import and the tests all go through here.

A new account has no usable password: its owner sets one through the one-time link of the
invitation mail (`council.accounts.mails`). Mail goes out once the transaction commits
(`council.mail.deliver`), so an import refused halfway mails nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from council.accounts import mails
from council.models import Municipality, Profile
from council.roles import Role, ensure_staff_group

EMAIL_TAKEN = "このメールアドレスは既に別のアカウントで使われています。"
NO_EMAIL = "メールアドレスが登録されていないため、メールを送れません。先にメールアドレスを登録してください。"
INACTIVE = "無効にしたアカウントにはメールを送りません。先に「有効」にしてください。"
USERNAME_MAX = 150  # django.contrib.auth's username column


class AccountError(Exception):
    """A refused account operation; `message` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NewAccount:
    """An account to create: the person's name (氏名), address, role and organisation."""

    name: str
    email: str
    role: Role
    organisation: Municipality | None


def normalize_email(email: str) -> str:
    """The address as it is stored and compared: trimmed, lowercase (people type Taro@City.… and
    taro@city.… for the same mailbox; no mail server of a local government tells them apart)."""
    return email.strip().lower()


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another account already uses `email` (compared without regard to case)."""
    others = User.objects.filter(email__iexact=normalize_email(email))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def username_for(email: str) -> str:
    """A free username for a new account: its e-mail address, which is unique among the accounts
    and what people remember; with `-2`, `-3` … when an older account already has that name."""
    base = re.sub(r"[^\w.@+-]", "", normalize_email(email))[: USERNAME_MAX - 4] or "user"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list("username", flat=True)
    }
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def account_create(
    *, account: NewAccount, created_by: User | None, site_url: str, instance: User | None = None
) -> User:
    """Create one account and mail its invitation once the transaction commits. `instance` is an
    unsaved user to fill in (the admin's form builds one; a username already set on it is kept).
    Refused when the address is already in use."""
    return accounts_create(
        accounts=[account], created_by=created_by, site_url=site_url, instances=[instance]
    )[0]


def accounts_create(
    *,
    accounts: Sequence[NewAccount],
    created_by: User | None,
    site_url: str,
    instances: Sequence[User | None] = (),
) -> list[User]:
    """Create the accounts, all or none: each with no usable password, its role (a staff account
    also gets admin access and the staff group), and an invitation mail after commit."""
    created = []
    with transaction.atomic():
        for index, account in enumerate(accounts):
            email = normalize_email(account.email)
            if email_taken(email):
                raise AccountError(f"{email}: {EMAIL_TAKEN}")
            user = (instances[index] if index < len(instances) else None) or User()
            user.username = user.username or username_for(email)
            user.email = email
            user.last_name = account.name
            user.is_staff = account.role == Role.STAFF
            user.set_unusable_password()
            user.save()
            profile = Profile(user=user, role=account.role, organisation=account.organisation)
            profile._history_user = created_by  # type: ignore[attr-defined]  # simple_history's hook
            profile.save()
            if account.role == Role.STAFF:
                user.groups.add(ensure_staff_group())
            mails.send_invitation(user, site_url=site_url)
            created.append(user)
    return created


def account_password_mail(*, user: User, site_url: str) -> str:
    """Send `user` the mail that lets them set a password: the invitation again while they have
    never set one, else a password reset. Returns which ("invitation" or "password_reset")."""
    if not user.email:
        raise AccountError(NO_EMAIL)
    if not user.is_active:
        raise AccountError(INACTIVE)
    if user.has_usable_password():
        mails.send_password_reset(user, site_url=site_url)
        return "password_reset"
    mails.send_invitation(user, site_url=site_url)
    return "invitation"


def account_unlock(*, user: User) -> int:
    """Lift a login lockout of `user` (django-axes): forget their failed attempts from every
    address. Returns how many records were removed (0: they were not locked)."""
    from axes.utils import reset

    return int(reset(username=user.get_username()))


def account_deactivate(*, user: User) -> bool:
    """Stop `user` from logging in (their sessions end on their next request); their history and
    reports stay. False when they were inactive already."""
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    return True


def locking_attempts(attempts: QuerySet) -> QuerySet:
    """Of django-axes' failed-login records `attempts`, those that lock their username out now, by
    username and address: as many failures as axes allows from one address, within its cool-off
    (the user admin's lockout column filters them with an `OuterRef`, `locked_usernames` by name)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of `usernames` are locked out now. One query whatever the number of names."""
    from axes.models import AccessAttempt

    names = list(usernames)
    if not names:
        return set()
    locking = locking_attempts(AccessAttempt.objects.filter(username__in=names))
    return set(locking.values_list("username", flat=True))
