"""The acknowledgement of an EU withdrawal on a durable medium: an email to the order's address with a PDF
giving the statement's content and the date and time it was made (CRD Art. 11a)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from returns_portal import outbox
from returns_portal.formatting import format_datetime, zone_for
from returns_portal.pdf import pdf_base_url, pdf_url_fetcher
from rma.access.tokens import withdrawal_url
from rma.cases.models import ReturnCase, WithdrawalStatement
from rma.cases.services.errors import CaseConflict, CasePermissionDenied
from rma.cases.services.withdrawal import withdrawal_assess

logger = logging.getLogger(__name__)

ACK_SUBJECT = gettext_lazy("Acknowledgement of your withdrawal from order %(number)s")
# Well over the SMTP timeout (20 s in production), so a live send always finishes inside it.
SEND_LEASE = datetime.timedelta(minutes=2)


def _zone(statement: WithdrawalStatement):
    customer = statement.order.customer
    return zone_for(customer.country, customer.time_zone)


def _context(statement: WithdrawalStatement) -> dict:
    """What the email and the PDF both say, in the statement's language and the customer's time zone: when
    it was made, what it covers, what the law excludes and why, and whether the period had ended."""
    with translation.override(statement.language):
        lookup = reverse("portal:lookup")
    return {
        "statement": statement,
        "submitted": format_datetime(statement.submitted_at, "full"),
        "shop_name": settings.SHOP_NAME,
        "assessment": withdrawal_assess(statement=statement),
        "returns_page": f"{settings.SITE_URL}{lookup}",
    }


def withdrawal_ack_pdf(statement: WithdrawalStatement) -> bytes:
    with translation.override(statement.language), timezone.override(_zone(statement)):
        html = render_to_string("rma/withdrawal/ack_pdf.html", _context(statement))
    return HTML(string=html, base_url=pdf_base_url(), url_fetcher=pdf_url_fetcher()).write_pdf()


def withdrawal_case_attachments(case: ReturnCase) -> list:
    """The "filed" email of a return opened from a withdrawal carries the acknowledgement again, now with the
    return number (registered with rma.messaging.notifications)."""
    statement = WithdrawalStatement.objects.select_related("order__customer", "case").filter(case=case).first()
    if statement is None:
        return []
    return [(f"withdrawal-{statement.order.number}.pdf", withdrawal_ack_pdf(statement), "application/pdf")]


class AcknowledgementBusy(Exception):
    """Another run is sending this acknowledgement now: try again when its lease has run out."""

    def __init__(self, seconds: float):
        super().__init__(f"being sent; lease ends in {seconds:.0f} s")
        self.seconds = seconds


def _claim(statement_id: int) -> WithdrawalStatement | None:
    with transaction.atomic():
        statement = WithdrawalStatement.objects.select_for_update().get(pk=statement_id)
        now = timezone.now()
        if statement.acknowledged_at is not None or statement.acknowledgement_parked_at is not None:
            return None  # sent already, or parked for a supervisor
        if statement.acknowledgement_lease_until and statement.acknowledgement_lease_until > now:
            raise AcknowledgementBusy((statement.acknowledgement_lease_until - now).total_seconds())
        statement.acknowledgement_lease_until = now + SEND_LEASE
        statement.acknowledgement_attempts += 1
        statement.save(update_fields=["acknowledgement_lease_until", "acknowledgement_attempts"])
    return statement


def _failure_record(*, statement_id: int, error: str) -> bool:
    """Keep the error and free the row for the next try; park it when it is out of tries (True then)."""
    with transaction.atomic():
        statement = WithdrawalStatement.objects.select_for_update().get(pk=statement_id)
        if statement.acknowledged_at is not None:
            return False
        statement.acknowledgement_error = error[:2000]
        statement.acknowledgement_lease_until = None  # this run holds it: nobody else could take it meanwhile
        parked = statement.acknowledgement_attempts >= settings.OUTBOX_MAX_ATTEMPTS
        if parked:
            statement.acknowledgement_parked_at = timezone.now()
            logger.error("withdrawal acknowledgement %s parked after %s tries: %s", statement_id,
                         statement.acknowledgement_attempts, error)  # fmt: skip
        statement.save()
    return parked


@transaction.atomic
def withdrawal_acknowledgement_retry(*, statement_id: int, actor) -> WithdrawalStatement:
    """A supervisor queues a parked acknowledgement again (from the "Stuck work" page), with fresh tries."""
    from rma.messaging.tasks import withdrawal_acknowledgement_send  # the task module imports this one

    if not actor.has_perm("rma.supervise_case"):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    statement = WithdrawalStatement.objects.select_for_update().get(pk=statement_id)
    if statement.acknowledgement_parked_at is None or statement.acknowledged_at is not None:
        raise CaseConflict(_("This work is not waiting for a decision any more."))
    statement.acknowledgement_parked_at = None
    statement.acknowledgement_attempts = 0
    statement.save(update_fields=["acknowledgement_parked_at", "acknowledgement_attempts"])
    outbox.dispatch_on_commit(withdrawal_acknowledgement_send, statement.pk)
    return statement


def withdrawal_acknowledge(*, statement_id: int) -> WithdrawalStatement:
    """Send the acknowledgement to the order's email (never to an address typed in the form), once.

    The statement row is locked only to take it and to record that it was acknowledged; the PDF is made
    and the email sent in between, with no lock held.
    """
    statement = _claim(statement_id)
    if statement is None:
        return WithdrawalStatement.objects.get(pk=statement_id)
    try:
        _send(statement)
    except Exception as exc:
        if _failure_record(statement_id=statement_id, error=f"{type(exc).__name__}: {exc}"):
            return WithdrawalStatement.objects.get(pk=statement_id)  # parked: no more tries
        raise  # OSError: the task retries with backoff; anything else: the sweep tries again later
    WithdrawalStatement.objects.filter(pk=statement_id, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledgement_lease_until=None, acknowledgement_error=""
    )
    return WithdrawalStatement.objects.get(pk=statement_id)


def _send(statement: WithdrawalStatement) -> None:
    pdf = withdrawal_ack_pdf(statement)
    order = statement.order
    with translation.override(statement.language), timezone.override(_zone(statement)):
        subject = str(ACK_SUBJECT) % {"number": order.number}
        text = render_to_string(
            "rma/withdrawal/ack_email.txt",
            {
                **_context(statement),
                # Only this link, sent to the order's address on file, shows the items and opens the return.
                "items_link": withdrawal_url(statement),
                "link_days": settings.PORTAL_ACCESS["withdrawal_link_days"],
            },  # fmt: skip
        )
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [order.customer.email])
    message.attach(f"withdrawal-{order.number}.pdf", pdf, "application/pdf")
    message.send()
