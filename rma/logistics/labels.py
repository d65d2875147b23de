"""Making the shipping documents of an approved case: check the data, book the carrier, render, store.

The case's row is locked only to read what the documents need and, at the end, to store the shipment
and move the case; the carrier booking, the PDF rendering and the file writes run between the two, with
no lock held. Each step is safe to repeat: the carrier books with a key derived from the RMA number,
and the database holds one shipment per case (a run that finds one already stored drops its own files).
"""

import dataclasses
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policies import selectors as policy_selectors
from returns_portal import outbox
from returns_portal.outbox import backoff
from rma.cases import events
from rma.cases import services as case_services
from rma.cases.events import Staff
from rma.cases.models import CaseStatus, Resolution, ReturnCase
from rma.cases.services.workflow import not_allowed
from rma.integrations import ports
from rma.logistics import documents
from rma.logistics.models import LabelJob, Shipment

logger = logging.getLogger(__name__)

# Which document goes into which field of the shipment, and the stem of its file name.
FILES = {
    documents.DocumentKind.LABEL: ("label_pdf", "label"),
    documents.DocumentKind.PACKING_SLIP: ("packing_slip_pdf", "packing-slip"),
    documents.DocumentKind.CUSTOMS_DECLARATION: ("customs_pdf", "cn23"),
    documents.DocumentKind.COMMERCIAL_INVOICE: ("invoice_pdf", "invoice"),
}


@dataclasses.dataclass(frozen=True)
class _Plan:
    """What the documents are made from, read under the lock and used after it."""

    center: object
    purpose: str
    data: documents.ShipmentDocumentData


def _plan(case: ReturnCase) -> _Plan:
    center = policy_selectors.return_center_for_country(country=case.country)
    repair = case.items.filter(resolution__in=[Resolution.REPAIR, Resolution.REPLACEMENT]).exists()
    purpose = documents.ReturnPurpose.REPAIR if repair else documents.ReturnPurpose.REFUND
    data = documents.shipment_data_from_case(case=case, return_center=center, purpose=purpose)
    return _Plan(center=center, purpose=purpose, data=data)


class _AlreadyDone(Exception):
    """Another run stored the shipment while this one rendered."""


def _needs_label(case: ReturnCase) -> bool:
    return (
        case.status == CaseStatus.APPROVED and case.needs_shipment and not Shipment.objects.filter(case=case).exists()
    )


def label_issue(*, case_id: int) -> ReturnCase:
    """Make the shipping documents and move the case to label_issued. Safe to run twice: one label results.

    Data the documents cannot be made from (an address the label fonts cannot print, a missing HS code
    for customs...) is recorded on the case for the agent, and the customer is told the label is delayed
    and why; nothing is booked with the carrier, and the task does not retry until an agent asks again.
    Any other failure is counted on the case's ``LabelJob``; after OUTBOX_MAX_ATTEMPTS tries it is parked
    for a supervisor and no longer retried.
    """
    with transaction.atomic():
        case = ReturnCase.objects.select_for_update().get(pk=case_id)
        if not _needs_label(case):
            return case
        job, _created = LabelJob.objects.select_for_update().get_or_create(case=case)
        if job.parked_at:
            return case  # a supervisor decides first
        job.attempts += 1
        job.save(update_fields=["attempts"])
    try:
        return _label_make(case)
    except Exception as exc:
        if _label_failure_record(case_id=case_id, error=f"{type(exc).__name__}: {exc}"):
            logger.exception("label for %s parked after %s tries", case.rma_number, job.attempts)
            return ReturnCase.objects.get(pk=case_id)
        raise  # OSError: the task retries with backoff; anything else: the sweep tries again after the backoff


def _label_failure_record(*, case_id: int, error: str) -> bool:
    """Keep the error and the time of the next try; park the job when it is out of tries (True then)."""
    with transaction.atomic():
        job = LabelJob.objects.select_for_update().select_related("case").get(case_id=case_id)
        job.last_error = error[:2000]
        parked = job.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        if parked:
            job.parked_at, job.next_attempt_at = timezone.now(), None
            events.publish(events.WorkParked(case=job.case, work="label", attempts=job.attempts, error=error[:500]))
        else:
            job.next_attempt_at = timezone.now() + backoff(job.attempts)
        job.save()
    return parked


