"""Steward settings, read from the environment (12-factor) with safe embedded defaults.

Every variable is documented in docs/configuration.md and .env.example.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DATA_DIR = Path(env.str("STEWARD_DATA_DIR", default=str(BASE_DIR / "var")))
if not DATA_DIR.is_absolute():
    DATA_DIR = BASE_DIR / DATA_DIR
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("STEWARD_DEBUG", default=False)
HTTPS = env.bool("STEWARD_HTTPS", default=False)

# --- database -------------------------------------------------------------------------------
_database_url = env.str("DATABASE_URL", default="") or f"sqlite:///{DATA_DIR / 'steward.sqlite3'}"
DATABASES = {"default": env.db_url_config(_database_url)}
EMBEDDED = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if EMBEDDED:
    # SQLite with writers that queue for their turn (core/embedded_db/base.py)
    DATABASES["default"]["ENGINE"] = "steward.core.embedded_db"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue instead of failing with "database is locked" half-way through.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
# Connections are kept between requests (each server thread has its own). A new SQLite
# connection re-reads the schema and runs the PRAGMAs above: ~3 ms on every request otherwise.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("STEWARD_DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL: parameters bound by the server, and a statement run a second time on a connection
# prepared there (psycopg's prepare_threshold), so PostgreSQL plans it once per connection
# instead of on every request: the write path's lookups plan longer than they run. Off behind a
# pooler in transaction mode (PgBouncer), where a connection's prepared statements are not its own.
if not EMBEDDED and env.bool("STEWARD_DB_PREPARED", default=True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )

# --- secret key -----------------------------------------------------------------------------
SECRET_KEY = env.str("STEWARD_SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or EMBEDDED):
        raise ImproperlyConfigured(
            "STEWARD_SECRET_KEY must be set when STEWARD_DEBUG is off and DATABASE_URL names a "
            "server database (production mode)."
        )
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env.list("STEWARD_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("STEWARD_CSRF_TRUSTED_ORIGINS", default=[])

# --- applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "huey.contrib.djhuey",
    # Steward practices, lowest layer first (see docs/architecture.md).
    "steward.core",
    "steward.people",
    "steward.notifications",
    "steward.services",
    "steward.ownership",
    "steward.slm",
    "steward.approvals",
    "steward.incidents",
    "steward.changes",
    "steward.problems",
    "steward.fulfilment",
    "steward.knowledge",
    "steward.satisfaction",
    "steward.portal",
    "steward.mailbox",
    "steward.reporting",
    "steward.improvement",
    "steward.reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "steward.core.middleware.SecurityHeadersMiddleware",
    "steward.core.middleware.ApiResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "steward.core.practices.PracticeGateMiddleware",
    "steward.people.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "steward.urls"
STEWARD_API = "steward.api.api"
WSGI_APPLICATION = "steward.wsgi.application"
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "people:login"
#: Where the account menu's "Sign out" posts (the core names no URL of a higher app).
STEWARD_LOGOUT_URL = "people:logout"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "steward.core.context_processors.navigation",
            ],
        },
    }
]

# Everyday widgets rendered in Python, byte for byte as Django's templates (core/form_renderer.py)
FORM_RENDERER = "steward.core.form_renderer.StewardFormRenderer"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- i18n / time ----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("fr", "Français")]
TIME_ZONE = env.str("STEWARD_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background queue -----------------------------------------------------------------------
_queue_url = env.str("STEWARD_QUEUE_URL", default="") or f"sqlite:///{DATA_DIR / 'queue.sqlite3'}"
if _queue_url.startswith(("redis://", "rediss://")):
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "steward",
        "url": _queue_url,
        "immediate": False,
        "consumer": {
            "workers": env.int("STEWARD_QUEUE_WORKERS", default=4),
            "worker_type": "thread",
        },
    }
elif _queue_url.startswith("sqlite:///"):
    HUEY = {
        "huey_class": "steward.core.queue_storage.EmbeddedHuey",
        "name": "steward",
        "filename": _queue_url.removeprefix("sqlite:///"),
        "immediate": False,
        "consumer": {
            "workers": env.int("STEWARD_QUEUE_WORKERS", default=2),
            "worker_type": "thread",
        },
    }
else:
    raise ImproperlyConfigured(
        f"STEWARD_QUEUE_URL must start with redis://, rediss:// or sqlite:///, not {_queue_url!r}"
    )
QUEUE_URL = _queue_url

# --- mail -----------------------------------------------------------------------------------
_email_url = env.str("STEWARD_EMAIL_URL", default="")
if _email_url:
    vars().update(env.email_url_config(_email_url))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("STEWARD_EMAIL_FROM", default="steward@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("STEWARD_EMAIL_TIMEOUT", default=20)
#: Outbox delivery: attempts before a message is marked failed, and the first retry delay.
OUTBOX_MAX_ATTEMPTS = env.int("STEWARD_OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BASE_SECONDS = env.int("STEWARD_OUTBOX_RETRY_BASE_SECONDS", default=30)
#: Mail in (steward/mailbox): the largest message processed (larger ones wait in quarantine),
#: the authserv-ids of our own receiving servers whose Authentication-Results "pass" count,
#: and the X-Loop value Steward writes on its mail and recognises coming back.
#: Webhooks: the seconds a receiver has to answer, and the deliveries in a row that may fail
#: every attempt before a subscription switches itself off.
STEWARD_WEBHOOK_TIMEOUT = env.int("STEWARD_WEBHOOK_TIMEOUT", default=10)
STEWARD_WEBHOOK_DISABLE_AFTER = env.int("STEWARD_WEBHOOK_DISABLE_AFTER", default=5)
STEWARD_MAIL_MAX_BYTES = env.int("STEWARD_MAIL_MAX_BYTES", default=25 * 1024 * 1024)
STEWARD_MAIL_AUTHSERV_IDS = [s.lower() for s in env.list("STEWARD_MAIL_AUTHSERV_IDS", default=[])]
STEWARD_MAIL_LOOP_ID = env.str(
    "STEWARD_MAIL_LOOP_ID", default=DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "steward"
)

# --- security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("STEWARD_SESSION_AGE", default=60 * 60 * 12)
# Request size limits: form and JSON bodies (attachments use their own limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("STEWARD_MAX_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("STEWARD_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("STEWARD_HSTS_PRELOAD", default=True)
    SECURE_SSL_HOST = env.str("STEWARD_SSL_HOST", default="") or None

#: Sign-in throttle (people/operations/sign_in.py, docs/security-auth.md), over
#: LOGIN_THROTTLE_WINDOW seconds: failed attempts allowed per username from one client address,
#: per client address (all usernames and bad API tokens together) and per username from all
#: addresses together.
LOGIN_THROTTLE_ATTEMPTS = env.int("STEWARD_LOGIN_ATTEMPTS", default=5)
LOGIN_THROTTLE_ADDRESS_ATTEMPTS = env.int("STEWARD_LOGIN_ADDRESS_ATTEMPTS", default=20)
LOGIN_THROTTLE_USERNAME_ATTEMPTS = env.int("STEWARD_LOGIN_USERNAME_ATTEMPTS", default=100)
LOGIN_THROTTLE_WINDOW = env.int("STEWARD_LOGIN_WINDOW", default=15 * 60)
#: Addresses or networks (CIDR) of the reverse proxies whose X-Forwarded-For names the client.
#: Empty: the header is ignored and the connecting address is the client.
STEWARD_TRUSTED_PROXIES = env.list("STEWARD_TRUSTED_PROXIES", default=[])
for _proxy in STEWARD_TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo fails at start, not on a sign-in
#: Every sign-in (both forms, the admin's included) goes through the throttled backend.
AUTHENTICATION_BACKENDS = ["steward.people.auth.ThrottledModelBackend"]
#: Longest lifetime of a new API token, in days (also the lifetime when none is asked for).
STEWARD_TOKEN_MAX_DAYS = env.int("STEWARD_TOKEN_MAX_DAYS", default=365)

#: API list pages: default and maximum page size.
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
# Lists and queue tabs in the pages count exactly up to this many rows and show "more than
# N" beyond (counting 50,000 rows on every page view costs more than the page). The API counts
# exactly.
STEWARD_LIST_COUNT_LIMIT = env.int("STEWARD_LIST_COUNT_LIMIT", default=10_000)

#: Knowledge: semantic matching of articles (a local embedding model computed by the worker,
#: never on the request path; needs `make semantic`'s packages). Off: full-text only.
STEWARD_KNOWLEDGE_SEMANTIC = env.bool("STEWARD_KNOWLEDGE_SEMANTIC", default=False)

#: Incidents: resolved incidents close after this many days; largest attachment in bytes.
STEWARD_INCIDENT_AUTO_CLOSE_DAYS = env.int("STEWARD_INCIDENT_AUTO_CLOSE_DAYS", default=7)
STEWARD_ATTACHMENT_MAX_BYTES = env.int("STEWARD_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)

#: Satisfaction: a survey link works this many days; a person gets at most one survey in this
#: many days; a score below this (1 or 2 by default) opens a follow-up for the group's manager.
STEWARD_SURVEY_DAYS = env.int("STEWARD_SURVEY_DAYS", default=14)
STEWARD_SURVEY_MIN_DAYS = env.int("STEWARD_SURVEY_MIN_DAYS", default=7)
STEWARD_SURVEY_FOLLOW_UP_BELOW = env.int("STEWARD_SURVEY_FOLLOW_UP_BELOW", default=3)

#: Approvals: a pending step reminds its approvers after this many business days (and again
#: each time as many pass) and is escalated once after this many.
STEWARD_APPROVAL_REMIND_DAYS = env.int("STEWARD_APPROVAL_REMIND_DAYS", default=2)
STEWARD_APPROVAL_ESCALATE_DAYS = env.int("STEWARD_APPROVAL_ESCALATE_DAYS", default=4)
#: The address people reach Steward at, for links in email (one-click approval, surveys).
STEWARD_SITE_URL = env.str("STEWARD_SITE_URL", default="http://localhost:8000").rstrip("/")

STEWARD_PORT = env.int("STEWARD_PORT", default=8000)
STEWARD_WEB_WORKERS = env.int("STEWARD_WEB_WORKERS", default=3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("STEWARD_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The Huey consumer installs its own handler on "huey"; don't print its lines twice.
        "huey": {"propagate": False, "handlers": ["console"]},
        "huey.consumer": {"propagate": False},
    },
}
