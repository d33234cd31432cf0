"""Dashboard caching: the dashboard part of a page is cached per data version, page and viewer
scope. The data version is a database row, so gunicorn workers with separate local caches all
see a change at once; it moves on approvals, reopens, imports and admin edits."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from council.models import DataVersion

KEY = "dashboards"


def data_version() -> int:
    version = DataVersion.objects.filter(key=KEY).values_list("version", flat=True).first()
    return version or 0


def bump(*args, **kwargs) -> None:
    """Invalidate every cached dashboard (a signal receiver, or a plain call)."""
    if not DataVersion.objects.filter(key=KEY).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(key=KEY)


def on_status_change(sender, report, action, **kwargs) -> None:
    from council.models import ReportEvent

    if action in (ReportEvent.Action.APPROVE, ReportEvent.Action.REOPEN):
        bump()


def enabled() -> bool:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 0) > 0


def scope_key(user) -> str:
    """Viewers who see the same dashboards share a key: role and the organisation scope."""
    from council.roles import Role, role_of

    role = role_of(user)
    if user.is_superuser:
        return "all"
    profile = user.portal_profile
    if profile.organisation_id is None:
        return f"{role}:all"
    if role == Role.LIAISON:  # a liaison sees their whole prefecture
        organisation = profile.organisation
        return f"{role}:pref{organisation.prefecture_id or organisation.pk}"
    return f"{role}:org{profile.organisation_id}"


def get(key: str) -> str | None:
    return cache.get(key) if enabled() else None


def put(key: str, html: str) -> None:
    if enabled():
        cache.set(key, html, settings.DASHBOARD_CACHE_SECONDS)


START, END = "<!--dashboard-start-->", "<!--dashboard-end-->"
