"""Settings shared by every environment, read from the environment with safe embedded defaults."""

import datetime
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-embedded-default-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_fsm",
    "django_prometheus",
    "returns_portal",
    "policies",
    "rma",
    "rma.analytics",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rma.privacy",
    "rma.webhooks",
    "rma.api",
    "ninja",  # its static files: the API docs page loads nothing from a CDN
]

MIDDLEWARE = [
    # Request latency and counts per view (django-prometheus): the first and the last middleware.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "returns_portal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "returns_portal.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "returns_portal.middleware.CustomerLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "returns_portal.uploads.RequestTooLargeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rma.access.middleware.StaffAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "returns_portal.middleware.CustomerTimezoneMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "returns_portal.urls"
WSGI_APPLICATION = "returns_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
            "builtins": ["returns_portal.templatetags.formatting"],
        },
    }
]

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waiting for the write lock beats failing when the worker and the web process write together.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "agent:login"
LOGIN_REDIRECT_URL = "agent:queue"
LOGOUT_REDIRECT_URL = "agent:login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("it", _("Italian")),
    ("ro", _("Romanian")),
    ("zh-hans", _("Simplified Chinese")),
    ("ja", _("Japanese")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="UTC")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Where links in emails point to; the request's host is not known inside a worker.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SHOP_NAME = env("SHOP_NAME", default="Demo Shop")

# Email goes to the console in the embedded default; production configures SMTP (see production.py).
MAILERS = {"default": {"BACKEND": env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="returns@shop.example")

# The cache holds sessions, signed-in users and their permission sets, the queue's pages, counts and
# pickers. Each process keeps its own in the embedded default; production shares one in Redis (CACHE_URL),
# so that a change drops what it makes stale for every worker at once.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Redis as the cache, but never as a dependency: with the server away pages work from the database.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "returns_portal.cache.ResilientRedisCache"
# Sessions are read through the cache (and written to the database, so nobody is logged out when it empties).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The signed-in user and their permission set come from the cache between changes (returns_portal.auth).
# django-axes first: it refuses a locked-out user and client before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "returns_portal.auth.CachedModelBackend"]

# Celery: a Redis broker when REDIS_URL is set, otherwise tasks run in-process as they are enqueued.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ROUTES = {
    "rma.tasks.label_render": {"queue": "documents"},
    "rma.tasks.notification_send": {"queue": "notifications"},
    "rma.analytics.tasks.analytics_refresh": {"queue": "sweeps"},
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late, a task whose worker died is delivered again once this many seconds have passed.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}

# Shared secret of the carrier's tracking webhook (HMAC-SHA256 over "timestamp.body").
CARRIER_WEBHOOK_SECRET = env("CARRIER_WEBHOOK_SECRET", default="")

# Show the portal's one-time code on the page as well as in the email: for the embedded demo only.
PORTAL_DEMO_SHOW_CODE = False
# Portal access and throttles (docs/portal.md). Which proxies' X-Forwarded-For is believed: their
# addresses or networks, or how many sit in front of the app; neither (the default) trusts none.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Per action, per subject (the client's address, the order number and the email address typed):
# [attempts, in seconds]. Counted in the database (rma.access.throttles), so they hold without the cache.
PORTAL_THROTTLES = {
    "lookup_failed": {"client": [40, 3600], "order": [10, 3600], "email": [10, 3600]},
    "code_request": {"client": [20, 3600], "order": [5, 3600], "email": [5, 3600]},
    "code_attempt": {"client": [30, 3600], "order": [10, 3600]},
    "withdrawal": {"client": [10, 3600], "order": [3, 3600], "email": [5, 3600]},
    # The REST API: requests per token (docs/api.md).
    "api": {"token": [env.int("API_REQUESTS_PER_MINUTE", default=600), 60]},
}
# The REST API (rma.api, docs/api.md): how long an Idempotency-Key's answer is kept.
API = {"idempotency_hours": 24}
# Outbound webhooks (rma.webhooks, docs/api.md): tries per delivery (backoff 2 s doubling to at most an hour),
# how long an endpoint may fail without a success before it is disabled, the HTTP timeout, and whether plain
# http:// receivers are allowed (only for local development and tests).
WEBHOOKS = {
    "max_attempts": 15,
    "disable_after_hours": 72,
    "timeout_seconds": 10,
    "allow_http": env.bool("WEBHOOKS_ALLOW_HTTP", default=False),
}
# How long codes and links live; a new unsubscribe token version revokes every older unsubscribe link.
PORTAL_ACCESS = {
    "code_valid_minutes": 15,
    "code_max_attempts": 5,
    "case_link_days": 30,
    "withdrawal_link_days": 30,
    "unsubscribe_link_days": 400,
    "unsubscribe_token_version": 1,
}

# The shop's default region for customers from a country no region covers.
DEFAULT_REGION_CODE = env("DEFAULT_REGION_CODE", default="EU")

