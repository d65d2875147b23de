"""The notification outbox: rows written with the state change, sent by a task in the customer's language."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from returns_portal.formatting import format_money

from .models import CaseEvent, Notification, ReturnCase

SUBJECTS = {
    "filed": _("We have received your return request %(rma)s"),
    "approved": _("Your return %(rma)s is approved"),
    "rejected": _("Your return %(rma)s could not be accepted"),
    "label_ready": _("Your return label for %(rma)s is ready"),
    "received": _("We have received your parcel for return %(rma)s"),
    "refunded": _("Your refund for return %(rma)s has been paid"),
}
BODIES = {
    "filed": _(
        "Thank you. We have received your request to return the items below. We will let you know as "
        "soon as it is approved."
    ),
    "approved": _("Your return is approved. We are preparing your return label and will send it to you shortly."),
    "rejected": _("We are sorry, we could not accept your return. Reason: %(reason)s"),
    "label_ready": _(
        "Your return label is ready. Print it, stick it on the parcel and hand the parcel to "
        "%(carrier)s. Tracking number: %(tracking)s."
    ),
    "received": _("Your parcel has arrived at our returns centre. We will refund you shortly."),
    "refunded": _(
        "We have refunded %(amount)s to your original payment method. Depending on your bank, it "
        "can take a few days to appear."
    ),
}
EVENTS = set(SUBJECTS)
CASE_LINK_SALT = "rma.case-link"


def case_link_token(case: ReturnCase) -> str:
    """A signed token that opens one case page for its customer (used in emails)."""
    return signing.dumps({"rma": case.rma_number, "c": case.customer_id}, salt=CASE_LINK_SALT)


def case_link_read(token: str, *, max_age_days: int = 180) -> dict | None:
    try:
        return signing.loads(token, salt=CASE_LINK_SALT, max_age=max_age_days * 86400)
    except signing.BadSignature:
        return None


def case_url(case: ReturnCase, view: str = "portal:case_detail") -> str:
    """An absolute, signed link for the customer to one case page (or its label) in their language."""
    with translation.override(case.language):
        path = reverse(view, kwargs={"rma_number": case.rma_number})
    return f"{settings.SITE_URL}{path}?t={case_link_token(case)}"


def notification_queue(*, case: ReturnCase, event: str, channel: str = "email") -> Notification | None:
    """Write the outbox row in the caller's transaction and send it after commit; once per event."""
    from .tasks import notification_send

    assert event in EVENTS, event
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                case=case, event=event, channel=channel, language=case.language, recipient=case.customer.email
            )
    except IntegrityError:
        return None
    notification_send.delay_on_commit(notification.id)
    return notification


def _render(notification: Notification) -> tuple[str, str, str]:
    case = notification.case
    shipment = getattr(case, "shipment", None)
    refund = case.refunds.first()
    with translation.override(notification.language):
        params = {
            "rma": case.rma_number,
            "reason": case.rejection_reason,
            "carrier": shipment.carrier if shipment else "",
            "tracking": shipment.tracking_number if shipment else "",
            "amount": format_money(refund.amount, refund.currency) if refund else "",
        }
        context = {
            "case": case,
            "customer": case.customer,
            "subject": str(SUBJECTS[notification.event]) % params,
            "body": str(BODIES[notification.event]) % params,
            "case_url": case_url(case),
            "label_url": case_url(case, "portal:case_label") if shipment else "",
            "shop_name": settings.SHOP_NAME,
            "items": list(case.items.select_related("order_line__order")),
        }
        text = render_to_string("rma/emails/notification.txt", context)
        html = render_to_string("rma/emails/notification.html", context)
    return context["subject"], text, html


def notification_deliver(*, notification_id: int) -> Notification:
    """Send one queued notification. A notification already sent is never sent again."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("case__customer").get(pk=notification_id)
        if notification.status == Notification.Status.SENT:
            return notification
        notification.attempts += 1
        subject, text, html = _render(notification)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [notification.recipient])
        message.attach_alternative(html, "text/html")
        try:
            message.send()
        except OSError as exc:
            error = exc
            notification.status = Notification.Status.FAILED
            notification.last_error = str(exc)[:2000]
        else:
            error = None
            notification.status = Notification.Status.SENT
            notification.subject, notification.body = subject, text
            notification.sent_at = timezone.now()
            notification.last_error = ""
            CaseEvent.objects.create(
                case=notification.case,
                kind=CaseEvent.Kind.NOTIFICATION,
                actor_role="system",
                data={
                    "event": notification.event,
                    "channel": notification.channel,
                    "recipient": notification.recipient,
                },
            )
        notification.save()
    if error is not None:
        raise error  # the task retries with backoff; the row keeps the attempt and the error
    return notification
