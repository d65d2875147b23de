"""What the integrations do when the core publishes a money event: queue the payment after the commit."""

from returns_portal import events as bus
from returns_portal import outbox
from rma.cases import events
from rma.cases.models import Refund
from rma.integrations import ports


def on_refund_requested(event: events.RefundRequested) -> None:
    from rma.integrations.tasks import refund_execute  # the task module imports the payments module

    Refund.objects.filter(pk=event.refund_id).update(provider=ports.payment_provider().name)
    outbox.dispatch_on_commit(refund_execute, event.refund_id)


def on_exchange_charge_due(event: events.ExchangeChargeDue) -> None:
    from rma.integrations.tasks import exchange_settle

    outbox.dispatch_on_commit(exchange_settle, event.exchange_id)


def register() -> None:
    bus.subscribe(events.RefundRequested, on_refund_requested)
    bus.subscribe(events.ExchangeChargeDue, on_exchange_charge_due)