# LOG_FORMAT=json (production's default): one JSON object per line, with the request id and the case number.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "returns_portal.observability.LogContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(case)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(case)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Security headers on every response, the admin's included (docs/security.md). Scripts and style sheets come
# from this site only; an inline <script> or <style> needs the request's nonce ({{ csp_nonce }}), and inline
# event handlers and style attributes are refused. data: images: the empty favicon in base.html.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Product pictures on the return form come from the shop's image hosts (order lines' image_url).
    "img-src": [CSP.SELF, "data:", *env.list("PRODUCT_IMAGE_ORIGINS", default=[])],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "base-uri": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page of the site uses (returns_portal.headers): refused to every origin.
PERMISSIONS_POLICY = {
    feature: []
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth", "midi",
                    "magnetometer", "gyroscope", "accelerometer", "display-capture")
}  # fmt: skip

# Upload limits, checked as the body streams in (returns_portal.uploads): a request declaring more than
# REQUEST_MAX_BYTES is refused with a 413 page before it is read; a file over UPLOAD_MAX_FILE_BYTES is dropped
# from that point on and reaches the form as "too large", which keeps every other field. The per-file limit
# matches the photos' (rma.cases.photos). Django's own limit for the non-file fields stays (2.5 MB).
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=100 * 1024 * 1024)
UPLOAD_MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "returns_portal.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Staff accounts (docs/security.md). After AXES_FAILURE_LIMIT wrong passwords for one username from one client
# address, that pair is locked out for AXES_COOLOFF_TIME (a 429 page); a success resets the count. A staff
# session ends after STAFF_SESSION_IDLE_SECONDS without a request (8 hours by default). Superusers, supervisors
# and policy admins must use TOTP (rma.access.roles.MFA_REQUIRED_ROLES); agents may.
AXES_FAILURE_LIMIT = env.int("STAFF_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("STAFF_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rma.workspace.mfa.locked_out"
# The client's address as the portal's throttles see it: X-Forwarded-For only from TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "returns_portal.client_address.client_address"
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=8 * 60 * 60)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Returns portal")

# Periodic work for Celery beat (the sweeps queue).
CELERY_BEAT_SCHEDULE = {
    "sla-sweep": {"task": "rma.tasks.sla_sweep", "schedule": 15 * 60, "options": {"queue": "sweeps"}},
    "pending-photos-purge": {
        "task": "rma.tasks.pending_photos_purge",
        "schedule": 60 * 60,
        "options": {"queue": "sweeps"},
    },
    "labels-sweep": {"task": "rma.logistics.tasks.labels_sweep", "schedule": 60, "options": {"queue": "sweeps"}},
    "notifications-redispatch": {
        "task": "rma.messaging.tasks.notifications_redispatch",
        "schedule": 60,
        "options": {"queue": "sweeps"},
    },
    "payments-redispatch": {
        "task": "rma.integrations.tasks.payments_redispatch",
        "schedule": 60,
        "options": {"queue": "sweeps"},
    },
    "policies-publish-due": {
        "task": "policies.tasks.policies_publish_due",
        "schedule": 60 * 60,
        "options": {"queue": "sweeps"},
    },
    "analytics-refresh": {
        "task": "rma.analytics.tasks.analytics_refresh",
        "schedule": 5 * 60,
        "options": {"queue": "sweeps"},
    },
    "webhooks-redispatch": {
        "task": "rma.webhooks.tasks.webhooks_redispatch",
        "schedule": 60,
        "options": {"queue": "sweeps"},
    },
    "privacy-exports-redispatch": {
        "task": "rma.privacy.tasks.exports_redispatch",
        "schedule": 60,
        "options": {"queue": "sweeps"},
    },
    "privacy-retention": {
        "task": "rma.privacy.tasks.retention_apply",
        "schedule": 24 * 60 * 60,
        "options": {"queue": "sweeps"},
    },
}

