"""Celery tasks of messaging: sending one queued notification."""

from celery import shared_task

from rma.messaging import notifications, sweeps, withdrawal


@shared_task(
    bind=True,
    name="rma.tasks.notification_send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def notification_send(self, notification_id: int) -> None:
    try:
        notifications.notification_deliver(notification_id=notification_id)
    except notifications.NotificationBusy as busy:
        # Another worker is sending it (or died doing so): look again when its lease ends, never drop it.
        raise self.retry(countdown=busy.seconds + 1, max_retries=None) from None


@shared_task(acks_late=True)
def notifications_redispatch() -> dict:
    return {
        "notifications": sweeps.notifications_redispatch(),
        "withdrawal_acknowledgements": sweeps.acknowledgements_redispatch(),
    }


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def withdrawal_acknowledgement_send(self, statement_id: int) -> None:
    try:
        withdrawal.withdrawal_acknowledge(statement_id=statement_id)
    except withdrawal.AcknowledgementBusy as busy:
        raise self.retry(countdown=busy.seconds + 1, max_retries=None) from None
