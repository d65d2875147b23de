"""What logistics does when the core publishes a case event: an approved case that ships back gets its label."""

from django.utils.translation import gettext_lazy as _

from returns_portal import events as bus
from returns_portal import outbox
from rma.cases import events
from rma.cases.models import CaseStatus, ReturnCase
from rma.logistics.labels import label_request


def on_approved(event: events.CaseApproved) -> None:
    if event.case.needs_shipment:
        label_request(event.case)


def register() -> None:
    # A label's row is its approved case itself (one shipment per case); a label that cannot be made is a
    # recorded document problem, which the agents see and retry on the case page.
    outbox.kind_register(
        outbox.Kind(
            name="label", label=_("Shipping documents"), since="decided_at",
            pending=lambda: ReturnCase.objects.filter(
                status=CaseStatus.APPROVED, needs_shipment=True, shipment__isnull=True, document_problems=[]
            ),
        )
    )  # fmt: skip
    bus.subscribe(events.CaseApproved, on_approved)
