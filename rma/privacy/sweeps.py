"""Redispatch of data exports: rows the broker never delivered, or whose run died, queued again."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from returns_portal import outbox
from rma.privacy.models import DataExport


def exports_redispatch(*, now: datetime.datetime | None = None) -> int:
    """Queue again every export still pending, or built but not emailed, a while after it was asked for
    (its task was lost, or its run died: the lease has run out). Rows out of attempts stay failed."""
    from rma.privacy.tasks import export_build  # the task module imports the exports module

    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS)
    waiting = (
        DataExport.objects.filter(created_at__lt=lost, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
        .filter(Q(status=DataExport.Status.PENDING) | Q(status=DataExport.Status.READY, emailed_at__isnull=True))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
    )
    ids = list(waiting.order_by("id").values_list("id", flat=True)[: settings.OUTBOX_REDISPATCH_BATCH])
    for export_id in ids:
        outbox.dispatch(export_build, export_id)
    return len(ids)
