"""The life of a payment after the team decided it: each try counted, failures kept, paid once, parked when hopeless.

A refund (or an exchange's price difference) is a row first (``rma.cases.services.money``); the payment
integration calls the provider after the commit and reports here. A transient failure keeps the row pending
with its error and the time of the next try (exponential backoff, read by the redispatch sweep); the
provider declining, or ``OUTBOX_MAX_ATTEMPTS`` tries, parks it for a supervisor, who may queue it again.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from returns_portal.outbox import backoff
from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import ExchangeOrder, Refund
from rma.cases.services.errors import CaseConflict, CasePermissionDenied


def refund_attempt_start(*, refund_id: int) -> Refund | None:
    """Count one payment attempt; None when there is nothing to do (paid already, or parked for a supervisor)."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.status != Refund.Status.PENDING:
            return None
        refund.attempts += 1
        refund.save(update_fields=["attempts"])
    return refund


def refund_record_paid(*, refund_id: int, reference: str) -> Refund:
    """The provider paid a refund (rma.integrations.payments): mark it paid, once."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("case").get(pk=refund_id)
        if refund.status == Refund.Status.PAID:
            return refund
        refund.status = Refund.Status.PAID
        refund.provider_reference = reference
        refund.paid_at = timezone.now()
        refund.last_error = ""
        refund.next_attempt_at = None
        refund.save()
        events.publish(
            events.RefundPaid(
                case=refund.case, amount=str(refund.amount), currency=refund.currency, reference=reference,
                refund_kind=refund.kind, idempotency_key=refund.idempotency_key,
            )
        )  # fmt: skip
    return refund


def refund_record_failure(*, refund_id: int, error: str, final: bool = False) -> Refund:
    """The provider could not pay this time. The error is kept for the agents; the refund waits for its next
    try, or is parked for a supervisor when the provider declined it (``final``) or it is out of tries."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("case").get(pk=refund_id)
        if refund.status != Refund.Status.PENDING:
            return refund
        refund.last_error = error[:2000]
        if final or refund.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            refund.status = Refund.Status.FAILED
            refund.next_attempt_at = None
            refund.save()
            events.publish(
                events.WorkParked(
                    case=refund.case, work="refund", amount=str(refund.amount), currency=refund.currency,
                    attempts=refund.attempts, error=refund.last_error[:500],
                )
            )  # fmt: skip
        else:
            refund.next_attempt_at = timezone.now() + backoff(refund.attempts)
            refund.save()
    return refund


def refund_retry(*, refund_id: int, actor: Staff) -> Refund:
    """A supervisor queues a parked refund again, with fresh tries and the same idempotency key (never paid twice)."""
    if not actor.has_perm("rma.supervise_case"):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("case").get(pk=refund_id)
        if refund.status != Refund.Status.FAILED:
            raise CaseConflict(_("This payment is not waiting for a decision any more."))
        refund.status = Refund.Status.PENDING
        refund.attempts = 0
        refund.next_attempt_at = None
        refund.save()
        events.publish(
            events.WorkRetried(
                case=refund.case, actor=actor, role="agent", work="refund", amount=str(refund.amount),
                currency=refund.currency,
            )
        )  # fmt: skip
        events.publish(events.RefundRequested(case=refund.case, actor=actor, role="agent", refund_id=refund.id))
    return refund


def exchange_hold_to_place(*, exchange_id: int) -> ExchangeOrder | None:
    """The instant exchange whose authorisation is still to be placed; None when placed, declined or no longer
    needed (the returned item is back)."""
    order = ExchangeOrder.objects.select_related("case").get(pk=exchange_id)
    if not order.hold_amount or order.hold_reference or order.hold_error or order.hold_release_due:
        return None
    return order


def exchange_hold_record(*, exchange_id: int, reference: str = "", error: str = "") -> ExchangeOrder:
    """The provider placed the hold (``reference``) or declined it for good (``error``: the shop carries the
    risk meanwhile, and the agents read why on the exchange order)."""
    with transaction.atomic():
        order = ExchangeOrder.objects.select_for_update().get(pk=exchange_id)
        if not order.hold_reference and not order.hold_error:
            order.hold_reference, order.hold_error = reference, error[:2000]
            order.save(update_fields=["hold_reference", "hold_error"])
    return order


def exchange_hold_to_release(*, exchange_id: int) -> ExchangeOrder | None:
    """The placed hold to void now that the returned item is back; None when there is none or it is voided."""
    order = ExchangeOrder.objects.get(pk=exchange_id)
    if not order.hold_release_due or not order.hold_reference or order.hold_released_at:
        return None
    return order


def exchange_hold_released(*, exchange_id: int) -> ExchangeOrder:
    with transaction.atomic():
        order = ExchangeOrder.objects.select_for_update().get(pk=exchange_id)
        if order.hold_released_at is None:
            order.hold_released_at = timezone.now()
            order.save(update_fields=["hold_released_at"])
    return order


def exchange_attempt_start(*, exchange_id: int) -> ExchangeOrder | None:
    """Count one try to charge an exchange's price difference; None when charged already, parked or nothing due."""
    with transaction.atomic():
        order = ExchangeOrder.objects.select_for_update().get(pk=exchange_id)
        if order.payment_reference or order.parked_at or order.price_difference <= 0:
            return None
        order.attempts += 1
        order.save(update_fields=["attempts"])
    return order


def exchange_record_paid(*, exchange_id: int, reference: str) -> ExchangeOrder:
    """The provider charged an exchange's price difference (rma.integrations.payments): keep its reference."""
    with transaction.atomic():
        order = ExchangeOrder.objects.select_for_update().get(pk=exchange_id)
        if not order.payment_reference:
            order.payment_reference = reference
            order.last_error = ""
            order.next_attempt_at = None
            order.save(update_fields=["payment_reference", "last_error", "next_attempt_at"])
    return order


def exchange_record_failure(*, exchange_id: int, error: str, final: bool = False) -> ExchangeOrder:
    """As ``refund_record_failure``, for the charge of an exchange's price difference."""
    with transaction.atomic():
        order = ExchangeOrder.objects.select_for_update().select_related("case").get(pk=exchange_id)
        if order.payment_reference or order.parked_at:
            return order
        order.last_error = error[:2000]
        if final or order.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            order.parked_at = timezone.now()
            order.next_attempt_at = None
            order.save()
            events.publish(
                events.WorkParked(
                    case=order.case, work="exchange_charge", amount=str(order.price_difference),
                    currency=order.currency, attempts=order.attempts, error=order.last_error[:500],
                )
            )  # fmt: skip
        else:
            order.next_attempt_at = timezone.now() + backoff(order.attempts)
            order.save()
    return order


def exchange_retry(*, exchange_id: int, actor: Staff) -> ExchangeOrder:
    """A supervisor queues a parked exchange charge again (same idempotency key)."""
    if not actor.has_perm("rma.supervise_case"):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic():
        order = ExchangeOrder.objects.select_for_update().select_related("case").get(pk=exchange_id)
        if order.parked_at is None or order.payment_reference:
            raise CaseConflict(_("This payment is not waiting for a decision any more."))
        order.parked_at = None
        order.attempts = 0
        order.next_attempt_at = None
        order.save()
        events.publish(
            events.WorkRetried(
                case=order.case, actor=actor, role="agent", work="exchange_charge",
                amount=str(order.price_difference), currency=order.currency,
            )
        )  # fmt: skip
        events.publish(events.ExchangeChargeDue(case=order.case, actor=actor, role="agent", exchange_id=order.id))
    return order
