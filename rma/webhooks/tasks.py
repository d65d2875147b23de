"""Celery tasks of the outbound webhooks: one try of one delivery, and the sweep that finds lost or due ones."""

from celery import shared_task

from rma.webhooks import services


@shared_task(ignore_result=True)
def webhook_deliver(delivery_id: int) -> None:
    # Failures are recorded on the row with their next try; the sweep queues it then (no Celery retry here).
    services.delivery_send(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhooks_redispatch() -> None:
    services.deliveries_redispatch()
    services.disabled_endpoints_notify()
