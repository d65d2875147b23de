"""What logistics does when the core publishes a case event: an approved case that ships back gets its label."""

from django.utils.translation import gettext_lazy as _

from returns_portal import events as bus
from returns_portal import outbox
from rma.cases import events
from rma.cases.models import CaseStatus
from rma.logistics.labels import label_job_retry, label_request
from rma.logistics.models import LabelJob


def on_approved(event: events.CaseApproved) -> None:
    if event.case.needs_shipment:
        label_request(event.case)


def register() -> None:
    # Data the documents cannot be made from is a recorded document problem, which the agents see and retry on
    # the case page; a job that failed for any other reason until out of tries is parked for a supervisor.
    waiting = {"case__status": CaseStatus.APPROVED, "case__shipment__isnull": True}
    outbox.kind_register(
        outbox.Kind(
            name="label", label=_("Shipping documents"), since="created_at",
            pending=lambda: LabelJob.objects.filter(**waiting, parked_at__isnull=True, case__document_problems=[]),
            parked=lambda: LabelJob.objects.filter(**waiting, parked_at__isnull=False),
            retry=lambda *, row_id, actor: label_job_retry(job_id=row_id, actor=actor),
        )
    )  # fmt: skip
    bus.subscribe(events.CaseApproved, on_approved)
