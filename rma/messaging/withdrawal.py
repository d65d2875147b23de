"""The acknowledgement of an EU withdrawal on a durable medium: an email to the order's address with a PDF
giving the statement's content and the date and time it was made (CRD Art. 11a)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from returns_portal.formatting import format_datetime
from rma.cases.models import WithdrawalStatement

ACK_SUBJECT = gettext_lazy("Acknowledgement of your withdrawal from order %(number)s")


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
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def withdrawal_acknowledge(statement: WithdrawalStatement) -> None:
    """Send the acknowledgement to the order's email (never to an address typed in the form)."""
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
            },  # fmt: skip
        )
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [order.customer.email])
    message.attach(f"withdrawal-{order.number}.pdf", pdf, "application/pdf")
    message.send()
    statement.acknowledged_at = timezone.now()
    statement.save(update_fields=["acknowledged_at"])
