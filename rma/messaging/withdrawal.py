"""The acknowledgement of an EU withdrawal on a durable medium: an email to the order's address with a PDF
giving the statement's content and the date and time it was made (CRD Art. 11a)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from returns_portal.formatting import format_datetime
from returns_portal.pdf import pdf_base_url, pdf_url_fetcher
from rma.access.tokens import withdrawal_url
from rma.cases.models import WithdrawalStatement

ACK_SUBJECT = gettext_lazy("Acknowledgement of your withdrawal from order %(number)s")
# Well over the SMTP timeout (20 s in production), so a live send always finishes inside it.
SEND_LEASE = datetime.timedelta(minutes=2)


def withdrawal_ack_pdf(statement: WithdrawalStatement) -> bytes:
    with translation.override(statement.language):
        html = render_to_string(
            "rma/withdrawal/ack_pdf.html",
            {
                "statement": statement,
                "submitted": format_datetime(statement.submitted_at, "full"),
                "shop_name": settings.SHOP_NAME,
            },  # fmt: skip
        )
    return HTML(string=html, base_url=pdf_base_url(), url_fetcher=pdf_url_fetcher()).write_pdf()


class AcknowledgementBusy(Exception):
    """Another run is sending this acknowledgement now: try again when its lease has run out."""

    def __init__(self, seconds: float):
        super().__init__(f"being sent; lease ends in {seconds:.0f} s")
        self.seconds = seconds


def _claim(statement_id: int) -> WithdrawalStatement | None:
    with transaction.atomic():
        statement = WithdrawalStatement.objects.select_for_update().get(pk=statement_id)
        now = timezone.now()
        if statement.acknowledged_at is not None:
            return None
        if statement.acknowledgement_lease_until and statement.acknowledgement_lease_until > now:
            raise AcknowledgementBusy((statement.acknowledgement_lease_until - now).total_seconds())
        statement.acknowledgement_lease_until = now + SEND_LEASE
        statement.save(update_fields=["acknowledgement_lease_until"])
    return statement


def withdrawal_acknowledge(*, statement_id: int) -> WithdrawalStatement:
    """Send the acknowledgement to the order's email (never to an address typed in the form), once.

    The statement row is locked only to take it and to record that it was acknowledged; the PDF is made
    and the email sent in between, with no lock held.
    """
    statement = _claim(statement_id)
    if statement is None:
        return WithdrawalStatement.objects.get(pk=statement_id)
    pdf = withdrawal_ack_pdf(statement)
    order = statement.order
    with translation.override(statement.language):
        subject = str(ACK_SUBJECT) % {"number": order.number}
        text = render_to_string(
            "rma/withdrawal/ack_email.txt",
            {
                "statement": statement,
                "submitted": format_datetime(statement.submitted_at, "full"),
                "shop_name": settings.SHOP_NAME,
                # Only this link, sent to the order's address on file, shows the items and opens the return.
                "items_link": withdrawal_url(statement),
                "link_days": settings.PORTAL_ACCESS["withdrawal_link_days"],
            },  # fmt: skip
        )
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [order.customer.email])
    message.attach(f"withdrawal-{order.number}.pdf", pdf, "application/pdf")
    try:
        message.send()
    except OSError:
        # Free it at once for the retry (this run holds it: nobody else could take it meanwhile).
        WithdrawalStatement.objects.filter(pk=statement_id, acknowledged_at__isnull=True).update(
            acknowledgement_lease_until=None
        )
        raise
    WithdrawalStatement.objects.filter(pk=statement_id, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledgement_lease_until=None
    )
    return WithdrawalStatement.objects.get(pk=statement_id)