def _label_make(case: ReturnCase) -> ReturnCase:
    case_id = case.pk
    with transaction.atomic():
        case = ReturnCase.objects.select_for_update().get(pk=case_id)
        if not _needs_label(case):
            return case
        plan = _plan(case)
        problems = documents.shipment_problems(plan.data)
    if problems:
        case_services.case_label_problems_record(case=case, problems=[p.as_dict() for p in problems])
        return case

    # No lock from here on: the carrier, the renderer and the storage may take their time.
    booking = ports.carrier().book_return(
        rma_number=case.rma_number, from_country=plan.data.sender.country, to_country=plan.data.recipient.country
    )
    data = documents.shipment_data_from_case(
        case=case, return_center=plan.center, purpose=plan.purpose,
        tracking_number=booking.tracking_number, carrier_name=booking.carrier,
    )  # fmt: skip
    stored = {}
    unsaved = Shipment(case=case)  # for the fields' file names only
    for kind in documents.documents_required(data):
        field_name, stem = FILES[kind]
        field = Shipment._meta.get_field(field_name)
        name = field.generate_filename(unsaved, f"{stem}-{case.rma_number}.pdf")
        stored[field_name] = field.storage.save(name, ContentFile(documents.RENDERERS[kind](data)), field.max_length)
    field = Shipment._meta.get_field("label_4x6_pdf")
    name = field.generate_filename(unsaved, f"label-4x6-{case.rma_number}.pdf")
    thermal = documents.render_label(data, fmt=documents.PageFormat.THERMAL_4X6)
    stored["label_4x6_pdf"] = field.storage.save(name, ContentFile(thermal), field.max_length)

    try:
        with transaction.atomic():
            case = ReturnCase.objects.select_for_update().get(pk=case_id)
            if not _needs_label(case):
                raise _AlreadyDone
            Shipment.objects.create(
                case=case, carrier=booking.carrier, tracking_number=booking.tracking_number,
                return_center=plan.center.name if plan.center else documents.RETURN_CENTER["name"], **stored,
            )  # fmt: skip
            case_services.case_label_issued(
                case=case, tracking_number=booking.tracking_number, carrier=booking.carrier,
                cross_border=data.is_cross_border,
            )  # fmt: skip
    except (_AlreadyDone, IntegrityError) as exc:
        # Another run stored its shipment first, or the case moved on meanwhile: drop this run's files.
        for field_name, name in stored.items():
            Shipment._meta.get_field(field_name).storage.delete(name)
        if isinstance(exc, IntegrityError) and not Shipment.objects.filter(case_id=case_id).exists():
            raise  # not a second run: a tracking number the carrier gave twice, say; let it fail loudly
        logger.warning(
            "label for %s not stored (%s); carrier booking %s %s unused",
            case.rma_number, "already labelled" if isinstance(exc, IntegrityError) else "case moved on",
            booking.carrier, booking.tracking_number,
        )  # fmt: skip
        return ReturnCase.objects.get(pk=case_id)
    return case


def label_request(case: ReturnCase) -> None:
    """Write the case's label job (fresh tries) in the current transaction, and make the documents after the
    commit (a Celery task; in-process without a broker)."""
    from rma.logistics.tasks import label_render  # the task module imports this one

    LabelJob.objects.update_or_create(
        case=case, defaults={"attempts": 0, "last_error": "", "next_attempt_at": None, "parked_at": None}
    )
    outbox.dispatch_on_commit(label_render, case.id)


@transaction.atomic
def label_job_retry(*, job_id: int, actor: Staff) -> LabelJob:
    """A supervisor queues a parked label job again (from the "Stuck work" page)."""
    if not actor.has_perm("rma.supervise_case"):
        raise case_services.CasePermissionDenied(_("You are not allowed to do this."))
    job = LabelJob.objects.select_for_update().select_related("case").get(pk=job_id)
    if job.parked_at is None or not _needs_label(job.case):
        raise case_services.CaseConflict(_("This work is not waiting for a decision any more."))
    events.publish(events.WorkRetried(case=job.case, actor=actor, role="agent", work="label"))
    label_request(job.case)
    return job


@transaction.atomic
def label_retry(*, case: ReturnCase, actor: Staff) -> ReturnCase:
    """After the data was corrected, ask for the documents again."""
    if not actor.has_perm("rma.process_case"):
        raise case_services.CasePermissionDenied(_("You are not allowed to do this."))
    if case.status != CaseStatus.APPROVED or not case.needs_shipment:
        raise not_allowed(case)
    label_request(case)
    return case
