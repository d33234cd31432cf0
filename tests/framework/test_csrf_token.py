"""The CSRF token drawn on cached dashboards (council.csrf): Django's token, with its mask drawn in
one read of the system's randomness; Django's middleware accepts it, and the mask is even."""

from collections import Counter

from django.middleware import csrf as django_csrf
from django.test import RequestFactory

from council import csrf


def request_with_secret():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = django_csrf._get_new_csrf_string()
    return request


def test_the_token_unmasks_to_the_requests_secret():
    request = request_with_secret()
    tokens = {csrf.get_token(request) for _ in range(50)}
    assert len(tokens) == 50  # a new mask for every response
    for token in tokens:
        assert len(token) == django_csrf.CSRF_TOKEN_LENGTH and set(token) <= set(csrf.CHARS)
        assert django_csrf._unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META  # the cookie the browser holds, not sent again


def test_a_cached_dashboard_sends_no_cookie_and_its_logout_works(client, member, settings):
    """A dashboard read again sends no Set-Cookie (neither the session's nor the CSRF cookie) and is
    marked private (it names the person), and the token in its logout form is accepted by Django's
    CSRF check."""
    import re

    from django.test import Client
    from django.urls import reverse

    settings.DASHBOARD_CACHE_SECONDS = 600
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(reverse("council:dashboard"))  # the CSRF cookie a browser holds
    response = client.get(reverse("council:dashboard"))
    assert not response.cookies  # no Set-Cookie
    assert "private" in response["Cache-Control"]  # a shared proxy keeps no one's page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/ping").status_code == 302  # logged out


def test_a_request_without_a_secret_gets_djangos_new_one():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    assert django_csrf._unmask_cipher_token(token) == request.META["CSRF_COOKIE"]


def test_every_character_of_the_mask_is_equally_likely():
    """62 characters over 64,000 draws: the modulo's bias, were bytes 248–255 kept (folding onto the
    first 8 characters), would give a chi-square of about 420; an even draw stays under 150 (its
    99.999th percentile, 61 degrees of freedom, is about 120)."""
    counts = Counter(index for _ in range(2000) for index in csrf.mask())
    expected = 64_000 / len(csrf.CHARS)
    assert set(counts) == set(range(len(csrf.CHARS)))
    assert sum((count - expected) ** 2 / expected for count in counts.values()) < 150
