"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import plotly

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "council",
    "standardization",
    "online_procedures",
    "mynumber",
    "rpa",
    "analog_review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "council.middleware.SessionExpiryMiddleware",  # records the expiry when the session is saved
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "council.middleware.AnonymousBodyLimitMiddleware",  # before anything reads the body
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "council.middleware.LoginRequiredMiddleware",  # Django's, keeping a form posted after expiry
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # the parts of `council` (framework, dx, meetings) keep their own templates beside their code
        "DIRS": [BASE_DIR / "templates"]
        + [BASE_DIR / "council" / part / "templates" for part in ("framework", "dx", "meetings")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "council.context_processors.portal",
            ],
        },
    }
]

# DATABASE_URL selects PostgreSQL (psycopg 3); without it the embedded SQLite under var/ is used,
# in WAL mode so that readers (dashboards during a meeting) do not block writers (liaisons saving).
# PostgreSQL connections persist for a minute and are checked before a request reuses them, so a
# connection the server dropped (a restart, a failover, a proxy's idle timeout) costs no request.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "db.sqlite3"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "CONN_HEALTH_CHECKS": True,  # only matters if CONN_MAX_AGE is ever set for SQLite
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "council.auth.PortalBackend",  # ModelBackend, with the portal profile in the same query
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LOCALE_PATHS = [BASE_DIR / "locale"]  # the portal's wording over a library's (locale/ja/LC_MESSAGES)
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js comes from the plotly package itself: the portal runs on closed LGWAN networks, no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
# data-entry pages warn this long before the login expires, with a button to extend it
PORTAL_SESSION_WARNING_SECONDS = int(os.environ.get("PORTAL_SESSION_WARNING_SECONDS", "300"))
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Login lockout (django-axes): keyed on username *and* IP, because a whole municipal office on LGWAN
# shares one address; a cool-off, never a permanent lock.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# behind the TLS proxy: how many proxies put the client address in X-Forwarded-For
AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"]) if os.environ.get("AXES_PROXY_COUNT") else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Content-Security-Policy (django-csp): everything from the portal itself; no inline script and no
# eval. Styles allow inline because plotly.js styles its SVG with style elements and attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploads: imports read at most PORTAL_MAX_UPLOAD_BYTES; larger requests are refused before parsing.
PORTAL_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Request bodies of anyone not logged in (the login forms are under 1 KB): larger ones are refused
# with 413 by council.middleware.AnonymousBodyLimitMiddleware before they are read.
PORTAL_ANONYMOUS_MAX_BODY_BYTES = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Imports: a file that passed its dry run waits in the database (every worker sees it) this long for
# its confirm, at most IMPORT_STASH_PER_USER files per user and kind of import (the newest replaces
# the oldest). Expired ones go on the next upload or confirm, and with `manage.py clean_import_stash`.
IMPORT_STASH_SECONDS = int(os.environ.get("IMPORT_STASH_SECONDS", "3600"))
IMPORT_STASH_PER_USER = int(os.environ.get("IMPORT_STASH_PER_USER", "3"))
AXES_VERBOSE = False

# Dashboards: the rendered dashboard part is cached per data version (see council/cache.py)
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "600"))