# Case deadlines in hours (first response, decision, refund after the goods arrive) and label validity.
SLA_HOURS = {
    "first_response": env.int("SLA_FIRST_RESPONSE_HOURS", default=24),
    "decision": env.int("SLA_DECISION_HOURS", default=48),
    "refund_after_receipt": env.int("SLA_REFUND_HOURS", default=24),
}
LABEL_VALID_DAYS = env.int("LABEL_VALID_DAYS", default=30)
SHIP_REMINDER_DAYS = env.int("SHIP_REMINDER_DAYS", default=5)
# Goodwill each role may grant without a manager, as a percentage of the returned items' value.
GOODWILL_LIMIT_PERCENT = {"agent": 10, "supervisor": 50}
# Goodwill each person of a role may give in one day over all cases, per currency (a currency not listed: none).
GOODWILL_DAILY_LIMIT = {
    "agent": {"EUR": 300, "USD": 300, "GBP": 250, "CHF": 300, "RON": 1500, "CNY": 2000, "JPY": 40000},
    "supervisor": {"EUR": 2000, "USD": 2000, "GBP": 1700, "CHF": 2000, "RON": 10000, "CNY": 15000, "JPY": 300000},
}
# A refund more than this above the amount due (per currency; not listed: any excess) waits for a supervisor.
REFUND_ABOVE_DUE_APPROVAL = {"EUR": 20, "USD": 20, "GBP": 17, "CHF": 20, "RON": 100, "CNY": 150, "JPY": 3000}
# Below these amounts (per currency) a damaged or wrong item costs more to send back than it is worth:
# the customer keeps it and nothing is shipped. A currency not listed always ships back.
KEEP_ITEM_BELOW = {"EUR": 15, "USD": 15, "GBP": 12, "CHF": 15, "RON": 75, "CNY": 100, "JPY": 2000}

# The outbox (docs/reliability.md): a row still pending this long after it was written is taken to have lost
# its task (the broker was down, or lost it) and is queued again by its package's redispatch sweep, at most
# this many rows per sweep and minute; a row that has used this many attempts stays failed for the team.
OUTBOX_REDISPATCH_AFTER_SECONDS = env.int("OUTBOX_REDISPATCH_AFTER_SECONDS", default=300)
OUTBOX_REDISPATCH_BATCH = 500
OUTBOX_MAX_ATTEMPTS = 8
# /metrics (Prometheus): with a token, scrapers send "Authorization: Bearer <token>"; without, loopback only.
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# The business constants above (SLA_HOURS, LABEL_VALID_DAYS, SHIP_REMINDER_DAYS, GOODWILL_LIMIT_PERCENT,
# GOODWILL_DAILY_LIMIT, REFUND_ABOVE_DUE_APPROVAL, KEEP_ITEM_BELOW, PORTAL_THROTTLES) are defined here only: the
# code reads them from settings and has no defaults of its own. A deployment overrides a whole dict, not single keys.

# The adapters at the edge of the world (rma.integrations): dotted paths of classes with the interface of
# rma.integrations.ports; the local ones work with no account anywhere.
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", default="rma.integrations.local.LocalPaymentProvider")
CARRIER_ADAPTER = env("CARRIER_ADAPTER", default="rma.integrations.local.LocalCarrier")
SMS_GATEWAY = env("SMS_GATEWAY", default="rma.integrations.local.LocalSmsGateway")

# Each carrier's public tracking page and usual transit time to the return centre, by the carrier's name as
# printed on the label (Shipment.carrier; the local carrier is "Returns Post"). "url" has a {tracking_number}
# slot; "transit_days" estimates the delivery to the warehouse when the carrier's scans give no date
# (rma.logistics.tracking.parcel_tracking). A carrier not listed gets no link and the default transit time.
CARRIER_TRACKING = {
    "Returns Post": {
        "url": env("RETURNS_POST_TRACKING_URL", default="https://tracking.returns-post.example/{tracking_number}"),
        "transit_days": env.int("RETURNS_POST_TRANSIT_DAYS", default=3),
    },
}
CARRIER_TRANSIT_DAYS_DEFAULT = env.int("CARRIER_TRANSIT_DAYS_DEFAULT", default=5)

# Where the policy simulator finds recent real claims (policies never imports rma: it loads this path).
POLICY_SIMULATION_SOURCE = "rma.cases.policy_claims.recent_claims"

# Privacy (docs/privacy.md). How long personal data is kept, in days: customers' photos and the thread after
# their case is closed or cancelled, one-time codes after they were made, the log of sent notifications and
# the staff access log after they were written. Each period is applied every night by rma.privacy.
PRIVACY_RETENTION_DAYS = {
    "photos_after_close": env.int("PRIVACY_PHOTOS_DAYS", default=90),
    "messages_after_close": env.int("PRIVACY_MESSAGES_DAYS", default=365),
    "lookup_codes": env.int("PRIVACY_LOOKUP_CODES_DAYS", default=30),
    "notifications": env.int("PRIVACY_NOTIFICATIONS_DAYS", default=365),
    "access_log": env.int("PRIVACY_ACCESS_LOG_DAYS", default=730),
}
# Refunds, store credit, exchange orders and the invoices in the shipping documents are kept this long for
# the tax and accounting laws (10 years covers Germany's and Italy's); an erasure keeps their amounts and
# dates, and the stored invoice and customs files are deleted once the period is over.
PRIVACY_FINANCIAL_RETENTION_DAYS = env.int("PRIVACY_FINANCIAL_RETENTION_DAYS", default=3650)
# How long the emailed link to a data export works; the file is deleted when it expires.
PRIVACY_EXPORT_LINK_HOURS = env.int("PRIVACY_EXPORT_LINK_HOURS", default=72)
