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


def test_the_token_unmasks_to_the_requests_secret_and_renews_its_cookie():
    request = request_with_secret()
    tokens = {csrf.get_token(request) for _ in range(50)}
    assert len(tokens) == 50  # a new mask for every response
    for token in tokens:
        assert len(token) == django_csrf.CSRF_TOKEN_LENGTH and set(token) <= set(csrf.CHARS)
        assert django_csrf._unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


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
