"""Redispatch of pending payments: refunds and exchange charges whose task never ran (the broker lost it)."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from returns_portal import outbox
from rma.cases.models import ExchangeOrder, Refund


def payments_redispatch(*, now: datetime.datetime | None = None) -> dict:
    """Queue again each refund still pending a while after it was decided, and each exchange difference not
    yet charged, once its backoff has passed. The provider sees the same idempotency key every time, so a
    payment is never made twice. Parked payments (declined, or out of tries) wait for a supervisor."""
    from rma.integrations.tasks import (  # the task module imports payments
        exchange_hold,
        exchange_hold_void,
        exchange_settle,
        refund_execute,
    )

    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS)
    batch = settings.OUTBOX_REDISPATCH_BATCH
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)  # a failed try waits for its backoff
    refunds = list(
        Refund.objects.filter(due, status=Refund.Status.PENDING, created_at__lt=lost)
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )
    for refund_id in refunds:
        outbox.dispatch(refund_execute, refund_id)
    charges = list(
        ExchangeOrder.objects.filter(
            due, price_difference__gt=0, payment_reference="", parked_at__isnull=True, created_at__lt=lost
        )
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )
    for exchange_id in charges:
        outbox.dispatch(exchange_settle, exchange_id)
    # Instant exchanges' authorisations not yet placed, and those to void now that the item is back.
    old = ExchangeOrder.objects.filter(created_at__lt=lost, hold_amount__isnull=False).order_by("id")
    to_hold = list(
        old.filter(hold_reference="", hold_error="", hold_release_due=False).values_list("id", flat=True)[:batch]
    )
    to_void = list(
        old.filter(hold_release_due=True, hold_released_at__isnull=True).exclude(hold_reference="")
        .values_list("id", flat=True)[:batch]
    )  # fmt: skip
    for exchange_id in to_hold:
        outbox.dispatch(exchange_hold, exchange_id)
    for exchange_id in to_void:
        outbox.dispatch(exchange_hold_void, exchange_id)
    return {"refunds": len(refunds), "exchange_charges": len(charges), "exchange_holds": len(to_hold) + len(to_void)}
