"""Settings for the inspection recommendation tracker.

One module for every environment: all differences come from environment variables
(see `.env.example`). The defaults run the embedded set-up: SQLite, django-q2 with its
ORM broker, e-mail to the console.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# The fallback key is for a local run with DEBUG on only. Without DEBUG the application
# refuses to start on a missing or weak key (anyone who knows the key can forge signed
# values, such as unsubscribe links): the same test as Django's deploy check W009.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value (at least 50 characters; the "
        "development key is refused) when DJANGO_DEBUG is off. Generate one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_q",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "recommendations",
    "notifications",
    "calendars",
    "public_register",
    "api",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, so the maintenance page needs no database; after the CSP, so it
    # carries the policy too.
    "csp.middleware.CSPMiddleware",
    "tracker.middleware.MaintenanceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check: the import preview posts more fields than Django's limit allows.
    "recommendations.middleware.ImportPreviewFieldLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires, so it sees the outcome of every sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"
ASGI_APPLICATION = "tracker.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recommendations.context_processors.navigation",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

# Widgets render with the templates above, so templates/widgets/ can add GOV.UK ones (a
# select is written in Python: tracker/forms_renderer.py).
FORM_RENDERER = "tracker.forms_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE takes the write lock
    # at BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=20),
        }
    )
    # Django's SQLite backend, with one process's writers queueing in turn for the write lock
    # rather than polling for it (which let a request wait seconds under load).
    DATABASES["default"]["ENGINE"] = "tracker.sqlite"
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The planner's cost of a random read: PostgreSQL's default (4) is for spinning
        # disks, and makes it prefer reading the table to the pages' covering indexes
        # (docs/decisions/0020). Set on each connection, so no server change is needed.
        page_cost = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "options", f"-c random_page_cost={page_cost}"
        )

# Each process's memory by default; a shared cache (e.g. redis://...) lets every web worker
# see the register's changes at once instead of within TRACKER_REGISTER_CACHE_SECONDS.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses passwords before ModelBackend sees them when TRACKER_LOCAL_LOGIN is false.
    "accounts.backends.LocalLoginSwitch",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on: only its own callback view calls it (accounts.views).
    "accounts.oidc.SignOnBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Single sign-on: OpenID Connect (off unless OIDC_RP_CLIENT_ID is set) --------------------
# The provider's endpoints come from its discovery document, or one by one (any set here wins).
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_DISCOVERY_URL = env.str("OIDC_OP_DISCOVERY_URL", default="")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_TOKEN_USE_BASIC_AUTH = env.bool("OIDC_TOKEN_USE_BASIC_AUTH", default=False)
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
# Clock difference tolerated between us and the provider when checking a token's times.
OIDC_LEEWAY_SECONDS = env.int("OIDC_LEEWAY_SECONDS", default=60)
# An unknown e-mail address is refused, unless this makes it an account with no role.
TRACKER_OIDC_CREATE_USERS = env.bool("TRACKER_OIDC_CREATE_USERS", default=False)
# False hides the password form and refuses every password sign-in (see README).
TRACKER_LOCAL_LOGIN = env.bool("TRACKER_LOCAL_LOGIN", default=True)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "recommendations:home"
LOGOUT_REDIRECT_URL = "login"

# --- Locale ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
# collectstatic writes here; whitenoise serves it (compressed, with hashed names).
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# GOV.UK Frontend comes from npm (`npm ci`, never committed); our Sass is compiled into
# static/build by `npm run build` (both run by `make setup`).
_STATIC_SOURCES: list[Path | tuple[str, Path]] = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STATICFILES_DIRS = [
    entry for entry in _STATIC_SOURCES if (entry[1] if isinstance(entry, tuple) else entry).exists()
]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
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

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Inspection tracker <no-reply@tracker.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age is an idle timeout, not a fixed lifetime
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env.bool("DJANGO_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict policy: no inline script or style anywhere; everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Repeated failed sign-ins lock the username from that address for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
# Cuts the recorded username to axes' column (the sign-in forms refuse longer ones first).
AXES_USERNAME_CALLABLE = "accounts.forms.axes_username"

# --- Service pages --------------------------------------------------------------------------
# The beta banner's feedback link: a mailto: address or the web address of a form.
TRACKER_FEEDBACK_URL = env.str(
    "TRACKER_FEEDBACK_URL", default="mailto:tracker-feedback@tracker.localhost"
)
# While true, every page answers 503 "Sorry, the service is unavailable" (during an upgrade).
TRACKER_MAINTENANCE = env.bool("TRACKER_MAINTENANCE", default=False)

# --- Domain settings ------------------------------------------------------------------------
TRACKER_DUE_SOON_DAYS = env.int("TRACKER_DUE_SOON_DAYS", default=30)
# Seconds an import may spend reading a publication (and a PDF's text) before it gives up
# with a clear message, so no upload can hold a web worker.
TRACKER_IMPORT_TIME_LIMIT = env.float("TRACKER_IMPORT_TIME_LIMIT", default=2.0)
TRACKER_IMPORT_PDF_TIME_LIMIT = env.float("TRACKER_IMPORT_PDF_TIME_LIMIT", default=10.0)
# Importing by web address: the server fetches only from these hosts (exact names; an IP
# address here is trusted even if private), over https unless TRACKER_IMPORT_ALLOW_HTTP, within
# the upload size limit and TRACKER_IMPORT_FETCH_TIMEOUT seconds (docs/decisions/0016).
TRACKER_IMPORT_ALLOWED_HOSTS = env.list(
    "TRACKER_IMPORT_ALLOWED_HOSTS",
    default=[
        "hmicfrs.justiceinspectorates.gov.uk",
        "www.justiceinspectorates.gov.uk",
        "justiceinspectorates.gov.uk",
        "assets.publishing.service.gov.uk",
    ],
)
TRACKER_IMPORT_ALLOW_HTTP = env.bool("TRACKER_IMPORT_ALLOW_HTTP", default=False)
TRACKER_IMPORT_FETCH_TIMEOUT = env.float("TRACKER_IMPORT_FETCH_TIMEOUT", default=10.0)
TRACKER_EVIDENCE_MAX_BYTES = env.int("TRACKER_EVIDENCE_MAX_MB", default=20) * 1024 * 1024
TRACKER_EVIDENCE_TYPES = frozenset(
    env.list(
        "TRACKER_EVIDENCE_TYPES",
        default=["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "png", "jpg", "jpeg"],
    )
)
# Calendar feeds: an alarm this many days before each due date (negative: no alarm); due dates
# further back than TRACKER_CALENDAR_PAST_DAYS are left out, and a feed lists at most
# TRACKER_CALENDAR_MAX_EVENTS events.
TRACKER_CALENDAR_ALARM_DAYS = env.int("TRACKER_CALENDAR_ALARM_DAYS", default=7)
TRACKER_CALENDAR_PAST_DAYS = env.int("TRACKER_CALENDAR_PAST_DAYS", default=365)
TRACKER_CALENDAR_MAX_EVENTS = env.int("TRACKER_CALENDAR_MAX_EVENTS", default=500)
# The public register: whether published inspections' areas for improvement appear too, and
# how long its pages are cached (any change to the data starts a fresh cache at once).
TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT = env.bool(
    "TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT", default=True
)
TRACKER_REGISTER_CACHE_SECONDS = env.int("TRACKER_REGISTER_CACHE_SECONDS", default=60)
# Larger uploads stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Task runners: exactly one is active ----------------------------------------------------
TRACKER_TASK_RUNNER = env.str("TRACKER_TASK_RUNNER", default="django_q")
if TRACKER_TASK_RUNNER not in {"django_q", "celery"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TRACKER_TASK_RUNNER must be 'django_q' or 'celery'.")

Q_CLUSTER = {
    "name": "tracker",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 240,
    # retry must exceed timeout plus queue wait, or a slow task is handed out twice.
    "retry": 600,
    "max_attempts": 3,
    "catch_up": False,
    "ack_failures": True,
    "save_limit": 500,
    "label": "Tasks",
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
# Every task goes to this queue (workers read it unless given --queues): deployments, or a
# test next to them, that share one Redis database each use a name of their own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# On a lost broker connection, cancel running tasks so that they are redelivered (acks_late);
# every task is idempotent, so a redelivery never duplicates an e-mail.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- REST API (see docs/api.md) ------------------------------------------------------------
REST_FRAMEWORK = {
    # A personal token (`Authorization: Bearer ...`) for programs; the session (with its CSRF
    # check) for the browsable API and the docs page.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScopePermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inspection tracker API",
    "DESCRIPTION": "Forces, inspections, causes of concern, recommendations and areas for "
    "improvement, with their actions, progress updates, evidence and timeline; every answer "
    "scoped to what the token's user may see. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ItemStatusEnum": "recommendations.models.findings.Status",
        "ActionStatusEnum": "recommendations.models.work.ActionStatus",
        "ApiTransitionEnum": "api.serializers.API_TRANSITIONS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_error_responses",
    ],
    # Swagger UI's files come from the drf-spectacular-sidecar package, served as our own
    # static files: the strict CSP below allows no other origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Requests per token (or per signed-in user, for the browsable API), in DRF's "number/period"
# form (empty: no limit). The counts live in the cache named here, which must be shared by
# every web process (e.g. a database or Redis cache) for the limit to be exact.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="120/minute") or None
API_THROTTLE_CACHE = env.str("API_THROTTLE_CACHE", default="default")
# Personal API tokens: the longest lifetime a user may choose, and how many live ones each
# user may hold.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=10)
# --- Reports: the quarterly pack (see docs/reports.md) --------------------------------------
# A pack covering more items than this is prepared by the task runner rather than while the
# user waits; the page then offers to prepare it and says when it is ready.
REPORTS_BACKGROUND_ITEMS = env.int("REPORTS_BACKGROUND_ITEMS", default=5000)
# Prepared files are deleted after this many days.
REPORTS_KEEP_DAYS = env.int("REPORTS_KEEP_DAYS", default=7)
# Prepare packs in the web process right after commit instead of through the runner (tests).
REPORTS_PREPARE_EAGERLY = env.bool("REPORTS_PREPARE_EAGERLY", default=False)

# --- Notifications: reminders, escalation, digests (see docs/operations.md) -----------------
# Days before the due date at which owners and the force lead are reminded (0: on the day).
NOTIFICATIONS_REMINDER_DAYS = env.list(
    "NOTIFICATIONS_REMINDER_DAYS", cast=int, default=[30, 7, 1, 0]
)
# Scheduled runs plan the day's reminders and digests from this local hour on working days.
NOTIFICATIONS_START_HOUR = env.int("NOTIFICATIONS_START_HOUR", default=7)
# A sender that has not finished a row within the lease is presumed dead.
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=300)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_SECONDS = env.int("NOTIFICATIONS_RETRY_SECONDS", default=60)  # doubles
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=200)
# The domain part of Message-IDs; defaults to the host of SITE_URL.
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env.str("NOTIFICATIONS_MESSAGE_ID_DOMAIN", default="")
# Must stay well below the lease, so a hung SMTP conversation ends before the lease does.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
# A scheduled run stops starting new e-mails after this long (below Q_CLUSTER's timeout);
# the next run carries on where it stopped.
NOTIFICATIONS_RUN_SECONDS = env.int("NOTIFICATIONS_RUN_SECONDS", default=180)
# Send event e-mails in the web process right after commit instead of through the runner
# (tests, or a deployment without a worker).
NOTIFICATIONS_SEND_EAGERLY = env.bool("NOTIFICATIONS_SEND_EAGERLY", default=False)
