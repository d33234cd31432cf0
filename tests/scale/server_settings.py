"""The settings of the gunicorn servers the two-server test starts: production's, everything from the
environment (DATABASE_URL, REDIS_URL, …), but static files from the finders (no collectstatic in a
test) and the tests' fast password hasher first (the test's users are made by the test process)."""

from config.settings.production import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
