"""Production settings: behind a TLS-terminating proxy, served by gunicorn, static files by whitenoise.

Required environment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, EMAIL_URL.
Mail comes from DEFAULT_FROM_EMAIL (default noreply@ the first allowed host) and links to
PORTAL_BASE_URL (default https:// the first allowed host).
The proxy must set `X-Forwarded-Proto: https` (see SECURE_PROXY_SSL_HEADER) and strip it from clients.
"""

import os

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, EMAIL_URL, PORTAL_MAIL_NAME, SECRET_KEY, env_bool

DEBUG = False
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random string of 50 or more characters.")
if not EMAIL_URL:
    raise ImproperlyConfigured(
        "EMAIL_URL must be set: the portal mails notices, reminders and password resets "
        "(e.g. smtp://mail.example.lg.jp:25, submission://user:password@host, console://)."
    )
_host = next((host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"), "localhost")
DEFAULT_FROM_EMAIL = (
    os.environ.get("DEFAULT_FROM_EMAIL")
    or dj_email_url.parse(EMAIL_URL).get("DEFAULT_FROM_EMAIL")
    or f"{PORTAL_MAIL_NAME} <noreply@{_host}>"
)
SERVER_EMAIL = (
    os.environ.get("SERVER_EMAIL") or dj_email_url.parse(EMAIL_URL).get("SERVER_EMAIL") or DEFAULT_FROM_EMAIL
)
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", f"https://{_host}").rstrip("/")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Only ever off for a local trial without TLS (docker compose on localhost); never in production.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
