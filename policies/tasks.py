"""Celery tasks of the policies app."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def policies_publish_due() -> int:
    return len(services.policies_publish_due())
