"""Erasure of a customer's personal data: an audited supervisor action that anonymises the customer and
deletes their photos and messages, while the records the law requires to be kept (refunds, store credit,
exchange orders, invoices) survive with their amounts and dates (docs/privacy.md)."""

import datetime
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from returns_portal.actors import Staff
from rma.access.models import LookupCode
from rma.cases.models import (
    OPEN_STATUSES,
    CaseEvent,
    Inspection,
    InspectionPhoto,
    PendingPhoto,
    Refund,
    ReturnCase,
    ReturnItem,
    ReturnItemPhoto,
    SurveyResponse,
    WithdrawalStatement,
)
from rma.integrations.models import LocalSms
from rma.logistics.models import Shipment
from rma.messaging.models import Message, Notification
from rma.orders.models import Customer, Order
from rma.privacy.errors import ErasureRefused
from rma.privacy.models import DataExport, Erasure

# The shipping documents that print the customer's name and address only to move the parcel; the invoice
# and the customs declaration are accounting and customs records, kept for the financial retention period.
PARCEL_DOCUMENTS = ("label_pdf", "label_4x6_pdf", "packing_slip_pdf")
# What a timeline row shows where the customer's address was ("Email sent to —").
REMOVED = "—"


def erased_email(customer_id: int) -> str:
    """The address an erased customer keeps: unique (the column is) and reachable by nobody."""
    return f"erased-{customer_id}@erased.invalid"


@dataclass(frozen=True)
class ErasurePreview:
    """What an erasure would do, shown on the confirmation step; ``refusal`` says why it cannot be done."""

    refusal: str
    messages: int
    photos: int
    notifications: int
    refunds_kept: int
    open_cases: list[str]


def _refusal(customer: Customer, open_cases: list[str]) -> str:
    if Erasure.objects.filter(customer=customer).exists():
        return _("This customer's data has already been erased.")
    if open_cases:
        return _(
            "This customer has open returns (%(cases)s). Close or cancel them first: their data is needed to "
            "finish them."
        ) % {"cases": ", ".join(open_cases)}
    if Refund.objects.filter(case__customer=customer, status=Refund.Status.PENDING).exists():
        return _("A refund to this customer is still being paid. Erase the data once it has been paid.")
    return ""


def erasure_preview(*, customer: Customer) -> ErasurePreview:
    open_cases = list(
        ReturnCase.objects.filter(customer=customer, status__in=OPEN_STATUSES)
        .order_by("created_at")
        .values_list("rma_number", flat=True)
    )
    return ErasurePreview(
        refusal=_refusal(customer, open_cases),
        messages=Message.objects.filter(case__customer=customer).count(),
        photos=ReturnItemPhoto.objects.filter(item__case__customer=customer).count()
        + InspectionPhoto.objects.filter(inspection__item__case__customer=customer).count(),
        notifications=Notification.objects.filter(case__customer=customer).count(),
        refunds_kept=Refund.objects.filter(case__customer=customer).count(),
        open_cases=open_cases,
    )


def _files_of(customer: Customer) -> list[str]:
    """Stored files the erasure removes: photos, attachments, exports and the parcel documents."""
    names = list(ReturnItemPhoto.objects.filter(item__case__customer=customer).values_list("image", flat=True))
    names += InspectionPhoto.objects.filter(inspection__item__case__customer=customer).values_list("image", flat=True)
    names += PendingPhoto.objects.filter(customer=customer).values_list("image", flat=True)
    names += Message.objects.filter(case__customer=customer).exclude(attachment="").values_list("attachment", flat=True)
    names += DataExport.objects.filter(customer=customer).exclude(file="").values_list("file", flat=True)
    for row in Shipment.objects.filter(case__customer=customer).values(*PARCEL_DOCUMENTS):
        names += [name for name in row.values() if name]
    return names


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def customer_erase(*, customer: Customer, actor: Staff, reason: str, now: datetime.datetime | None = None) -> Erasure:
    """Anonymise the customer and delete their photos, messages, codes and notifications, for a reason.

    Refused while a case of theirs is open or a refund to them is being paid. The stored files go after the
    commit (no file work inside the transaction; a rolled back erasure keeps them).
    """
    if not actor.has_perm("privacy.manage_personal_data"):
        raise ErasureRefused(_("Only a supervisor may erase a customer's data."))
    reason = reason.strip()
    if not reason:
        raise ErasureRefused(_("Say why the data is erased: the reason is kept in the audit log."))
    now = now or timezone.now()
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        preview = erasure_preview(customer=customer)
        if preview.refusal:
            raise ErasureRefused(preview.refusal)
        files = _files_of(customer)
        cases = ReturnCase.objects.filter(customer=customer)
        orders = Order.objects.filter(customer=customer)
        summary = {
            "messages": Message.objects.filter(case__in=cases).delete()[0],
            "photos": ReturnItemPhoto.objects.filter(item__case__in=cases).delete()[0]
            + InspectionPhoto.objects.filter(inspection__item__case__in=cases).delete()[0]
            + PendingPhoto.objects.filter(customer=customer).delete()[0],
            "notifications": Notification.objects.filter(case__in=cases).delete()[0],
            "lookup_codes": LookupCode.objects.filter(Q(order__in=orders) | Q(email=customer.email)).delete()[0],
            "exports": DataExport.objects.filter(customer=customer).delete()[0],
            "text_messages": LocalSms.objects.filter(phone=customer.phone).delete()[0] if customer.phone else 0,
            "refunds_kept": Refund.objects.filter(case__in=cases).count(),
            "cases_kept": cases.count(),
            "orders_kept": orders.count(),
        }
        orders.update(ship_name="", ship_street="", ship_postcode="", ship_city="")
        cases.update(rejection_reason="", info_request="", info_response="", offer_reason="", return_address={})
        ReturnItem.objects.filter(case__in=cases).update(problem="", exchange_wish="")
        Inspection.objects.filter(item__case__in=cases).update(notes="")
        SurveyResponse.objects.filter(case__in=cases).update(comment="")
        Shipment.objects.filter(case__in=cases).update(**dict.fromkeys(PARCEL_DOCUMENTS, ""))
        WithdrawalStatement.objects.filter(order__in=orders).update(
            name="", email=erased_email(customer.pk), content=""
        )
        # The timeline keeps what happened and when; only a notification's recipient and a corrected address
        # name the customer.
        for event in CaseEvent.objects.filter(case__in=cases, kind=CaseEvent.Kind.NOTIFICATION):
            event.data = {**event.data, "recipient": REMOVED}
            event.save(update_fields=["data"])
        for event in CaseEvent.objects.filter(case__in=cases, kind=CaseEvent.Kind.ADDRESS):
            event.data = {**event.data, "before": {}, "after": {}}
            event.save(update_fields=["data"])
        Customer.objects.filter(pk=customer.pk).update(
            email=erased_email(customer.pk),
            name="",
            phone="",
            time_zone="",
            requested_language="",
            notify_sms=False,
            unsubscribed_at=now,
        )
        erasure = Erasure.objects.create(customer=customer, actor=actor, reason=reason, summary=summary)
        transaction.on_commit(lambda: _files_delete(files))
    return erasure
