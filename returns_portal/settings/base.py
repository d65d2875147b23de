"""Settings shared by every environment, read from the environment with safe embedded defaults."""

from pathlib import Path

import environ
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
    "returns_portal",
    "policies",
    "rma",
    "rma.analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "returns_portal.middleware.CustomerLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "returns_portal.middleware.CustomerTimezoneMiddleware",
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
AUTHENTICATION_BACKENDS = ["returns_portal.auth.CachedModelBackend"]

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Periodic work for Celery beat (the sweeps queue).
CELERY_BEAT_SCHEDULE = {
    "sla-sweep": {"task": "rma.tasks.sla_sweep", "schedule": 15 * 60, "options": {"queue": "sweeps"}},
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
# Below these amounts (per currency) a damaged or wrong item costs more to send back than it is worth:
# the customer keeps it and nothing is shipped. A currency not listed always ships back.
KEEP_ITEM_BELOW = {"EUR": 15, "USD": 15, "GBP": 12, "CHF": 15, "RON": 75, "CNY": 100, "JPY": 2000}

# The outbox (docs/reliability.md): a row still pending this long after it was written is taken to have lost
# its task (the broker was down, or lost it) and is queued again by its package's redispatch sweep, at most
# this many rows per sweep and minute; a row that has used this many attempts stays failed for the team.
OUTBOX_REDISPATCH_AFTER_SECONDS = env.int("OUTBOX_REDISPATCH_AFTER_SECONDS", default=300)
OUTBOX_REDISPATCH_BATCH = 500
OUTBOX_MAX_ATTEMPTS = 8

# The business constants above (SLA_HOURS, LABEL_VALID_DAYS, SHIP_REMINDER_DAYS, GOODWILL_LIMIT_PERCENT,
# KEEP_ITEM_BELOW, PORTAL_THROTTLES) are defined here only: the code reads them from settings and has
# no defaults of its own. A deployment overrides a whole dict, not single keys.

# The adapters at the edge of the world (rma.integrations): dotted paths of classes with the interface of
# rma.integrations.ports; the local ones work with no account anywhere.
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", default="rma.integrations.local.LocalPaymentProvider")
CARRIER_ADAPTER = env("CARRIER_ADAPTER", default="rma.integrations.local.LocalCarrier")
SMS_GATEWAY = env("SMS_GATEWAY", default="rma.integrations.local.LocalSmsGateway")

# Where the policy simulator finds recent real claims (policies never imports rma: it loads this path).
POLICY_SIMULATION_SOURCE = "rma.cases.policy_claims.recent_claims"
