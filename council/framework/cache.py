"""Dashboard caching: the rendered dashboard page, without its personal parts (the person and the
messages, drawn for each request), is cached per data version, day, page and viewer scope. The data version is a database row, so gunicorn workers with separate local caches all
see a change at once; with a shared cache (REDIS_URL) it is kept in that cache too, so a cached
dashboard costs no query. It moves through `invalidate()` only, after the change commits: on approvals
and reopens (a receiver of the workflow's signal), imports, admin saves and meeting or material saves."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from council.models import DataVersion

KEY = "dashboards"


VERSION_KEY = "dashboards:version"


def version_in_cache() -> bool:
    """With a cache every server and process shares (REDIS_URL), the data version is read from it
    (no query on a cached dashboard); the row stays the truth and refills it when it is missing."""
    return bool(getattr(settings, "DASHBOARD_VERSION_IN_CACHE", False))


def stored_version() -> int:
    version = DataVersion.objects.filter(key=KEY).values_list("version", flat=True).first()
    return version or 0


def data_version() -> int:
    if not version_in_cache():
        return stored_version()
    version = cache.get(VERSION_KEY)
    if version is None:
        version = stored_version()
        # `add`, never `set`: a bump that lands meanwhile is not overwritten by this older value
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def invalidate(*args, **kwargs) -> None:
    """Invalidate every cached dashboard once the current transaction commits (a signal receiver,
    or a plain call; outside a transaction at once)."""
    transaction.on_commit(_bump)


def on_admin_log(sender, raw=False, **kwargs) -> None:
    """An admin edit (its log entry) invalidates; a log entry loaded as it is (`loaddata`, a
    restore: `raw`) records no change and leaves the data version where it is."""
    if not raw:
        invalidate()


def on_meeting_change(sender, raw=False, **kwargs) -> None:
    """A meeting or material saved or deleted (not loaded as it is) may change a dashboard's default."""
    if not raw:
        invalidate()


def _bump() -> None:
    if not DataVersion.objects.filter(key=KEY).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(key=KEY)
    if version_in_cache():
        _bump_cached()


def _bump_cached() -> None:
    """Move the cached version on by one, or put the (already moved) stored one there when it is
    missing. A reader that read the old row and adds it after this `add` fails to; one whose `add`
    came first makes this one's `add` fail, and the loop moves that value on instead."""
    while True:
        try:
            cache.incr(VERSION_KEY)
            return
        except ValueError:  # not in the cache
            if cache.add(VERSION_KEY, stored_version(), timeout=None):
                return


def on_status_change(sender, report, action, **kwargs) -> None:
    from council.models import ReportEvent

    if action in (ReportEvent.Action.APPROVE, ReportEvent.Action.REOPEN):
        invalidate()


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


PERSON_MARK = "<!--portal:person-->"
MESSAGES_MARK = "<!--portal:messages-->"
#: the context of a page kept for many viewers: its personal parts are left as marks (skeleton.html,
#: base.html) and drawn for each request by `personal()`
SHARED_PAGE = {"portal_shared_page": {"person": mark_safe(PERSON_MARK), "messages": mark_safe(MESSAGES_MARK)}}


def page_key(request) -> str:
    """The cache key of a page for this request: its day, viewer scope, menu (with the admin's links
    or not) and full path, hashed together so that no part (the path is the user's to choose) can
    run into another. `dash-page` is this format's own namespace: the dashboard fragments an earlier
    release kept under `dash:` are never taken for whole pages."""
    parts = (
        timezone.localdate().isoformat(),
        scope_key(request.user),
        request.user.is_staff,
        request.get_full_path(),
    )
    return "dash-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def page(request, build: Callable[[], str]) -> str:
    """The dashboard page for this request, without its personal parts (`personal()` draws them): from
    the cache while the data version is the same, else built by `build()` and stored.

    An entry is kept per day, page (with its query) and viewer scope (role and organisations, and
    whether the menu has the admin's links), holding the data version it was built at. What the page
    shows by default (the period staff chose for the next meeting, else the latest complete one)
    follows from exactly these: the data version (approvals and meeting edits move it), the day (a
    meeting stays "next" through its day) and the viewer's scope. With a shared cache (REDIS_URL) the
    entry and the current version are read in one round trip; an entry of another version is rebuilt
    and replaced, never served (a build that started before a change and stores after it is stored
    under the version it read, so nobody sees it after the change)."""
    if not enabled():
        return build()
    key = page_key(request)
    if version_in_cache():
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = data_version()
        cached = found.get(key)
    else:
        version, cached = stored_version(), cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    html = build()
    cache.set(key, (version, html), settings.DASHBOARD_CACHE_SECONDS)
    return html


def personal(request, shared: str) -> str:
    """A page kept for many viewers, with this request's personal parts drawn in: the person logged in
    (name, organisation, the logout form and its CSRF token) and the request's messages. The marks
    come first in the page (the header, then the top of <main>), before anything a page shows of the
    data, and data cannot write them (it is escaped); each is replaced once. The two parts are drawn
    with what they use only, not with every context processor."""
    from council.context_processors import links, organisation_of

    context = {
        "user": request.user,
        "portal_organisation": organisation_of(request.user),
        "portal_links": links(),
        "csrf_token": get_token(request),
        "messages": get_messages(request),
    }
    person = get_template("components/person.html").render(context)
    messages = get_template("components/messages.html").render(context)
    return shared.replace(PERSON_MARK, person, 1).replace(MESSAGES_MARK, messages, 1)
