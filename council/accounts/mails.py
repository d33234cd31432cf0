"""The account mails: an invitation to set a first password, and a password reset. Each carries a
one-time link made by Django's token machinery (`default_token_generator`: the token stops working
once the password is set, and after `PASSWORD_RESET_TIMEOUT`); no mail ever carries a password.
They go out through `council.mail.deliver`, like every mail of the portal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from council.mail import deliver

SITE_NAME = "山口県デジタル・ガバメント構築連携会議 ポータル"


def link_lifetime() -> str:
    """How long a link works, in words: 3日, 12時間, 30分."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    if seconds % 86400 == 0:
        return f"{seconds // 86400}日"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}時間"
    return f"{max(seconds // 60, 1)}分"


def password_link(user: User, *, site_url: str, url_name: str) -> str:
    """The one-time link of `user` to the set-password page `url_name`."""
    path = reverse(
        url_name,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url.rstrip("/") + path


def deliver_rendered(
    *, to: str, subject_template: str, body_template: str, context: dict[str, Any], kind: str
) -> None:
    """Render a mail's subject (one line) and body and hand them to `deliver`."""
    subject = "".join(render_to_string(subject_template, context).splitlines()).strip()
    body = render_to_string(body_template, context)
    deliver(to=[to], subject=subject, body=body, kind=kind)


def send_invitation(user: User, *, site_url: str) -> None:
    """Tell a new account its username and where to set its first password."""
    deliver_rendered(
        to=user.email,
        subject_template="accounts/mail/invitation_subject.txt",
        body_template="accounts/mail/invitation_body.txt",
        context={
            "user": user,
            "profile": getattr(user, "portal_profile", None),
            "link": password_link(user, site_url=site_url, url_name="invitation_confirm"),
            "login_url": site_url.rstrip("/") + reverse("login"),
            "lifetime": link_lifetime(),
            "site_name": SITE_NAME,
        },
        kind="invitation",
    )


def send_password_reset(user: User, *, site_url: str) -> None:
    """The reset mail of `user`, as the password-reset page sends it (staff send it from the admin)."""
    deliver_rendered(
        to=user.email,
        subject_template="accounts/mail/password_reset_subject.txt",
        body_template="accounts/mail/password_reset_body.txt",
        context=reset_context(
            user, link=password_link(user, site_url=site_url, url_name="password_reset_confirm")
        ),
        kind="password_reset",
    )


def reset_context(user: User, *, link: str) -> dict[str, Any]:
    return {"user": user, "link": link, "lifetime": link_lifetime(), "site_name": SITE_NAME}
