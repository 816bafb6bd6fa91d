"""Settings for Tenestetorget.

Everything that differs between the demo, a test run and production comes from the
environment (12-factor); docs/operations.md is the operator's guide. The defaults suit the
demo: an embedded SQLite database under var/ and e-mail written to files under var/mail. The
secret key has no default outside DEBUG: `make demo` keeps one of its own in var/secret_key.
"""

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TENESTETORGET_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# --- Secret key -----------------------------------------------------------------------------
# The key signs sessions, CSRF tokens and the contact form's receipt links: whoever knows it
# can read other people's receipts. The key below is in the repository, so it is public; it
# serves only DEBUG on a developer's machine. With DEBUG off the settings refuse a missing key
# or this one while they are read, so that gunicorn (which runs no system checks), runserver,
# the worker and every command stop alike, before anything is served.
DEMO_SECRET_KEY = "demo-only-insecure-key-set-SECRET_KEY-in-production"  # noqa: S105 - public on purpose
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or (DEMO_SECRET_KEY if DEBUG else "")
# Earlier keys still accepted when checking signatures, for a rotation without logging
# everyone out at once (comma-separated; docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
if not DEBUG and (not SECRET_KEY or DEMO_SECRET_KEY in [SECRET_KEY, *SECRET_KEY_FALLBACKS]):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a secret of this installation's own when DEBUG is off "
        + ("(it is the demo key committed to the repository). " if SECRET_KEY else "(unset). ")
        + "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
        "and keep it out of the repository (docs/operations.md). `make demo` keeps one in "
        "var/secret_key; DEBUG=1 is for a developer's machine only."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks_db",
    # Login throttling (core.login_throttle).
    "axes",
    "tenestetorget.core",
    "tenestetorget.organisation",
    "tenestetorget.knowledge",
    "tenestetorget.records",
    "tenestetorget.routing",
    "tenestetorget.contact",
    "tenestetorget.portal",
    "tenestetorget.api",
    "tenestetorget.mailroom",
    "tenestetorget.booking",
    "tenestetorget.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before the middleware below: they need no session,
    # language or page policy.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the CSP middleware, so that it sees the response first (core/middleware.py).
    "tenestetorget.core.middleware.ResponseSecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a member of staff's own language setting counts.
    "tenestetorget.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A body larger than any form allows is refused before it is read (uploads, below).
    "tenestetorget.core.upload_handlers.RequestSizeMiddleware",
    # Last: turns a login refused by the throttling into the login page with its message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tenestetorget.urls"
WSGI_APPLICATION = "tenestetorget.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tenestetorget" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenestetorget.core.context_processors.municipality",
                "tenestetorget.organisation.context_processors.staff",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "tenestetorget.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so two writers queue instead of failing half-way (numbering).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs tens of milliseconds on the inbox's aggregate and never pays off
    # for queries this size; nor does starting parallel workers for a 50-row page.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "DATABASE_OPTIONS", "-c jit=off -c max_parallel_workers_per_gather=0"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The inbox index's INCLUDE columns are a PostgreSQL optimisation; SQLite indexes the keys.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The throttling backend first: it refuses a locked-out login before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "contact:inbox"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "nn"
