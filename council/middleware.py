"""Request guards that run before any view or middleware reads the request."""

from django.conf import settings
from django.shortcuts import render

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
