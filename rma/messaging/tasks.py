"""Celery tasks of messaging: sending one queued notification."""

from celery import shared_task

from rma.messaging import notifications


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def notification_send(notification_id: int) -> None:
    notifications.notification_deliver(notification_id=notification_id)
