"""The labels' own clock: an unused label expires after LABEL_VALID_DAYS, and the customer is reminded to
send the parcel after SHIP_REMINDER_DAYS. Run by Celery beat; safe to run any number of times."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from returns_portal import outbox
from rma.cases import events
from rma.cases import services as case_services
from rma.cases.models import CaseStatus, ReturnCase
from rma.logistics.models import Shipment


def labels_redispatch(*, now: datetime.datetime | None = None) -> int:
    """Queue the label again for every approved case that ships back, has no shipment and no recorded
    problem a while after its approval (its task was lost with the broker, or its worker died), once the
    backoff of its last failed try has passed; a parked job waits for a supervisor."""
    from rma.logistics.tasks import label_render  # the task module imports this one

    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS)
    waiting = ReturnCase.objects.filter(
        Q(label_job__next_attempt_at__isnull=True) | Q(label_job__next_attempt_at__lte=now),  # after the backoff
        status=CaseStatus.APPROVED,
        needs_shipment=True,
        shipment__isnull=True,
        document_problems=[],
        decided_at__lt=lost,
        label_job__parked_at__isnull=True,  # parked: a supervisor decides (no job yet: made before jobs existed)
    )
    ids = list(waiting.order_by("id").values_list("id", flat=True)[: settings.OUTBOX_REDISPATCH_BATCH])
    for case_id in ids:
        outbox.dispatch(label_render, case_id)
    return len(ids)


def labels_sweep(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    counts = {"expired": 0, "reminded": 0}
    stale = Shipment.objects.filter(
        case__status=CaseStatus.LABEL_ISSUED, created_at__lt=now - datetime.timedelta(days=settings.LABEL_VALID_DAYS)
    )
    for case_id in stale.values_list("case_id", flat=True):
        with transaction.atomic():
            case = ReturnCase.objects.select_for_update().get(pk=case_id)
            try:
                case_services.case_expire(case=case)
            except case_services.CaseError:
                continue  # changed meanwhile
            counts["expired"] += 1

    # A gentle reminder when a label has waited a few days without the parcel being handed over. The
    # outbox sends it once per case, so "reminded" counts the labels waiting at this sweep.
    waiting = Shipment.objects.filter(
        case__status=CaseStatus.LABEL_ISSUED,
        created_at__lt=now - datetime.timedelta(days=settings.SHIP_REMINDER_DAYS),
    ).select_related("case__customer")
    for shipment in waiting:
        with transaction.atomic():
            events.publish(events.ShipReminderDue(case=shipment.case))
            counts["reminded"] += 1
    return counts
