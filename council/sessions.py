"""Sessions in the shared cache (REDIS_URL) with the database behind them, and the other reads a
logged-in request makes from that cache fetched in the same round trip.

A logged-in request on several servers reads its session, then its user (the copy kept by
`council.auth.PortalBackend` and that copy's generation token), and a dashboard the data version as
well: three round trips to Redis, each taking a context switch to Redis and back. Under load on this
two-core machine that waiting, not Python, was most of `/ping`'s cost (benchmarks/request_cost.py:
`/ping` with the cache in process memory served about 1.8 times the requests of `/ping` on Redis).

`SessionStore` is Django's `cached_db` store, reading the session, the user's copy and generation and
the data version with one `MGET`. The user is not known before the session is read, so each process
remembers which user a session key belonged to when it last read it (`USER_HINTS`); the first request
of a session on a process, and any request whose hint no longer matches, reads the user as before.
The hint only chooses what to read along: the user is still the one the session names, checked by
Django against the session's auth hash, and a value is used only if it was read for exactly the keys
asked (`prefetched`). Nothing is kept longer than the request that read it.

`AuthenticationMiddleware` is Django's, resolving the user with the request's session store in
reach of the backend (`reading_with`)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextvars import ContextVar

from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.utils.functional import SimpleLazyObject

#: session key → the user id it named when this process last read it; bounded, forgotten as a whole
#: when full (a miss costs one more round trip, nothing else)
USER_HINTS: dict[str, str] = {}
USER_HINTS_MAX = 20_000
_hints_lock = threading.Lock()

#: the session store of the request whose user is being resolved (`AuthenticationMiddleware`)
_session: ContextVar[object | None] = ContextVar("portal_session", default=None)


def extra_keys(user_id: str | None) -> list[str]:
    """What a request reads from the shared cache besides its session: the user's cached copy and
    its generation (when the session's user is known), and the dashboards' data version."""
    from council import auth as portal_auth
    from council.framework import cache as dashboard_cache

    keys = []
    if user_id is not None and portal_auth.user_cache_seconds():
        keys += portal_auth.user_cache_keys(user_id)
    if dashboard_cache.version_in_cache():
        keys.append(dashboard_cache.VERSION_KEY)
    return keys


class SessionStore(cached_db.SessionStore):
    """Django's cached database session, read from the cache together with `extra_keys()`."""

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.prefetch_keys: frozenset[str] = frozenset()
        self.prefetched: dict[str, object] = {}

    def load(self):
        session_key = self.session_key
        # the others' values are the default cache's: read along only from that very cache
        keys = extra_keys(USER_HINTS.get(session_key)) if self._cache is caches[DEFAULT_CACHE_ALIAS] else []
        try:
            found = self._cache.get_many([self.cache_key, *keys])
        except Exception:  # as Django's store, a cache that cannot answer leaves the database
            stored = self._get_session_from_db()
            return self.decode(stored.session_data) if stored else {}
        self.prefetch_keys = frozenset(keys)
        self.prefetched = {key: found[key] for key in keys if key in found}
        data = found.get(self.cache_key)
        if data is None:
            data = super().load()  # Django's: the cache once more, then the database
        user_id = data.get(auth.SESSION_KEY)
        if user_id is not None and USER_HINTS.get(session_key) != user_id:
            with _hints_lock:
                if len(USER_HINTS) >= USER_HINTS_MAX:
                    USER_HINTS.clear()
                USER_HINTS[session_key] = user_id
        return data


def prefetched(keys: Iterable[str], session=None) -> dict[str, object] | None:
    """The values of `keys` as read with the session (a key missing from the cache is missing here
    too), or None when they were not all read with it. `session` defaults to the one whose user is
    being resolved."""
    session = session if session is not None else _session.get()
    keys = list(keys)
    if session is None or not getattr(session, "prefetch_keys", frozenset()).issuperset(keys):
        return None
    return {key: session.prefetched[key] for key in keys if key in session.prefetched}


def reading_with(request):
    """The request's user (Django's `get_user`), resolved with its session in the backend's reach."""
    if not hasattr(request, "_cached_user"):
        token = _session.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _session.reset(token)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: reading_with(request))
