"""What logistics does when the core publishes a case event: an approved case that ships back gets its label."""

from returns_portal import events as bus
from rma.cases import events
from rma.logistics.labels import label_request


def on_approved(event: events.CaseApproved) -> None:
    if event.case.needs_shipment:
        label_request(event.case)


def register() -> None:
    bus.subscribe(events.CaseApproved, on_approved)
