"""returns_portal: the Django project that runs an online shop's after-sales returns."""

from .celery import app as celery_app

__all__ = ("celery_app",)