LANGUAGES = [("nn", "Nynorsk"), ("nb", "Bokmål"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tenestetorget" / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end packages (Designsystemet, htmx) come from npm at set-up, pinned in package-lock.json.
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "tenestetorget" / "static"]
if (BASE_DIR / "node_modules").exists():
    STATICFILES_DIRS.append(("vendor", BASE_DIR / "node_modules"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The routing models (routing.models_store): versioned files and the name of the one in use.
ROUTING_MODEL_DIR = Path(os.environ.get("ROUTING_MODEL_DIR", VAR_DIR / "routing"))
# The worker retrains the routing model when it is this many hours old, or when there is none
# (routing.schedule); 0: only `tenestetorget routing train`.
ROUTING_RETRAIN_HOURS = float(os.environ.get("ROUTING_RETRAIN_HOURS", "24"))
# The mail room (docs/mailroom.md). MAILBOXES: the IMAP mailboxes `tenestetorget mailroom
# watch` reads, as JSON (a list of {"name", "host", "port", "username", "password",
# "security", "folder", "after", "address"}), or the path of a JSON file with that list
# (keeps the passwords out of the environment listing). SCAN_FOLDER: where a scanner drops
# PDFs and images; `mailroom watch` takes them from there.
MAILROOM = {
    "MAILBOXES": os.environ.get("MAILROOM_MAILBOXES", ""),
    "SCAN_FOLDER": os.environ.get("MAILROOM_SCAN_FOLDER", ""),
    "MAX_MESSAGE_BYTES": int(os.environ.get("MAILROOM_MAX_MESSAGE_BYTES", str(50 * 1024 * 1024))),
}
MEDIA_URL = "/media/"
# Uploads and documents go through Django's storage API only (core.documents), so another
# store is configuration: STORAGE_BACKEND is a dotted path (e.g. django-storages'
# "storages.backends.s3.S3Storage", installed by the operator) and STORAGE_OPTIONS its options
# as JSON. Unset: the local disk under MEDIA_ROOT.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("STORAGE_OPTIONS", "{}") or "{}"),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- E-mail ---------------------------------------------------------------------------------
# Django 6.1's MAILERS. The environment keeps the familiar names: EMAIL_BACKEND ("smtp",
# "file", "console", "locmem" or a dotted path), EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL. Unset, production sends through the
# SMTP server on 127.0.0.1:25 and DEBUG writes files to var/mail; `make demo` (DEBUG off)
# asks for the files. Files in production would be mail never sent, which Django's deploy
# check refuses (mail.E001).
EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def mailer_from_env() -> dict[str, object]:
    backend = os.environ.get("EMAIL_BACKEND", "file" if DEBUG else "smtp")
    backend = EMAIL_BACKENDS.get(backend, backend)
    options: dict[str, object] = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
        }
    elif backend.endswith("filebased.EmailBackend"):
        options = {"file_path": str(VAR_DIR / "mail")}
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {"default": mailer_from_env()}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Tenestetorget <postmottak@demo.kommune.no>"
)
# Where the site is reached, for links in e-mail to staff (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


# --- Cache ----------------------------------------------------------------------------------
# CACHE_URL names a cache shared by every web process and worker (rate limits, login
# throttling, revoked tokens): redis://[:password@]host:port/db, or rediss:// with TLS. Unset,
# each process has its own memory cache: right for the demo and the tests, wrong for several
# processes in production (docs/operations.md).
def cache_from_url(url: str) -> dict[str, Any]:
    if not url or url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url.removeprefix("locmem://") or "tenestetorget",
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tenestetorget"),
        }
    raise ValueError(f"CACHE_URL must start with redis://, rediss://, unix:// or locmem://: {url}")


CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {"default": cache_from_url(CACHE_URL)}

# --- Noark 5 schemas -------------------------------------------------------------------------
# Arkivverket's official Noark 5 XSDs (arkivstruktur.xsd, metadatakatalog.xsd, ...), used to
# validate and ship archive exports. Only Arkivverket's unmodified files may be used, so the
# project never carries copies: it reads them from this folder (docs/records.md).
_SHARED_XSD = BASE_DIR.parent / "shared" / "noark5-xsd"
NOARK5_XSD_DIR = Path(
    os.environ.get("NOARK5_XSD_DIR", str(_SHARED_XSD) if _SHARED_XSD.is_dir() else "")
)

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenestetorget.api.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tenestetorget API",
    "DESCRIPTION": "One inbox for every inquiry to the municipality.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- The municipality -----------------------------------------------------------------------
