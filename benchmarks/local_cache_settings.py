"""Production settings with the several-server setup's shared cache in the process's own memory: what
a request costs without the round trips to Redis (benchmarks/request_cost.py's breakdown only)."""

from config.settings.production import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "council.sessions"
PORTAL_USER_CACHE_SECONDS = 300
DASHBOARD_VERSION_IN_CACHE = True
