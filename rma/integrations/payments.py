"""Paying what the core decided: pending refunds and exchange charges go to the payment provider.

The core writes the ``Refund`` (or ``ExchangeOrder``) row and publishes an event; the subscriber here
names the provider on the row and queues the payment after the commit. The provider is called with no
row lock held, with the same idempotency key on every try, and the core records the result.
"""

from rma.cases import services as case_services
from rma.cases.models import ExchangeOrder, Refund
from rma.integrations import ports


def refund_pay(*, refund_id: int) -> Refund:
    """Pay a pending refund through the provider; a refund already paid (or parked) is left alone."""
    refund = case_services.refund_attempt_start(refund_id=refund_id)
    if refund is None:
        return Refund.objects.get(pk=refund_id)
    order = refund.case.items.select_related("order_line__order").first().order_line.order
    try:
        result = ports.payment_provider().refund(
            idempotency_key=refund.idempotency_key,
            amount=refund.amount,
            currency=refund.currency,
            order_number=order.number,
        )
    except ports.PaymentDeclined as exc:
        return case_services.refund_record_failure(refund_id=refund_id, error=str(exc), final=True)
    except ports.ProviderError as exc:
        refund = case_services.refund_record_failure(refund_id=refund_id, error=str(exc))
        if refund.status == Refund.Status.FAILED:
            return refund  # out of tries: parked for a supervisor, the task stops here
        raise  # the task retries with backoff; the attempt and the error are kept on the row
    return case_services.refund_record_paid(refund_id=refund_id, reference=result.reference)


def exchange_hold_place(*, exchange_id: int) -> ExchangeOrder:
    """Place the authorisation that covers an instant exchange, once (the same key on every try)."""
    order = case_services.exchange_hold_to_place(exchange_id=exchange_id)
    if order is None:
        return ExchangeOrder.objects.get(pk=exchange_id)
    try:
        result = ports.payment_provider().authorise(
            idempotency_key=f"exchange-hold:{order.case.rma_number}", amount=order.hold_amount,
            currency=order.currency, order_number=order.number,
        )  # fmt: skip
    except ports.PaymentDeclined as exc:
        return case_services.exchange_hold_record(exchange_id=exchange_id, error=str(exc))
    return case_services.exchange_hold_record(exchange_id=exchange_id, reference=result.reference)


def exchange_hold_void(*, exchange_id: int) -> ExchangeOrder:
    """Release the authorisation once the returned item is back."""
    order = case_services.exchange_hold_to_release(exchange_id=exchange_id)
    if order is None:
        return ExchangeOrder.objects.get(pk=exchange_id)
    ports.payment_provider().void(idempotency_key=f"exchange-hold-void:{order.number}", reference=order.hold_reference)
    return case_services.exchange_hold_released(exchange_id=exchange_id)


def exchange_charge(*, exchange_id: int) -> ExchangeOrder:
    """Charge the customer the price difference of an exchange, once."""
    order = case_services.exchange_attempt_start(exchange_id=exchange_id)
    if order is None:
        return ExchangeOrder.objects.get(pk=exchange_id)
    try:
        result = ports.payment_provider().charge(
            idempotency_key=f"exchange-charge:{order.case.rma_number}", amount=order.price_difference,
            currency=order.currency, order_number=order.number,
        )  # fmt: skip
    except ports.PaymentDeclined as exc:
        return case_services.exchange_record_failure(exchange_id=exchange_id, error=str(exc), final=True)
    except ports.ProviderError as exc:
        order = case_services.exchange_record_failure(exchange_id=exchange_id, error=str(exc))
        if order.parked_at:
            return order
        raise
    return case_services.exchange_record_paid(exchange_id=exchange_id, reference=result.reference)
