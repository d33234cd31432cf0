"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

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
    "programmes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "council.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, the header built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "council.middleware.SessionExpiryMiddleware",  # records the expiry when the session is saved
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "council.sessions.AuthenticationMiddleware",  # Django's, the user read with the session
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
        + [BASE_DIR / "council" / part / "templates" for part in ("framework", "dx", "meetings", "accounts")],
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
#
# SQLite has one writer at a time; the writers queue instead of failing with "database is locked":
# - every transaction begins IMMEDIATE, taking the write lock before it reads (a DEFERRED one that
#   has read first may not wait: once another writer has committed, SQLite refuses its upgrade at once);
# - a writer that finds the lock taken waits up to `timeout` seconds (SQLite's busy timeout). 20 s
#   rather than Python's 5 s: a save holds the lock for milliseconds, but waits over 5 s were measured
#   behind other writers on a busy server (benchmarks/sqlite_meeting.py under runserver), and a save
#   that waits is better than a save lost. `make run` serves with gunicorn (a bounded number of
#   threads, see config/gunicorn.conf.py), which keeps the waits short in the first place.
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
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Mail: EMAIL_URL selects the way out as DATABASE_URL selects the database (dj-email-url):
#   smtp://user:password@mail.example.lg.jp:25   submission://user:password@host (587, STARTTLS)
#   smtp://host:465?ssl=1   console://   file:///var/mail (a path relative to the project: var/mail/)
# without it mail is printed to the console (development settings write it under var/mail/ instead;
# production settings refuse to start). Every mail goes through council.mail's outbox.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
_email = dj_email_url.parse(EMAIL_URL) if EMAIL_URL else {}
if EMAIL_URL and "EMAIL_BACKEND" not in _email:
    raise ImproperlyConfigured(
        f"EMAIL_URL の形式 {EMAIL_URL.split(':', 1)[0]!r} は使えません"
        "（smtp://、submission://、console://、file:// のいずれか）。"
    )
EMAIL_BACKEND = _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# a mail server that does not answer must not hold a request for long (`?timeout=` in EMAIL_URL)
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 10
EMAIL_FILE_PATH = BASE_DIR / (_email.get("EMAIL_FILE_PATH") or "var/mail")
PORTAL_MAIL_NAME = "山口県デジタル・ガバメント構築連携会議 ポータル"  # the sender's name in every mail
DEFAULT_FROM_EMAIL = (
    os.environ.get("DEFAULT_FROM_EMAIL")
    or _email.get("DEFAULT_FROM_EMAIL")
    or f"{PORTAL_MAIL_NAME} <noreply@localhost>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL") or _email.get("SERVER_EMAIL") or DEFAULT_FROM_EMAIL
# the portal's address as its users reach it: the links in mails (no trailing slash)
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# the outbox (council.mail): how many mails an action sends itself after it commits (the rest, and
# every retry that is due, go with the next action or `manage.py send_outbox`), and how often a
# failed mail is tried again (5 minutes after the first failure, doubling, at most 6 hours apart)
OUTBOX_SEND_AFTER_COMMIT = int(os.environ.get("OUTBOX_SEND_AFTER_COMMIT", "100"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))
# reminders (`manage.py send_reminders`, daily): days before the deadline on which liaisons whose
# report is not submitted are reminded (and once after it), with a digest to the prefecture's staff
REMINDER_DAYS_BEFORE = sorted({int(days) for days in env_list("REMINDER_DAYS_BEFORE", "7,1")}, reverse=True)

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
# the one-time links of invitation and password-reset mails (council.accounts.mails) work this long
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PORTAL_PASSWORD_LINK_HOURS", "72")) * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LOCALE_PATHS = [BASE_DIR / "locale"]  # the portal's wording over a library's (locale/ja/LC_MESSAGES)
LANGUAGES = [("ja", "日本語")]
# one language: Django translates into LANGUAGE_CODE when no request activates another, so there is no
# LocaleMiddleware (it read Accept-Language and the path on every request to choose among one; about
# 7 % of a trivial request in benchmarks/request_cost.py --profile)
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# plotly.js is served by the portal (closed LGWAN networks, no CDN): the partial "cartesian" bundle
# with the trace types the portal draws (bar, heatmap, scatter), vendored under static/vendor/plotly/
# with its version and licence (scripts/vendor_plotly.sh refreshes it): ~0.4 MB over the wire with
# brotli instead of the full bundle's ~1.4 MB. collectstatic writes .br and .gz beside every file and
# hashes the names; whitenoise serves the compressed copy the browser accepts, and a hashed name with
# `Cache-Control: max-age=315360000, public, immutable`, so a repeat visit asks for nothing.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise's compressed manifest storage, each URL worked out once per process
    "staticfiles": {"BACKEND": "council.staticfiles.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
# Messages ("…を保存しました") travel in a signed cookie (the session only for one too large for it):
# with the session storage every save wrote the session twice more (the message added, then shown),
# each a write transaction queueing for SQLite's one writer. A page that shows no message writes
# nothing; tests/council/test_concurrent_saves.py counts the writes.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"
# data-entry pages warn this long before the login expires, with a button to extend it
PORTAL_SESSION_WARNING_SECONDS = int(os.environ.get("PORTAL_SESSION_WARNING_SECONDS", "300"))

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

# Dashboards: the rendered dashboard part is cached per data version (see council/framework/cache.py)
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "600"))

# Several app servers (REDIS_URL, e.g. redis://redis:6379/0): the cache every server shares (Django's
# own Redis backend; the rendered dashboards, the users of the sessions) and the sessions in it, with
# the database behind them (`cached_db`: a session survives a Redis restart, and a session read costs
# no database query). Without it, one server: each process's local-memory cache, sessions in the
# database. Login lockouts (django-axes) are rows in the database either way, so they hold on every
# server. REDIS_KEY_PREFIX keeps several portals (or test runs) on one Redis apart.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "council.redis_cache.RedisCache",  # Django's, one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "portal"),
            "TIMEOUT": 60 * 60,
        }
    }
    # Django's cached_db, reading the user and the data version with the session (council.sessions)
    SESSION_ENGINE = "council.sessions"
    # what the shared cache takes off every request (council.auth, council.framework.cache): the
    # logged-in user with their profile, forgotten on every save; the dashboards' data version,
    # moved with every change (the row in the database stays the truth and refills it)
    PORTAL_USER_CACHE_SECONDS = int(os.environ.get("PORTAL_USER_CACHE_SECONDS", "300"))
    DASHBOARD_VERSION_IN_CACHE = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    PORTAL_USER_CACHE_SECONDS = 0  # each process's own memory: a change elsewhere could not reach it
    DASHBOARD_VERSION_IN_CACHE = False
