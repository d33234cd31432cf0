"""Dashboard caching: the rendered dashboard page, without its personal parts (the person and the
messages, drawn for each request), is cached per data version, day, page and viewer scope. The data version is a database row, so gunicorn workers with separate local caches all
see a change at once; with a shared cache (REDIS_URL) it is kept in that cache too, so a cached
dashboard costs no query. It moves through `invalidate()` only, after the change commits: on approvals
and reopens (a receiver of the workflow's signal), imports, admin saves and meeting or material saves."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from council import csrf, sessions
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


def page(request, build: Callable[[], str]) -> tuple[bytes, ...]:
    """The dashboard page for this request, without its personal parts (`personal()` draws them) and
    cut where they go (`cut()`): from the cache while the data version is the same, else built by
    `build()` and stored.

    An entry is kept per day, page (with its query) and viewer scope (role and organisations, and
    whether the menu has the admin's links), holding the data version it was built at. What the page
    shows by default (the period staff chose for the next meeting, else the latest complete one)
    follows from exactly these: the data version (approvals and meeting edits move it), the day (a
    meeting stays "next" through its day) and the viewer's scope. With a shared cache (REDIS_URL) the
    current version comes with the session (`council.sessions`) and the page from this process's
    memory (`PAGES`) or else Redis; an entry of another version is rebuilt and replaced, never served
    (a build that started before a change and stores after it is stored under the version it read,
    so nobody sees it after the change)."""
    if not enabled():
        return cut(build())
    key = page_key(request)
    shared = version_in_cache()
    kept_as = cache.make_key(key) if shared else ""  # the cache's own key: its prefix (REDIS_KEY_PREFIX) too
    if shared:
        found = sessions.prefetched([VERSION_KEY], getattr(request, "session", None))
        if found is not None and VERSION_KEY in found:  # read with the session: no round trip yet
            version = found[VERSION_KEY]
            kept = PAGES.get(kept_as)
            if kept is not None and kept[0] == version:
                return kept[1]
            cached = cache.get(key)
        else:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            if version is None:
                version = data_version()
            cached = found.get(key)
    else:
        version, cached = stored_version(), cache.get(key)
    if cached is None or cached[0] != version:
        cached = (version, build())
        cache.set(key, cached, settings.DASHBOARD_CACHE_SECONDS)
    parts = cut(cached[1])
    if shared:
        PAGES.keep(kept_as, (version, parts))
    return parts


def cut(html: str) -> tuple[bytes, ...]:
    """The page encoded and cut at its marks, the person's then the messages': three parts, joined
    with this request's own by `personal()`. Done once per page and process where the page is kept
    here (`PAGES`) rather than for every response: replacing the marks in a 47 KB page and encoding
    it took about 80 µs a request. A page without both marks, in that order, is one part, shown as
    it is."""
    head, person, rest = html.partition(PERSON_MARK)
    middle, messages, tail = rest.partition(MESSAGES_MARK)
    if not (person and messages):
        return (html.encode(),)
    return (head.encode(), middle.encode(), tail.encode())


class Pages:
    """The pages this process served last, each with the data version it was built at: with the
    version read along with the session (`council.sessions`), a page seen before at the current
    version costs no round trip at all. Bounded (the oldest go first); never trusted without the
    current version, which every request reads from the shared cache, and kept no longer than the
    shared cache keeps it (`DASHBOARD_CACHE_SECONDS`), so a change that did not move the version
    (a bulk update in a shell) shows as soon as it would have without this memory."""

    def __init__(self, size: int = 256):
        self.size = size
        self.entries: dict[str, tuple[float, tuple[int, tuple[bytes, ...]]]] = {}
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[int, tuple[bytes, ...]] | None:
        found = self.entries.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def keep(self, key: str, entry: tuple[int, tuple[bytes, ...]]) -> None:
        deadline = time.monotonic() + settings.DASHBOARD_CACHE_SECONDS
        with self.lock:
            self.entries.pop(key, None)
            while len(self.entries) >= self.size:
                del self.entries[next(iter(self.entries))]
            self.entries[key] = (deadline, entry)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


PAGES = Pages()


def personal(request, parts: tuple[bytes, ...]) -> bytes:
    """A page kept for many viewers, with this request's personal parts drawn in: the person logged in
    (name, organisation, the logout form and its CSRF token) and the request's messages. The marks
    come first in the page (the header, then the top of <main>), before anything a page shows of the
    data, and data cannot write them (it is escaped); the page is cut at the first of each (`cut()`).
    The two parts are drawn with what they use only, not with every context processor: the person's
    part once per process and person (`PEOPLE`), its CSRF token for every response; the messages only
    when there are any."""
    if len(parts) == 1:
        return parts[0]
    messages = get_messages(request)
    drawn = get_template("components/messages.html").render({"messages": messages}) if messages else ""
    return b"".join((parts[0], PEOPLE.drawn(request).encode(), parts[1], drawn.encode(), parts[2]))


class People:
    """The header's part for each person this process has drawn it for, with a stand-in for the CSRF
    token that each response gets its own of. The stand-in is random per process, so no name or
    organisation can contain it; a drawing in which it does not occur exactly once is not kept."""

    def __init__(self, size: int = 4096):
        self.size = size
        self.stand_in = secrets.token_hex(16)
        self.drawings: dict[tuple, tuple[str, str]] = {}

    def drawn(self, request) -> str:
        from council.context_processors import links, organisation_of

        user = request.user
        organisation = organisation_of(user)
        key = (user.pk, user.get_full_name(), user.get_username(), organisation and str(organisation))
        halves = self.drawings.get(key)
        if halves is None:
            context = {
                "user": user,
                "portal_organisation": organisation,
                "portal_links": links(),
                "csrf_token": self.stand_in,
            }
            html = get_template("components/person.html").render(context)
            if html.count(self.stand_in) != 1:  # never: the template has one form
                return html.replace(self.stand_in, csrf.get_token(request))
            halves = tuple(html.split(self.stand_in))
            if len(self.drawings) >= self.size:
                self.drawings.clear()
            self.drawings[key] = halves
        return halves[0] + csrf.get_token(request) + halves[1]


PEOPLE = People()
