"""What the integrations do when the core publishes a money event: queue the payment after the commit."""

from django.utils.translation import gettext_lazy as _

from returns_portal import events as bus
from returns_portal import outbox
from rma.cases import events
from rma.cases import services as case_services
from rma.cases.models import ExchangeOrder, Refund
from rma.integrations import ports


def on_refund_requested(event: events.RefundRequested) -> None:
    from rma.integrations.tasks import refund_execute  # the task module imports the payments module

    Refund.objects.filter(pk=event.refund_id).update(provider=ports.payment_provider().name)
    outbox.dispatch_on_commit(refund_execute, event.refund_id)


def on_exchange_charge_due(event: events.ExchangeChargeDue) -> None:
    from rma.integrations.tasks import exchange_settle

    outbox.dispatch_on_commit(exchange_settle, event.exchange_id)


def on_exchange_hold_due(event: events.ExchangeHoldDue) -> None:
    from rma.integrations.tasks import exchange_hold

    outbox.dispatch_on_commit(exchange_hold, event.exchange_id)


def on_exchange_hold_release_due(event: events.ExchangeHoldReleaseDue) -> None:
    from rma.integrations.tasks import exchange_hold_void

    outbox.dispatch_on_commit(exchange_hold_void, event.exchange_id)


def register() -> None:
    outbox.kind_register(
        outbox.Kind(
            name="refund", label=_("Refunds"), since="created_at", amount="amount",
            pending=lambda: Refund.objects.filter(status=Refund.Status.PENDING),
            parked=lambda: Refund.objects.filter(status=Refund.Status.FAILED),
            retry=lambda *, row_id, actor: case_services.refund_retry(refund_id=row_id, actor=actor),
        )
    )  # fmt: skip
    unpaid = {"price_difference__gt": 0, "payment_reference": ""}
    outbox.kind_register(
        outbox.Kind(
            name="exchange_charge", label=_("Exchange price differences"), since="created_at",
            amount="price_difference",
            pending=lambda: ExchangeOrder.objects.filter(**unpaid, parked_at__isnull=True),
            parked=lambda: ExchangeOrder.objects.filter(**unpaid, parked_at__isnull=False),
            retry=lambda *, row_id, actor: case_services.exchange_retry(exchange_id=row_id, actor=actor),
        )
    )  # fmt: skip
    bus.subscribe(events.RefundRequested, on_refund_requested)
    bus.subscribe(events.ExchangeChargeDue, on_exchange_charge_due)
    bus.subscribe(events.ExchangeHoldDue, on_exchange_hold_due)
    bus.subscribe(events.ExchangeHoldReleaseDue, on_exchange_hold_release_due)
