"""Settings for the test suite: SQLite by default, PostgreSQL when DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".test-media")
# Unit tests run tasks in-process; tests/integration switch to the real broker and worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
ALLOWED_HOSTS = ["*"]
# Serve static files from the source folders (no collectstatic before tests), as runserver does.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
CARRIER_WEBHOOK_SECRET = "test-webhook-secret"  # noqa: S105
# The worker-crash test sets a short visibility timeout: look for abandoned tasks every second then.
if env("CELERY_VISIBILITY_TIMEOUT", default=""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT"),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
# Tests deliver outbound webhooks to receivers on 127.0.0.1 over plain HTTP.
WEBHOOKS = {**WEBHOOKS, "allow_http": True}  # noqa: F405
