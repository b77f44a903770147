"""Settings, read from the environment (and an optional .env) through django-environ."""

from pathlib import Path

import environ

from recruiting.observability import logging_config, sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY", default="django-insecure-local-only" if DEBUG else environ.Env.NOTSET
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "django_celery_beat",
    "recruiting",
    "ingestion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app itself: one gunicorn process is a whole web tier.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "recruiting.urls"
WSGI_APPLICATION = "recruiting.wsgi.application"

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
                "ingestion.context_processors.delivery_status",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web threads, the in-process sandbox and workers write at once: wait for the lock
    # instead of failing, and take the write lock at BEGIN so claims never deadlock. A
    # write-ahead log lets readers go on while one writes, and a commit need not wait for
    # the disk (a power cut may lose the last commits, never corrupt the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = logging_config(
    level=env("LOG_LEVEL", default="INFO"), json=env("LOG_FORMAT", default="text") == "json"
)
SENTRY_ENABLED = sentry_init(
    dsn=env("SENTRY_DSN", default=""),
    environment=env("SENTRY_ENVIRONMENT", default=""),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)

# --- Security: safe whenever DEBUG is off; each setting under Django's own name --------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and platforms probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 30 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a proxy that terminates TLS, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https:
# only when the proxy always sets that header, or a client could claim HTTPS.
SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER", default=[])) or None
# HSTS on subdomains and in browsers' preload lists reaches beyond this app and takes months
# to undo: the operator turns them on deliberately, and until then Django need not ask.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]

# --- InterviewFlowAI -------------------------------------------------------------------------

# The built-in sandbox stands in for the upstream API; on by default only in DEBUG.
INTERVIEWFLOW_SANDBOX_ENABLED = env.bool("INTERVIEWFLOW_SANDBOX_ENABLED", default=DEBUG)
INTERVIEWFLOW_SANDBOX_API_KEY = env("INTERVIEWFLOW_SANDBOX_API_KEY", default="sandbox-key")
_sandbox_url = env("INTERVIEWFLOW_SANDBOX_URL", default="http://127.0.0.1:8000/sandbox")
# How long the sandbox keeps back its answer to a +timeout test address, in seconds; unset or
# empty, one second longer than INTERVIEWFLOW_TIMEOUT as it stands when the request arrives.
_sandbox_timeout = env("INTERVIEWFLOW_SANDBOX_TIMEOUT_SECONDS", default="")
INTERVIEWFLOW_SANDBOX_TIMEOUT_SECONDS = float(_sandbox_timeout) if _sandbox_timeout else None
# The interviewer ids the sandbox knows, a comma list; any other is answered 404, as
# upstream answers an unknown one. Empty or "*": any id. By default, the demo Interviewer's
# (manage.py setup_demo).
INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = env.list(
    "INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS", default=["3f6c2a9e-5b1d-4c8e-9f2a-7d4e1b0c8a11"]
)
_use_sandbox = INTERVIEWFLOW_SANDBOX_ENABLED and DEBUG

INTERVIEWFLOW_API_URL = env(
    "INTERVIEWFLOW_API_URL", default=_sandbox_url if _use_sandbox else environ.Env.NOTSET
)
INTERVIEWFLOW_API_KEY = env(
    "INTERVIEWFLOW_API_KEY",
    default=INTERVIEWFLOW_SANDBOX_API_KEY if _use_sandbox else environ.Env.NOTSET,
)
INTERVIEWFLOW_BATCH_SIZE = env.int("INTERVIEWFLOW_BATCH_SIZE", default=100)
INTERVIEWFLOW_TIMEOUT = env.float("INTERVIEWFLOW_TIMEOUT", default=10.0)
# Seconds to wait before each automatic retry of a definite failure; one attempt more
# than there are delays, then the candidate is failed.
INTERVIEWFLOW_RETRY_DELAYS = env.list(
    "INTERVIEWFLOW_RETRY_DELAYS", cast=int, default=[30, 120, 600, 1800, 7200, 21600]
)
INTERVIEWFLOW_RETRY_AFTER_MAX = env.int("INTERVIEWFLOW_RETRY_AFTER_MAX", default=6 * 3600)
INTERVIEWFLOW_RETRY_UNKNOWN = env.bool("INTERVIEWFLOW_RETRY_UNKNOWN", default=False)
# Without a broker, pushes of up to this many candidates are sent before the page answers;
# larger ones go on in a background thread while staff follow their progress.
INTERVIEWFLOW_INLINE_PUSH_LIMIT = env.int("INTERVIEWFLOW_INLINE_PUSH_LIMIT", default=100)
# A plain push of more candidates than this is queued in the background, the page
# answering at once with a link to its progress.
INTERVIEWFLOW_QUEUE_INLINE_MAX = env.int("INTERVIEWFLOW_QUEUE_INLINE_MAX", default=10_000)
# A worker's task sends for at most this long, then hands the rest to a fresh task: a
# worker asked to stop (a deploy, a scale-down) finishes within a 30 s stop grace.
# (At least a second: a run always gets to send its first request.)
INTERVIEWFLOW_RUN_SECONDS = max(1, env.int("INTERVIEWFLOW_RUN_SECONDS", default=25))
# Seconds a thread may keep the interpreter while another waits for it (Python's own is
# 0.005; 0 leaves it so). A push's threads each wait on the network or the database and
# need the interpreter for a moment at every answer: held back behind a thread checking
# the next chunk, each answer would wait up to Python's 5 ms, twice or more.
THREAD_SWITCH_INTERVAL = env.float("THREAD_SWITCH_INTERVAL", default=0.001)

