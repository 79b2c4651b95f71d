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

# The fallback key is for development and tests only: Django's deploy checks reject it
# (security.W009), so `manage.py check --deploy` fails until DJANGO_SECRET_KEY is set.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="django-insecure-development-only-key-never-use-in-production",
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
    "accounts",
    "recommendations",
    "notifications",
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

# Widgets render with the templates above, so templates/widgets/ can add GOV.UK ones.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
STATICFILES_DIRS = [
    entry
    for entry in [
        BASE_DIR / "static",
        ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ]
    if (entry[1] if isinstance(entry, tuple) else entry).exists()
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
TRACKER_EVIDENCE_MAX_BYTES = env.int("TRACKER_EVIDENCE_MAX_MB", default=20) * 1024 * 1024
TRACKER_EVIDENCE_TYPES = frozenset(
    env.list(
        "TRACKER_EVIDENCE_TYPES",
        default=["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "png", "jpg", "jpeg"],
    )
)
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
