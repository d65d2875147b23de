"""Redispatch of the notification outbox: rows the broker never delivered, or whose try is due again."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from returns_portal import outbox
from rma.cases.models import WithdrawalStatement
from rma.messaging.models import Notification


def notifications_redispatch(*, now: datetime.datetime | None = None) -> int:
    """Queue again every notification still waiting: queued and not sent for a while (its task was lost
    with the broker), failed and due again, or taken by a worker whose lease has run out. Rows that have
    used their attempts stay failed, with their error, for the team to see."""
    from rma.messaging.tasks import notification_send  # the task module imports the notifications module

    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS)
    due = Notification.objects.filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS).filter(
        Q(status=Notification.Status.QUEUED, created_at__lt=lost)
        | Q(status=Notification.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Notification.Status.SENDING, next_attempt_at__lte=now)
    )
    ids = list(due.order_by("id").values_list("id", flat=True)[: settings.OUTBOX_REDISPATCH_BATCH])
    for notification_id in ids:
        outbox.dispatch(notification_send, notification_id)
    return len(ids)


def acknowledgements_redispatch(*, now: datetime.datetime | None = None) -> int:
    """Queue again every EU withdrawal still not acknowledged a while after it was made (parked ones wait for a
    supervisor)."""
    from rma.messaging.tasks import withdrawal_acknowledgement_send

    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS)
    waiting = WithdrawalStatement.objects.filter(
        acknowledged_at__isnull=True, acknowledgement_parked_at__isnull=True, submitted_at__lt=lost
    ).filter(Q(acknowledgement_lease_until__isnull=True) | Q(acknowledgement_lease_until__lte=now))
    ids = list(waiting.order_by("id").values_list("id", flat=True)[: settings.OUTBOX_REDISPATCH_BATCH])
    for statement_id in ids:
        outbox.dispatch(withdrawal_acknowledgement_send, statement_id)
    return len(ids)
