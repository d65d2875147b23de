"""The retention periods, applied every night: each kind of personal data is removed when its period in
``PRIVACY_RETENTION_DAYS`` (or ``PRIVACY_FINANCIAL_RETENTION_DAYS``) is over (docs/privacy.md)."""

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import DateTimeField
from django.db.models.functions import Coalesce
from django.utils import timezone

from rma.access.models import LookupCode
from rma.cases.models import FINAL_STATUSES, CaseEvent, InspectionPhoto, ReturnCase, ReturnItemPhoto
from rma.logistics.models import Shipment
from rma.messaging.models import Message, Notification
from rma.privacy.erasure import REMOVED
from rma.privacy.models import CaseAccess, DataExport

# Accounting and customs records among the shipping documents (the parcel's own go with the erasure).
FINANCIAL_DOCUMENTS = ("invoice_pdf", "customs_pdf")
# Rows per statement, so that a first run over years of data never holds one huge transaction.
BATCH = 500


def _days(name: str) -> datetime.timedelta:
    return datetime.timedelta(days=settings.PRIVACY_RETENTION_DAYS[name])


def _closed_before(cutoff: datetime.datetime):
    """Cases closed or cancelled before the cutoff (a cancelled case has no ``closed_at``: its last change)."""
    ended = Coalesce("closed_at", "updated_at", output_field=DateTimeField())
    return ReturnCase.objects.filter(status__in=FINAL_STATUSES).alias(ended=ended).filter(ended__lt=cutoff)


def _delete_with_files(queryset, file_field: str) -> int:
    """Delete the rows batch by batch, then their files once the rows are gone."""
    total = 0
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        rows = queryset.model.objects.filter(pk__in=ids)
        names = [name for name in rows.values_list(file_field, flat=True) if name]
        with transaction.atomic():
            total += rows.delete()[0]
        for name in names:
            default_storage.delete(name)
    return total


def _photos(now):
    cases = _closed_before(now - _days("photos_after_close"))
    return _delete_with_files(ReturnItemPhoto.objects.filter(item__case__in=cases), "image") + _delete_with_files(
        InspectionPhoto.objects.filter(inspection__item__case__in=cases), "image"
    )


def _messages(now):
    cases = _closed_before(now - _days("messages_after_close"))
    return _delete_with_files(Message.objects.filter(case__in=cases), "attachment")


def _lookup_codes(now):
    return LookupCode.objects.filter(created_at__lt=now - _days("lookup_codes")).delete()[0]


def _notifications(now):
    """The log of what was sent loses its recipient and text; the row (and its idempotency key) stays, so
    that nothing is ever sent twice."""
    cutoff = now - _days("notifications")
    old = Notification.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[Notification.Status.QUEUED, Notification.Status.SENDING]
    )
    count = old.exclude(recipient="").update(recipient="", subject="", body="", params={})
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTIFICATION, created_at__lt=cutoff)
    for event in events.filter(data__has_key="recipient").exclude(data__recipient=REMOVED).iterator():
        event.data = {**event.data, "recipient": REMOVED}
        event.save(update_fields=["data"])
    return count


def _access_log(now):
    return CaseAccess.objects.filter(opened_at__lt=now - _days("access_log")).delete()[0]


def _exports(now):
    """Expired export links: the file goes, the row stays (as a record that the request was answered). A
    file built for an export that then failed (its email never went) goes when its link would have expired."""
    expired = DataExport.objects.filter(
        status__in=[DataExport.Status.READY, DataExport.Status.FAILED], expires_at__lte=now
    )
    count = 0
    for export in expired.exclude(file=""):
        name = export.file.name
        DataExport.objects.filter(pk=export.pk).update(file="")
        default_storage.delete(name)
        count += 1
    expired.filter(status=DataExport.Status.READY).update(status=DataExport.Status.EXPIRED)
    return count


def _sessions(now):
    """Expired sessions (they may hold what a customer typed into the withdrawal form): Django's
    ``clearsessions``, which nothing else runs."""
    return Session.objects.filter(expire_date__lt=now).delete()[0]


def _financial_documents(now):
    cutoff = now - datetime.timedelta(days=settings.PRIVACY_FINANCIAL_RETENTION_DAYS)
    count = 0
    for shipment in Shipment.objects.filter(case__in=_closed_before(cutoff)).exclude(invoice_pdf="", customs_pdf=""):
        names = [getattr(shipment, field).name for field in FINANCIAL_DOCUMENTS if getattr(shipment, field)]
        Shipment.objects.filter(pk=shipment.pk).update(**dict.fromkeys(FINANCIAL_DOCUMENTS, ""))
        for name in names:
            default_storage.delete(name)
        count += len(names)
    return count


def retention_apply(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remove everything whose retention period is over; returns how many of each were removed. Safe to
    run any number of times (a second run finds nothing more)."""
    now = now or timezone.now()
    return {
        "photos": _photos(now),
        "messages": _messages(now),
        "lookup_codes": _lookup_codes(now),
        "notifications": _notifications(now),
        "access_log": _access_log(now),
        "exports": _exports(now),
        "sessions": _sessions(now),
        "financial_documents": _financial_documents(now),
    }
