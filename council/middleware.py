"""Request guards that run before any view or middleware reads the request, and the login
requirement (Django's, keeping a form posted after the login expired)."""

import time

from csp import constants as csp_constants
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpResponse
from django.shortcuts import render

from council import entry

DEFAULT_ANONYMOUS_MAX_BODY_BYTES = 64 * 1024


def declared_length(request) -> int:
    """The body's length as the client declares it (Content-Length); Django reads no more than this,
    and treats a missing or malformed header as an empty body."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class AnonymousBodyLimitMiddleware:
    """Refuse, with 413 and a Japanese page, a request body over `PORTAL_ANONYMOUS_MAX_BODY_BYTES`
    (64 KB) from anyone who is not logged in: the only forms they can send are the login forms, which
    are tiny. Judged by Content-Length before anything reads the body, so a large body is never read
    into memory or a temporary file. Logged-in users keep the upload limits of the import views.

    Placed after AuthenticationMiddleware (which reads the session, never the body) and before the
    CSRF check of the view (which reads the form)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = getattr(settings, "PORTAL_ANONYMOUS_MAX_BODY_BYTES", DEFAULT_ANONYMOUS_MAX_BODY_BYTES)

    def __call__(self, request):
        if declared_length(request) > self.limit and not request.user.is_authenticated:
            return render(request, "413.html", {"limit_kb": self.limit // 1024}, status=413)
        return self.get_response(request)


class SessionExpiryMiddleware:
    """Record when the session expires each time it is saved. Placed right after
    SessionMiddleware, whose response phase (the save) runs after this one's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)
            and not session.is_empty()
        ):
            session[entry.EXPIRES_AT] = int(time.time()) + session.get_expiry_age()
        return response


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's login requirement for every view not marked `login_not_required`. A form posted to
    a view with `keeps_unsaved_entry` by someone whose login has expired is kept (`council.entry`)
    and given back on its page after the login; the login page says so."""

    EXPIRED = (
        "ログインの有効期限が切れていたため、入力した内容はまだ保存していません。"
        "もう一度ログインすると、入力した内容をフォームに戻します。確認してから保存してください。"
    )

    def handle_no_permission(self, request, view_func):
        view = getattr(view_func, "view_class", view_func)
        if request.method == "POST" and getattr(view, "keeps_unsaved_entry", False):
            entry.keep(request)
            messages.warning(request, self.EXPIRED)
        return super().handle_no_permission(request, view_func)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header built once per process: the portal's policy is the
    same for every response (no view changes it, no page uses a nonce), and building it was about a
    tenth of a trivial request (benchmarks/request_cost.py --profile). A response that a view gives
    its own policy (django-csp's decorators) or a request that used a nonce gets django-csp's own
    treatment, so adopting either later needs no change here."""

    PER_RESPONSE = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def __init__(self, get_response):
        super().__init__(get_response)
        self.headers: dict[str, str] | None = None
        policies = (
            getattr(settings, name, None) or {}
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )
        self.cacheable = not any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies)

    def process_response(self, request, response):
        if (
            not self.cacheable
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.PER_RESPONSE)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        if self.headers is None:
            probe = super().process_response(request, HttpResponse())
            self.headers = {
                name: probe[name]
                for name in (csp_constants.HEADER, csp_constants.HEADER_REPORT_ONLY)
                if name in probe
            }
        for name, value in self.headers.items():
            if name not in response:
                response[name] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
