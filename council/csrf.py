"""The CSRF token of a page drawn for each request (the logout form on a cached dashboard:
`council.framework.cache.personal`): Django's `get_token`, with its mask drawn in one read of the
system's randomness.

Django masks the secret with 32 fresh random characters for every response (so a compressed page
never repeats the token: BREACH), drawing each one with `secrets.choice` — 32 reads of the system's
randomness and a third of a cached dashboard's own CPU time (benchmarks/request_cost.py --profile).
Here the 32 come from one `secrets.token_bytes` read, bytes of 248 and over dropped so that each of
the 62 characters stays equally likely. The token is the same kind of token: the secret and the
cookie are Django's, and Django's middleware checks it as it checks its own.

Unlike Django's, it does not renew the cookie: Django sends the CSRF cookie again with every page
that shows a token, to restart its year (`CSRF_COOKIE_AGE`); on the dashboards, read over and over
during a meeting, that was a `Set-Cookie` on every response for a cookie that outlives the login
(ten hours) by far. Every other page with a form still renews it."""

import secrets

from django.middleware import csrf

CHARS = csrf.CSRF_ALLOWED_CHARS
# the largest multiple of len(CHARS) that a byte can reach: bytes below it map evenly onto CHARS
EVEN_BELOW = 256 - 256 % len(CHARS)
# byte-wise tables (bytes.translate, in C): a random byte to an index into CHARS, bytes from
# EVEN_BELOW up dropped; a character of CHARS to its index and back
TO_OFFSET = bytes(byte % len(CHARS) for byte in range(256))
UNEVEN = bytes(range(EVEN_BELOW, 256))
TO_INDEX = bytes.maketrans(CHARS.encode(), bytes(range(len(CHARS))))
TO_CHAR = bytes.maketrans(bytes(range(len(CHARS))), CHARS.encode())


def mask() -> bytes:
    """`CSRF_SECRET_LENGTH` uniformly random indexes into CHARS."""
    drawn = b""
    while len(drawn) < csrf.CSRF_SECRET_LENGTH:
        drawn += secrets.token_bytes(48).translate(TO_OFFSET, UNEVEN)
    return drawn[: csrf.CSRF_SECRET_LENGTH]


def get_token(request) -> str:
    """Django's `get_token`: the request's CSRF secret (a new one, with its cookie, when it has none)
    masked for this response."""
    if "CSRF_COOKIE" not in request.META:
        return csrf.get_token(request)  # Django's own path: a new secret and its cookie
    secret = request.META["CSRF_COOKIE"]  # checked by the middleware: CSRF_SECRET_LENGTH of CHARS
    offsets = mask()
    indexes = secret.encode().translate(TO_INDEX)
    cipher = bytes([(index + offset) % len(CHARS) for index, offset in zip(indexes, offsets, strict=True)])
    return (offsets + cipher).translate(TO_CHAR).decode()