TENESTETORGET: dict[str, Any] = {
    "MUNICIPALITY_NAME": os.environ.get("MUNICIPALITY_NAME", "Demo kommune"),
    "PHONE": os.environ.get("MUNICIPALITY_PHONE", "35 00 00 00"),
    # Office hours in Europe/Oslo; a message received after closing counts from the next
    # working day.
    "OPENING_HOUR": os.environ.get("OPENING_HOUR", "08:00"),
    "CLOSING_HOUR": os.environ.get("CLOSING_HOUR", "15:30"),
    # Days the office is closed although they are not public holidays.
    "CLOSED_DAYS": env_list("CLOSED_DAYS", "julaftan,nyttarsaftan,paskeaftan"),
    # An unacknowledged handover returns to the front desk after this many working hours.
    "HANDOVER_ACK_WORKING_HOURS": float(os.environ.get("HANDOVER_ACK_WORKING_HOURS", "4")),
    "MAX_ATTACHMENT_BYTES": int(os.environ.get("MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))),
    "MAX_ATTACHMENTS": int(os.environ.get("MAX_ATTACHMENTS", "10")),
    "ALLOWED_ATTACHMENT_TYPES": env_list(
        "ALLOWED_ATTACHMENT_TYPES",
        ".pdf,.jpg,.jpeg,.png,.heic,.txt,.doc,.docx,.odt,.xls,.xlsx,.ods,.csv,.eml",
    ),
    # The contact form refuses a submission faster than this (bots fill forms at once).
    "CONTACT_FORM_MIN_SECONDS": float(os.environ.get("CONTACT_FORM_MIN_SECONDS", "3")),
    "CONTACT_FORM_MAX_AGE_SECONDS": int(os.environ.get("CONTACT_FORM_MAX_AGE_SECONDS", "86400")),
    # Submissions per client address per window (a shared cache is needed with several
    # processes: set CACHE_URL-style settings in production).
    "CONTACT_FORM_RATE_LIMIT": int(os.environ.get("CONTACT_FORM_RATE_LIMIT", "10")),
    "CONTACT_FORM_RATE_WINDOW_SECONDS": int(
        os.environ.get("CONTACT_FORM_RATE_WINDOW_SECONDS", "600")
    ),
    # Behind a proxy, the header that carries the client's address (e.g. X-Forwarded-For).
    "CONTACT_FORM_CLIENT_IP_HEADER": os.environ.get("CONTACT_FORM_CLIENT_IP_HEADER", ""),
}

# --- Uploads (core.upload_handlers, core.uploads) --------------------------------------------
# The form fields of one request (not its files).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The first handler stops keeping a file's bytes past MAX_ATTACHMENT_BYTES and files past
# MAX_ATTACHMENTS, so the form says what is wrong and keeps what was typed; Django's own
# handlers keep the rest (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then on disk).
FILE_UPLOAD_HANDLERS = [
    "tenestetorget.core.upload_handlers.AttachmentLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB
# No count of its own: the handler above keeps at most MAX_ATTACHMENTS files and skips the rest
# unread, where Django's count would refuse the whole form with a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_fnr": {"()": "tenestetorget.core.logging.MaskFodselsnummerFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_fnr"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- HTTPS, sessions and the browser's protections ------------------------------------------
# HTTPS=1 says the site is reached over HTTPS through a proxy that terminates TLS and sets
# X-Forwarded-Proto (docs/operations.md): cookies go over HTTPS only, plain HTTP is
# redirected, browsers are told to use HTTPS for a year (HSTS), and the proxy's header is
# trusted. Only the proxy may set that header: trusted without a proxy that overwrites it, a
# client could claim HTTPS.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# Asking browsers to preload HSTS binds the municipality's whole domain, which is the
# domain owner's decision and made at its proxy, not this application's (security.W021).
SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Only staff log in. A session lasts one working day, 9 hours (7.5 hours' work, lunch and
# some overtime) after login or its last change, and also ends when the browser closes: the
# front desk's computers are shared, and yesterday's login must not open today's inbox.
SESSION_COOKIE_AGE = 9 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A refused form (an old page after the session ended) gets the site's own 403 page.
CSRF_FAILURE_VIEW = "tenestetorget.core.errors.csrf_failure"

# Content-Security-Policy on every page (Django's middleware): scripts, styles, fonts and
# images from this site only, no inline code, no plugins, no framing, forms post here only.
# Designsystemet draws its icons as data: SVGs. A template that truly needs an inline script
# gives it nonce="{{ csp_nonce }}". Uploaded files carry their own sandboxing policy instead
# (core.file_responses, core.middleware).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}


# --- Login throttling (django-axes) ---------------------------------------------------------
# Failed logins are counted per account and per client address (core.login_throttle); at
# either limit further logins from that account or address are refused, with a message on
# the login page, until LOGIN_LOCKOUT_MINUTES after the last failure. The per-account limit
# means anyone who knows a username can lock that account for that long; an administrator
# can open it at once (`tenestetorget axes_reset_username <name>`, docs/staff-guide.md).
# The failures are kept in the database, so every web process counts the same.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
# The client's address, for the throttling and the contact form's rate limit
# (core.client_address): unset, the address that connects (REMOTE_ADDR). Behind a reverse
# proxy, the header it sets with the client's address: "X-Forwarded-For" (the entry
# CLIENT_IP_PROXY_COUNT places from the right, the one our proxies appended) or e.g.
# "X-Real-IP". Set it only when every request comes through that proxy, which must overwrite
# or append to the header: otherwise a client chooses its own address. The older
# CONTACT_FORM_CLIENT_IP_HEADER is used when this is unset.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
CLIENT_IP_PROXY_COUNT = int(os.environ.get("CLIENT_IP_PROXY_COUNT", "1"))

AXES_HANDLER = "tenestetorget.core.login_throttle.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60  # axes reads a float as hours
# A try while locked out does not move the end of the lock: the message's "N minutes" holds,
# and a stranger cannot keep an account locked by trying on and on (only by new failures
# after the lock has ended).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tenestetorget.core.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "tenestetorget.core.client_address.client_address_or_none"
AXES_HTTP_RESPONSE_CODE = 429
# The log line of a lockout (WARNING, logger axes.handlers.database) names the account and
# the address, which operators need; axes never logs or stores a password (it masks the
# password field in every record). Not verbose: no user agent in the log, and no line of its
# own at every start of a command.
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_VERBOSE = False
# Each failed login and each lockout at WARNING; axes' INFO lines about its own bookkeeping
# (three per failed login) are left out.
if isinstance(LOGGING["loggers"], dict):
    LOGGING["loggers"]["axes"] = {"level": "WARNING"}
# axes would also keep a row for every successful login, for ever: not needed for throttling.
AXES_DISABLE_ACCESS_LOG = True