# How long the history keeps requests when its daily pruning is turned on (off by default:
# enable "Prune the history" under Periodic tasks). Each candidate's latest request stays.
INTERVIEWFLOW_HISTORY_RETENTION_DAYS = env.int("INTERVIEWFLOW_HISTORY_RETENTION_DAYS", default=180)

# --- Celery ----------------------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker, tasks run in the web process, so the app needs no other service.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 12 * 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A web request that cannot reach the broker gives up quickly: the candidates are already
# queued in the database and the periodic sweep sends them.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The worker logs through LOGGING like every other process.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE

# --- Spreadsheet imports and exports ---------------------------------------------------------

# Import and export each need their own permission: recruiting.import_candidate,
# recruiting.export_candidate, ingestion.export_ingestionrequest.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# An upload waits between the preview and the confirmation in storage that every web
# process reads: the "import_export" storage (MEDIA_ROOT by default: put it on a volume the
# web processes share, or name another Django storage backend, such as a bucket).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "recruiting.uploads.UploadStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, with content hashes in the names so browsers may cache them for ever;
    # DEBUG serves the files as they are, without collectstatic.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "import_export": {
        "BACKEND": env(
            "IMPORT_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("IMPORT_STORAGE_OPTIONS", default={}),
    },
}
# Uploads never confirmed are removed by `manage.py remove_stale_uploads` after this long.
IMPORT_UPLOAD_MAX_AGE_HOURS = env.int("IMPORT_UPLOAD_MAX_AGE_HOURS", default=24)
# Limits on what an uploaded spreadsheet may hold, each refused with its own message.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=20)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=200)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=10_000)
IMPORT_MAX_XLSX_UNCOMPRESSED_MB = env.int("IMPORT_MAX_XLSX_UNCOMPRESSED_MB", default=200)

# --- Status back from InterviewFlowAI --------------------------------------------------------

# The secret part of the webhook URL pasted into InterviewFlowAI
# (/webhooks/interviewflow/<token>/); unset, the receiver answers 404. The sandbox's default
# lets `make run` send itself events.
INTERVIEWFLOW_WEBHOOK_TOKEN = env(
    "INTERVIEWFLOW_WEBHOOK_TOKEN", default="sandbox-webhook-token" if _use_sandbox else ""
)
# Candidates per page of the Fetch API, and the most pages one walk reads.
INTERVIEWFLOW_FETCH_PAGE_SIZE = env.int("INTERVIEWFLOW_FETCH_PAGE_SIZE", default=100)
INTERVIEWFLOW_FETCH_MAX_PAGES = env.int("INTERVIEWFLOW_FETCH_MAX_PAGES", default=200)
# Reconciliation queues the unconfirmed candidates the Fetch API did not find, by itself.
INTERVIEWFLOW_RESEND_NOT_FOUND = env.bool("INTERVIEWFLOW_RESEND_NOT_FOUND", default=False)
# The sandbox plays each candidate it accepts through an interview: one event to this app's
# receiver every this many seconds, the first that long after the push (0: never; on in
# DEBUG). `manage.py sandbox_send_events` sends them by hand.
INTERVIEWFLOW_SANDBOX_EVENTS_SECONDS = env.float(
    "INTERVIEWFLOW_SANDBOX_EVENTS_SECONDS", default=5.0 if _use_sandbox else 0.0
)
