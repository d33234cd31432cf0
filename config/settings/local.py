"""Development settings: what `make run` uses (DEBUG on, embedded SQLite unless DATABASE_URL is set,
mail written as files under var/mail/ unless EMAIL_URL is set)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: E402,F403

SECRET_KEY = SECRET_KEY or "insecure-development-key-only-for-make-run"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
if not EMAIL_URL:  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"  # one file per run under var/mail/
