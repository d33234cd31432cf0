"""Safe data entry: what keeps typed values from being lost to an expired login (#13).

- **When the login expires.** A session expires `get_expiry_age()` seconds after it was last saved.
  `council.middleware.SessionExpiryMiddleware` writes that moment into the session whenever the
  session is saved anyway (a login, the extend button, a message kept in the session), so a
  data-entry page knows it without writing the session itself (reading a page writes nothing). The page warns
  `PORTAL_SESSION_WARNING_SECONDS` before it and offers to extend (`session_extend`).
- **A save posted after it expired.** The login-required middleware sends the person to the login
  page; for a view with `keeps_unsaved_entry` it first keeps the posted form in the new (anonymous)
  session (`keep`). Django's login keeps a session's data when it only gains a user (it changes
  the key, not the data), so after the login the form's page takes the values back (`take`) and
  shows them in the form, not saved: the person checks them and presses 保存する again. Values are
  given back once, on the same form, within `KEEP_SECONDS`, and only to the user name the page was
  shown to (the form carries it in `ENTRY_USER_FIELD`; on a shared computer another person logging
  in does not get them). The CSRF token is not kept; a posted body is at most the anonymous body
  limit (64 KB, `AnonymousBodyLimitMiddleware`), well above what a section form sends.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, QueryDict

EXPIRES_AT = "portal.expires_at"  # the session's expiry, epoch seconds, as last saved
UNSAVED = "portal.unsaved_entry"
ENTRY_USER_FIELD = "entry_user"
KEEP_SECONDS = 60 * 60
NOT_KEPT = {"csrfmiddlewaretoken", ENTRY_USER_FIELD}


def warning_seconds() -> int:
    return int(getattr(settings, "PORTAL_SESSION_WARNING_SECONDS", 300))


def expires_in(request: HttpRequest) -> int | None:
    """Seconds until the request's session expires, as last saved; None when not known (a session
    saved before this was recorded, or none)."""
    session = getattr(request, "session", None)
    expires_at = session.get(EXPIRES_AT) if session is not None else None
    return max(int(expires_at - time.time()), 0) if isinstance(expires_at, int | float) else None


def keep(request: HttpRequest) -> None:
    """Keep the form posted to `request.path` for the next `take` after a login (one per session)."""
    data = {name: values for name, values in request.POST.lists() if name not in NOT_KEPT}
    request.session[UNSAVED] = {
        "path": request.path,
        "user": request.POST.get(ENTRY_USER_FIELD, ""),
        "at": time.time(),
        "data": data,
    }


def take(request: HttpRequest) -> QueryDict | None:
    """The form kept for this page and this user, once; None if there is none (the session is only
    written when something was kept)."""
    kept = request.session.get(UNSAVED)
    if not kept:
        return None
    if kept.get("path") != request.path:
        return None  # another form's: it waits for its own page
    del request.session[UNSAVED]
    if kept.get("user") != request.user.get_username() or time.time() - kept.get("at", 0) > KEEP_SECONDS:
        return None
    data = QueryDict(mutable=True)
    for name, values in kept["data"].items():
        data.setlist(name, values)
    return data
