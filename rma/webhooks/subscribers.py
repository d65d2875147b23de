"""Which case events become outbound webhook events; the delivery rows are written in the event's transaction."""

from django.utils.translation import gettext_lazy as _

from returns_portal import events as bus
from returns_portal import outbox
from rma.cases import events
from rma.webhooks import services
from rma.webhooks.models import Delivery, EventType
from rma.webhooks.payloads import case_representation

WEBHOOK_EVENTS: dict[type, str] = {
    events.CaseFiled: EventType.CASE_CREATED,
    events.CaseApproved: EventType.CASE_APPROVED,
    events.LabelIssued: EventType.LABEL_ISSUED,
    events.ParcelInTransit: EventType.IN_TRANSIT,
    events.ParcelReceived: EventType.RECEIVED,
    events.InspectionCompleted: EventType.INSPECTED,
    events.RefundPaid: EventType.REFUNDED,
    events.CaseClosed: EventType.CLOSED,
    events.CaseCancelled: EventType.CANCELLED,
}


def _case_event(event) -> None:
    def data() -> dict:
        body = {"case": case_representation(event.case)}
        if isinstance(event, events.RefundPaid):
            body["refund"] = {"amount": event.amount, "currency": event.currency, "reference": event.reference}
        return body

    services.deliveries_create(event_type=WEBHOOK_EVENTS[type(event)], data=data, case=event.case)


def _work_parked(event: events.WorkParked) -> None:
    if event.work != "refund":
        return
    services.deliveries_create(
        event_type=EventType.REFUND_FAILED,
        data=lambda: {
            "case": case_representation(event.case),
            "refund": {
                "amount": event.amount,
                "currency": event.currency,
                "attempts": event.attempts,
                "error": event.error,
            },
        },  # fmt: skip
        case=event.case,
    )


def register() -> None:
    for event_type in WEBHOOK_EVENTS:
        bus.subscribe(event_type, _case_event)
    bus.subscribe(events.WorkParked, _work_parked)
    outbox.kind_register(
        outbox.Kind(
            name="webhook", label=_("Outbound webhooks"), since="created_at",
            pending=lambda: Delivery.objects.filter(
                status__in=(Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.FAILED)
            ),
        )
    )  # fmt: skip
