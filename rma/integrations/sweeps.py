"""Redispatch of pending payments: refunds and exchange charges whose task never ran (the broker lost it)."""

import datetime

from django.conf import settings
from django.utils import timezone

from returns_portal import outbox
from rma.cases.models import ExchangeOrder, Refund


def payments_redispatch(*, now: datetime.datetime | None = None) -> dict:
    """Queue again each refund still pending a while after it was decided, and each exchange difference not
    yet charged. The provider sees the same idempotency key every time, so a payment is never made twice."""
    from rma.integrations.tasks import exchange_settle, refund_execute  # the task module imports payments

    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS)
    batch = settings.OUTBOX_REDISPATCH_BATCH
    refunds = list(
        Refund.objects.filter(
            status=Refund.Status.PENDING, created_at__lt=lost, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS
        ).values_list("id", flat=True)[:batch]
    )
    for refund_id in refunds:
        outbox.dispatch(refund_execute, refund_id)
    charges = list(
        ExchangeOrder.objects.filter(price_difference__gt=0, payment_reference="", created_at__lt=lost).values_list(
            "id", flat=True
        )[:batch]
    )
    for exchange_id in charges:
        outbox.dispatch(exchange_settle, exchange_id)
    return {"refunds": len(refunds), "exchange_charges": len(charges)}
