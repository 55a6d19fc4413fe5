"""Django settings for Guichet.

Every value comes from an environment variable declared in `guichet.env` with its
help text (see docs/env.md, generated); defaults suit development on SQLite.
With GUICHET_DEBUG off, unsafe defaults stop start-up.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

from guichet import env
from guichet.audit import keys as audit_keys
from guichet.core.addresses import proxy_networks
from guichet.inbox.mailboxes import parse_mailboxes

SOURCE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = SOURCE_DIR.parent.parent

DEBUG = env.boolean(
    "GUICHET_DEBUG",
    default=True,
    help="Development mode: detailed error pages, no static-file manifest. Never true in production.",
)
VAR_DIR = Path(
    env.string(
        "GUICHET_VAR_DIR",
        default=str(PROJECT_DIR / "var"),
        help="Folder for the embedded database, uploaded files and other state.",
        shown="`var/` in the project folder",
    )
)
_INSECURE_KEY = "insecure-development-key-change-me"
SECRET_KEY = env.string(
    "GUICHET_SECRET_KEY",
    default=_INSECURE_KEY,
    help="Secret used to sign sessions and tokens; a long random string in production.",
)
ALLOWED_HOSTS = env.string_list(
    "GUICHET_ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost"],
    help="Host names this server answers to.",
)
CSRF_TRUSTED_ORIGINS = env.string_list(
    "GUICHET_CSRF_TRUSTED_ORIGINS",
    default=[],
    help="Origins (scheme and host) trusted for form posts when behind a proxy.",
)
DATABASES = {
    "default": env.parsed(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}",
        help="Database URL: sqlite:///path or postgres://user@host:port/name (PostgreSQL 15+).",
        parse=lambda url: dj_database_url.parse(url, conn_max_age=0),
        kind="URL",
        shown="`sqlite:///` + `GUICHET_VAR_DIR/guichet.sqlite3`",
    )
}
_CONN_MAX_AGE = env.integer(
    "GUICHET_DB_CONN_MAX_AGE",
    default=60,
    help="Seconds a PostgreSQL connection is kept open between requests (0: close after each).",
)
_engine = DATABASES["default"]["ENGINE"]
if _engine == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
        # failing with "database is locked" half-way through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _engine == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = _CONN_MAX_AGE
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured(
        "DATABASE_URL must name a SQLite or PostgreSQL database."
    )

if not DEBUG:
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "GUICHET_SECRET_KEY must be set to a random string of at least 32 characters "
            "when GUICHET_DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "GUICHET_ALLOWED_HOSTS must be set when GUICHET_DEBUG is off."
        )

# The audit trail's keys, outside the database (docs/adr/0002).
AUDIT_KEYS = audit_keys.configured(
    keys=env.string(
        "GUICHET_AUDIT_KEYS",
        default="",
        help=(
            "Keys that sign the audit trail, as comma-separated id=secret pairs "
            "(secrets of at least 32 characters): the last one signs, the others only "
            "verify, so rotate by appending a key. Required when GUICHET_DEBUG is off, "
            "unless GUICHET_AUDIT_KEY_FILE is set; development uses a public key."
        ),
    ),
    key_file=env.string(
        "GUICHET_AUDIT_KEY_FILE",
        default="",
        help=(
            "A file holding the audit keys instead, one id=secret per line, the "
            "newest last (# starts a comment)."
        ),
    ),
    debug=DEBUG,
)
AUDIT_SEAL_DELAY = env.integer(
    "GUICHET_AUDIT_SEAL_DELAY",
    default=10,
    help=(
        "Seconds within which the worker seals each audit row into its chain; "
        "`guichet audit verify` reports rows that waited longer."
    ),
)
AUDIT_CHECKPOINT_DIR = Path(
    env.string(
        "GUICHET_AUDIT_CHECKPOINT_DIR",
        default=str(VAR_DIR / "audit-checkpoints"),
        help=(
            "Folder where the worker writes the daily signed checkpoint of the audit "
            "chains; copy them somewhere the database's administrators cannot write."
        ),
        shown="`GUICHET_VAR_DIR/audit-checkpoints`",
    )
)

SUGGEST_MODEL = Path(
    env.string(
        "GUICHET_SUGGEST_MODEL",
        default=str(VAR_DIR / "suggest" / "topics.npz"),
        help=(
            "The topic model behind the suggestions, written by the weekly retraining "
            "and `guichet suggest retrain`; without it suggestions fall back to search."
        ),
        shown="`GUICHET_VAR_DIR/suggest/topics.npz`",
    )
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rules",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "guichet.core",
    "guichet.checks",
    "guichet.agents",
    "guichet.access",
    "guichet.calendars",
    "guichet.audit",
    "guichet.parties",
    "guichet.contacts",
    "guichet.casetypes",
    "guichet.servicerequests",
    "guichet.knowledge",
    "guichet.dossiers",
    "guichet.documents",
    "guichet.debts",
    "guichet.correspondence",
    "guichet.cashbook",
    "guichet.suggest",
    "guichet.webforms",
    "guichet.telephony",
    "guichet.visits",
    "guichet.agenda",
    "guichet.payments",
    "guichet.inbox",
    "guichet.reports",
    "guichet.demo",
    "guichet.api",
    "guichet.ui",
]
AUTH_USER_MODEL = "agents.Agent"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "guichet.access.backends.PolicyBackend",
]
LOGIN_URL = "ui:login"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "ui:login"

TRUSTED_PROXIES = env.parsed(
    "GUICHET_TRUSTED_PROXIES",
    default="",
    help=(
        "Addresses or networks (CIDR) of the reverse proxies in front of Guichet, "
        "comma-separated: a request from one of them is counted as coming from the "
        "address it put in X-Forwarded-For (for login throttling). Empty: none."
    ),
    parse=proxy_networks,
    kind="comma-separated list of addresses or networks",
)
MIDDLEWARE = [
    # First: everything after it sees the client's address, not the proxy's.
    "guichet.core.middleware.ClientAddressMiddleware",
    "guichet.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "guichet.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their caching, nothing else is stored.
    "guichet.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "guichet.core.middleware.AgentLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: answers a locked-out login with the login page (429).
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the exceptions of views: NotFound -> 404, Forbidden -> 403.
    "guichet.ui.errors.GuichetErrorMiddleware",
]
ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.string(
    "GUICHET_LANGUAGE",
    default="fr",
    help="Default interface language (fr, nl, de or en) before an agent chooses one.",
)
# Each language named in itself, as a language switch shows them.
LANGUAGES = [
    ("fr", "Français"),
    ("nl", "Nederlands"),
    ("de", "Deutsch"),
    ("en", "English"),
]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured("GUICHET_LANGUAGE must be one of fr, nl, de, en.")
TIME_ZONE = env.string(
    "GUICHET_TIME_ZONE",
    default="Europe/Brussels",
    help="Time zone of the service: deadlines, office hours and dates in letters.",
)
USE_I18N = True
USE_TZ = True
# English dates day first, as Belgian agents read them (formats/en/formats.py).
FORMAT_MODULE_PATH = ["guichet.formats"]
LOCALE_PATHS: list[Path] = []

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(
    env.string(
        "GUICHET_MEDIA_DIR",
        default=str(VAR_DIR / "media"),
        help="Folder where uploaded and generated documents are stored.",
        shown="`GUICHET_VAR_DIR/media`",
    )
)
DOCUMENT_MAX_BYTES = env.integer(
    "GUICHET_DOCUMENT_MAX_BYTES",
    default=20 * 1024 * 1024,
    help=(
        "Largest document an agent may upload (bytes; 20 MiB by default). Cap the "
        "request size at the reverse proxy as well."
    ),
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Cookies are marked secure outside development; a demo on plain HTTP over
# the loopback interface switches them off explicitly.
SECURE_COOKIES = env.boolean(
    "GUICHET_SECURE_COOKIES",
    default=not DEBUG,
    help="Send session and CSRF cookies over HTTPS only (keep true behind HTTPS).",
    shown="the opposite of `GUICHET_DEBUG`",
)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Pages carry the token (forms, and <meta name="csrf-token"> that guichet.js sends
# as X-CSRFToken on every htmx request); scripts never need to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.integer(
    "GUICHET_SESSION_SECONDS",
    default=9 * 3600,
    help="How long an agent stays logged in (seconds); a working day by default.",
)
# HTTP Strict Transport Security: off by default, because the local demo is served
# over plain http; behind HTTPS set GUICHET_HSTS_SECONDS (a year: 31536000), after
# checking that every host name of the site answers over HTTPS.
SECURE_HSTS_SECONDS = env.integer(
    "GUICHET_HSTS_SECONDS",
    default=0,
    help=(
        "Seconds browsers must keep to HTTPS for this site (Strict-Transport-Security); "
        "0 sends no header (the local demo over http). Set it (a year: 31536000) only "
        "once the site is served over HTTPS."
    ),
)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("GUICHET_HSTS_SECONDS must be 0 or more.")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean(
    "GUICHET_HSTS_INCLUDE_SUBDOMAINS",
    default=False,
    help="Extend Strict-Transport-Security to every subdomain (includeSubDomains).",
)
SECURE_HSTS_PRELOAD = env.boolean(
    "GUICHET_HSTS_PRELOAD",
    default=False,
    help=(
        "Add `preload` to Strict-Transport-Security, for the browsers' preload lists "
        "(hard to undo: read https://hstspreload.org first)."
    ),
)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one
# username, or from one address, logins by that username, or from that address, are
# refused for GUICHET_LOGIN_LOCKOUT_MINUTES, even with the right password; the wrong
# passwords are counted in the database, so every server process sees them. A right
# password before the limit clears the username's count. Each lock-out is a
# `login.locked_out` row of the audit trail (guichet.agents.signals). The address is
# the client's: the connection's (REMOTE_ADDR), or, when the connection comes from one
# of GUICHET_TRUSTED_PROXIES, the address that proxy read (ClientAddressMiddleware).
# Without it every agent behind a reverse proxy would share the proxy's address, and
# five wrong passwords from anyone would lock everyone out.
AXES_FAILURE_LIMIT = env.integer(
    "GUICHET_LOGIN_FAILURE_LIMIT",
    default=5,
    help=(
        "Wrong passwords, for one username or from one address, after which logins "
        "are refused for GUICHET_LOGIN_LOCKOUT_MINUTES."
    ),
)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("GUICHET_LOGIN_FAILURE_LIMIT must be 1 or more.")
_LOCKOUT_MINUTES = env.integer(
    "GUICHET_LOGIN_LOCKOUT_MINUTES",
    default=15,
    help="Minutes a username or an address stays locked out after too many wrong passwords.",
)
if _LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("GUICHET_LOGIN_LOCKOUT_MINUTES must be 1 or more.")
AXES_COOLOFF_TIME = dt.timedelta(minutes=_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "guichet.ui.views.auth.locked_out"
# Usernames are case-insensitive (AgentManager.get_by_natural_key): count them so.
AXES_USERNAME_CALLABLE = "guichet.agents.selectors.login_username"
# Successful logins are not kept by axes (the audit trail and last_login suffice).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of Guichet uses, denied to every page and to anything a
# page could embed (guichet.core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": [
            "default",
            "mail",
            "documents",
            "letters",
            "payments",
            "reports",
            "audit",
        ],
    }
}


# Background work: `guichet worker` runs the queued tasks and enqueues the periodic ones.
def _seconds(raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise ValueError(f"a positive number of seconds, not {raw!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"a positive number of seconds, not {raw!r}")
    return value


def _positive(raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError(f"a whole number above 0, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"a whole number above 0, not {raw!r}")
    return value


WORKER_POLL_SECONDS = env.parsed(
    "GUICHET_WORKER_POLL_SECONDS",
    default="1",
    help="How long an idle worker waits before it looks for queued tasks again.",
    parse=_seconds,
    kind="seconds",
)
WORKER_TICK_SECONDS = env.parsed(
    "GUICHET_WORKER_TICK_SECONDS",
    default="1",
    help="How often the worker's scheduler looks for periodic tasks that are due.",
    parse=_seconds,
    kind="seconds",
)
WORKER_TASK_TIMEOUT_SECONDS = env.parsed(
    "GUICHET_WORKER_TASK_TIMEOUT_SECONDS",
    default="1800",
    help="A task still running after this long is taken for abandoned by a stopped "
    "worker, and queued again; keep it above the longest task.",
    parse=_seconds,
    kind="seconds",
)
WORKER_TASK_ATTEMPTS = env.parsed(
    "GUICHET_WORKER_TASK_ATTEMPTS",
    default="3",
    help="Attempts of a task whose workers keep stopping under it before it is marked "
    "failed (a task with its own retry rule uses that rule's count).",
    parse=_positive,
    kind="integer",
)
TASK_RESULTS_KEEP_DAYS = env.parsed(
    "GUICHET_TASK_RESULTS_KEEP_DAYS",
    default="14",
    help="Days a successful background task's result is kept before it is pruned.",
    parse=_positive,
    kind="integer",
)
TASK_FAILED_RESULTS_KEEP_DAYS = env.parsed(
    "GUICHET_TASK_FAILED_RESULTS_KEEP_DAYS",
    default="90",
    help="Days a failed background task's result (its error and traceback) is kept.",
    parse=_positive,
    kind="integer",
)

LOG_FORMAT = env.string(
    "GUICHET_LOG_FORMAT",
    default="console",
    help="Log format: 'json' (one JSON object per line, for log collectors) or 'console'.",
)
LOG_LEVEL = env.string(
    "GUICHET_LOG_LEVEL",
    default="INFO",
    help="Lowest level of log records written (DEBUG, INFO, WARNING, ERROR).",
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "guichet.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "guichet.core.logging.JsonFormatter"},
        "console": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "console",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes logs every login at INFO; lock-outs are WARNING and audited.
        "axes": {"level": "WARNING"},
    },
}

# API tokens and the access log.
API_TOKEN_DAYS = env.integer(
    "GUICHET_API_TOKEN_DAYS",
    default=365,
    help="Days before a new API token expires.",
)
SEARCH_PAGE_SIZE = env.integer(
    "GUICHET_SEARCH_PAGE_SIZE",
    default=20,
    help="Results per page in person and organisation searches (at most 100).",
)

# The public web form (docs/webforms.md): who it acts as, and its anti-spam limits.
INSTITUTION_NAME = env.string(
    "GUICHET_INSTITUTION_NAME",
    default="Guichet",
    help="The institution's name, on the public pages and in their e-mails.",
)
WEBFORMS_AGENT = env.string(
    "GUICHET_WEBFORMS_AGENT",
    default="webform",
    help="Username of the agent the public web form registers contacts and requests "
    "as (a first-line agent of the service whose queue takes what no routing rule "
    "routes, with no usable password). Unknown or inactive: the form is closed.",
)
WEBFORMS_MIN_SECONDS = env.integer(
    "GUICHET_WEBFORMS_MIN_SECONDS",
    default=3,
    help="A web form sent sooner than this after it was shown is refused (a program).",
)
WEBFORMS_MAX_AGE_MINUTES = env.integer(
    "GUICHET_WEBFORMS_MAX_AGE_MINUTES",
    default=240,
    help="A web form sent later than this after it was shown is refused (shown again).",
)
WEBFORMS_SUBMIT_LIMIT = env.integer(
    "GUICHET_WEBFORMS_SUBMIT_LIMIT",
    default=10,
    help="Web form submissions accepted per client address (IPv6: per /64) per hour.",
)
WEBFORMS_STATUS_LIMIT = env.integer(
    "GUICHET_WEBFORMS_STATUS_LIMIT",
    default=60,
    help="Status pages shown per client address (IPv6: per /64) per hour.",
)


# Debts: recovery of unduly paid benefits by retention on later payments.
def _percent(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError(f"a percentage from 0 to 100, not {raw!r}") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValueError(f"a percentage from 0 to 100, not {raw!r}")
    return value / 100


DEBTS_RECOVERY_RATE = env.parsed(
    "GUICHET_DEBTS_RECOVERY_PERCENT",
    default="10",
    help="Part of each benefit payment kept back to recover unduly paid benefits "
    "(art. 1410 §4 al. 1 Judicial Code: 10 pct. of each later payment).",
    parse=_percent,
    kind="percentage",
)
DEBTS_RECOVERY_FRAUD_RATE = env.parsed(
    "GUICHET_DEBTS_RECOVERY_FRAUD_PERCENT",
    default="100",
    help="The same in case of fraud: up to 100 pct. per art. 1410 §4 al. 9 as applied "
    "in famipedia.be CO 1319 (1999) point 6.2; not confirmed for unemployment benefits.",
    parse=_percent,
    kind="percentage",
)


# Payments: the monthly runs and their SEPA credit transfer files (docs/payments.md).
PAYMENTS_DEBTOR_NAME = env.string(
    "GUICHET_PAYMENTS_DEBTOR_NAME",
    default="Guichet demo payment office",
    help="Name of the account the benefits are paid from (the SEPA debtor).",
)
PAYMENTS_DEBTOR_IBAN = env.string(
    "GUICHET_PAYMENTS_DEBTOR_IBAN",
    default="BE71096123456769",
    help="IBAN of the account the benefits are paid from (the demo's is a test number).",
)
PAYMENTS_DEBTOR_BIC = env.string(
    "GUICHET_PAYMENTS_DEBTOR_BIC",
    default="GKCCBEBB",
    help="BIC of the bank of that account.",
)
PAYMENTS_SEPA_VERSION = env.string(
    "GUICHET_PAYMENTS_SEPA_VERSION",
    default="09",
    help="pain.001.001 version of the transfer files: 09 (current) or 03 (for a bank "
    "that still asks for it).",
)
PAYMENTS_MAX_PER_FILE = env.integer(
    "GUICHET_PAYMENTS_MAX_PER_FILE",
    default=5000,
    help="Most credit transfers in one file. The sources state no bank limit; 5000 is "
    "our default, lower it to what your bank accepts.",
)
PAYMENTS_OUT_DIR = Path(
    env.string(
        "GUICHET_PAYMENTS_OUT_DIR",
        default=str(VAR_DIR / "payments"),
        shown="$GUICHET_VAR_DIR/payments",
        help="Where runs executed from the API and the screens write their SEPA "
        "files (one folder per month); the command line writes into its --out.",
    )
)
PAYMENTS_BATCH_SIZE = env.integer(
    "GUICHET_PAYMENTS_BATCH_SIZE",
    default=2000,
    help="Beneficiaries (or payments) committed together by a run; a run killed "
    "resumes after the last batch committed.",
)
PAYMENTS_RUN_AGENT = env.string(
    "GUICHET_PAYMENTS_RUN_AGENT",
    default="payments.system",
    help="Username of the agent `guichet payments run` prepares and executes as "
    "(unless --agent is given). The demo creates it.",
)
PAYMENTS_SYSTEM_APPROVER = env.string(
    "GUICHET_PAYMENTS_SYSTEM_APPROVER",
    default="payments.approver",
    help="Username of the agent that approves a run `guichet payments run --execute` "
    "prepared. The demo creates it; where no such agent exists (or this is empty) the "
    "command refuses to approve: a second agent must approve the run.",
)

# Exports of the lists (guichet.reports.exports): a larger XLSX is written by the
# worker, kept for a week under this folder, then deleted.
EXPORT_BACKGROUND_ROWS = env.integer(
    "GUICHET_EXPORT_BACKGROUND_ROWS",
    default=5000,
    help="Rows above which an XLSX export is written in the background, with a "
    "progress bar and a download when done (CSV always streams).",
)
EXPORT_DIR = Path(
    env.string(
        "GUICHET_EXPORT_DIR",
        default=str(VAR_DIR / "exports"),
        shown="$GUICHET_VAR_DIR/exports",
        help="Where background exports are written; each file is deleted seven days "
        "after it was made.",
    )
)

# The counter's kiosk (guichet.visits) is public: this many tickets a minute per site
# at most, so that a script cannot fill the queue (a busy waiting room takes a few).
VISITS_KIOSK_TICKETS_PER_MINUTE = env.integer(
    "GUICHET_KIOSK_TICKETS_PER_MINUTE",
    default=20,
    help="Tickets a site's kiosk gives per minute at most; beyond, it asks to wait a moment.",
)

# Outgoing e-mail (letters sent by e-mail, with their PDF attached).
EMAIL_HOST = env.string(
    "GUICHET_EMAIL_HOST",
    default="127.0.0.1",
    help="SMTP server that sends Guichet's e-mail (letters with their PDF attached).",
)
EMAIL_PORT = env.integer(
    "GUICHET_EMAIL_PORT", default=25, help="Port of the SMTP server."
)
EMAIL_HOST_USER = env.string(
    "GUICHET_EMAIL_USER", default="", help="SMTP user name; empty: no authentication."
)
EMAIL_HOST_PASSWORD = env.string(
    "GUICHET_EMAIL_PASSWORD", default="", help="SMTP password (a secret)."
)
EMAIL_USE_TLS = env.boolean(
    "GUICHET_EMAIL_STARTTLS",
    default=False,
    help="Switch the SMTP connection to TLS with STARTTLS (true for a server outside this machine).",
)
EMAIL_TIMEOUT = env.integer(
    "GUICHET_EMAIL_TIMEOUT",
    default=30,
    help="Seconds before an unanswering SMTP server is given up (the e-mail is retried later).",
)
DEFAULT_FROM_EMAIL = env.string(
    "GUICHET_EMAIL_FROM",
    default="guichet@localhost",
    help="Sender address of Guichet's e-mail; replies go to the service's own address.",
)
EMAIL_DIR = env.string(
    "GUICHET_EMAIL_DIR",
    default="",
    help="When set, e-mail is written as files into this folder instead of sent by SMTP "
    "(`make demo` uses `var/mail/`).",
)
if EMAIL_DIR:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = EMAIL_DIR

# Telephony hook (docs/telephony.md): the telephone system signs each call event
# with one of these secrets; none set, the hook refuses every call.
TELEPHONY_SECRETS = env.string_list(
    "GUICHET_TELEPHONY_SECRETS",
    default=[],
    help=(
        "Shared secrets (comma-separated, at least 32 characters each) with which the "
        "telephone system signs its call events (HMAC-SHA256 over the timestamp and "
        "the body). The first signs, every one verifies, so rotate by adding one. "
        "Empty: the telephony hook refuses every event, except with GUICHET_DEBUG on, "
        "where a public development secret is used (for `make demo`)."
    ),
)
TELEPHONY_DEVELOPMENT_SECRET = "guichet-development-telephony-secret-not-a-secret"  # noqa: S105 - public, development only
if DEBUG and not TELEPHONY_SECRETS:
    TELEPHONY_SECRETS = [TELEPHONY_DEVELOPMENT_SECRET]
if any(len(secret) < 32 for secret in TELEPHONY_SECRETS):
    raise ImproperlyConfigured(
        "Each of GUICHET_TELEPHONY_SECRETS must be at least 32 characters."
    )
TELEPHONY_TOLERANCE_SECONDS = env.integer(
    "GUICHET_TELEPHONY_TOLERANCE_SECONDS",
    default=300,
    help=(
        "How far, in seconds, a call event's signed timestamp may be from the "
        "server's clock, before or after, to be accepted."
    ),
)
if TELEPHONY_TOLERANCE_SECONDS < 1:
    raise ImproperlyConfigured("GUICHET_TELEPHONY_TOLERANCE_SECONDS must be 1 or more.")
INBOX_MAILBOXES = env.parsed(
    "GUICHET_INBOX_MAILBOXES",
    default="",
    help="The IMAP mailboxes read for citizens' e-mail: a JSON list of objects with "
    "host, port, tls, user, password or password_file, folder, done_folder and team "
    "(the code of the service it feeds); see docs/inbox.md. Empty: none is read.",
    parse=parse_mailboxes,
    kind="JSON list",
)
INBOX_ATTACHMENT_MAX_BYTES = env.integer(
    "GUICHET_INBOX_ATTACHMENT_MAX_BYTES",
    default=10 * 1024 * 1024,
    help="Largest attachment of a received e-mail that is kept (bytes; 10 MiB by "
    "default): a larger one is refused with its reason, the message is kept.",
)
