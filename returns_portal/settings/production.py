"""Production settings: PostgreSQL, Redis broker, SMTP, secure cookies; secrets have no defaults."""

from returns_portal.observability import sentry_init

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
# localhost: the container health check calls /healthz from inside the container.
ALLOWED_HOSTS = [*env.list("DJANGO_ALLOWED_HOSTS"), "localhost"]
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
REDIS_URL = env("REDIS_URL")
# One cache for every process (web workers, Celery): cached sessions, permission sets and queue pages are
# dropped for all of them at once after a change. A Redis database of its own, e.g. rediscache://redis:6379/1.
CACHES = {"default": env.cache("CACHE_URL")}
# Redis as the cache, but never as a dependency: with the server away pages work from the database.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "returns_portal.cache.ResilientRedisCache"
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False

# EMAIL_URL as smtp://user:password@host:587 (STARTTLS with smtp+tls://, implicit TLS with smtp+ssl://).
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email["EMAIL_HOST"],
            "port": _email["EMAIL_PORT"],
            "username": _email["EMAIL_HOST_USER"],
            "password": _email["EMAIL_HOST_PASSWORD"],
            "use_tls": bool(_email.get("EMAIL_USE_TLS", False)),
            "use_ssl": bool(_email.get("EMAIL_USE_SSL", False)),
            "timeout": 20,
        },
    }
}

# Labels, documents and photos are read and written through this storage only, so S3-compatible object
# storage works: install django-storages[s3] and set DJANGO_FILE_STORAGE=storages.backends.s3.S3Storage
# with its AWS_* variables (docs/reliability.md, "Stored documents").
STORAGES = {
    "default": {"BACKEND": env("DJANGO_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Production logs are JSON lines (request id and case number included); LOG_FORMAT=text for people.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # noqa: F405

# Errors to Sentry when SENTRY_DSN is set (optional).
sentry_init()
