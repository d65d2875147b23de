"""The notification outbox: rows written with the state change, sent by a task in the customer's language."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from returns_portal.formatting import format_money
from rma.cases.models import CaseEvent, DeductionReason, ReturnCase
from rma.integrations import adapters
from rma.logistics.documents import DocumentError
from rma.logistics.models import Shipment
from rma.messaging.models import Notification

SUBJECTS = {
    "filed": _("We have received your return request %(rma)s"),
    "approved": _("Your return %(rma)s is approved"),
    "rejected": _("Your return %(rma)s could not be accepted"),
    "needs_info": _("We need a little more information about your return %(rma)s"),
    "label_ready": _("Your return label for %(rma)s is ready"),
    "label_delayed": _("Your return label for %(rma)s is delayed"),
    "in_transit": _("Your parcel for return %(rma)s is on its way to us"),
    "ship_reminder": _("Reminder: your return %(rma)s is waiting to be sent"),
    "message": _("A message about your return %(rma)s"),
    "received": _("We have received your parcel for return %(rma)s"),
    "inspected": _("We have checked the items of your return %(rma)s"),
    "offer": _("An offer for your return %(rma)s"),
    "refunded": _("Your refund for return %(rma)s has been paid"),
    "credited": _("Your store credit for return %(rma)s is ready"),
    "exchanged": _("Your exchange for return %(rma)s is on its way"),
    "repaired": _("Your item from return %(rma)s has been repaired"),
    "replaced": _("Your replacement for return %(rma)s is on its way"),
    "deadline_changed": _("A date for your return %(rma)s has changed"),
    "closed": _("Your return %(rma)s is complete"),
}
BODIES = {
    "filed": _(
        "Thank you. We have received your request to return the items below. We will let you know as "
        "soon as it is approved."
    ),
    "approved": _("Your return is approved. We are preparing your return label and will send it to you shortly."),
    "rejected": _("We are sorry, we could not accept your return. Reason: %(reason)s"),
    "needs_info": _("To decide on your return we need your answer to this question: %(question)s"),
    "label_ready": _(
        "Your return label is ready. Print it, stick it on the parcel and hand the parcel to "
        "%(carrier)s. Tracking number: %(tracking)s."
    ),
    "label_delayed": _(
        "We cannot make your return label yet: %(problems)s Our team is correcting this and will send the "
        "label as soon as possible."
    ),
    "received": _("Your parcel has arrived at our returns centre. We will refund you shortly."),
    "inspected": _("We have checked the items you sent back.%(deductions)s The next step follows shortly."),
    "in_transit": _("The carrier has your parcel and it is on its way to our returns centre."),
    "ship_reminder": _(
        "Your return label is ready but the parcel has not been handed to %(carrier)s yet. Please send it "
        "soon: the label is valid for a limited time."
    ),
    "message": _("Our team wrote to you: “%(message)s” You can reply on your return's page."),
    "offer": _(
        "After checking the items we can offer you a refund of %(offer)s. Please accept or refuse the offer "
        "on your return's page."
    ),
    "refunded": _(
        "We have refunded %(amount)s to your original payment method. Depending on your bank, it "
        "can take a few days to appear."
    ),
    "credited": _("We have added %(amount)s of store credit to your account. Your store credit code is %(code)s."),
    "exchanged": _("Your exchange order %(number)s has been created and will be sent to you shortly."),
    "repaired": _("Your item has been repaired and will be sent back to you shortly."),
    "replaced": _("Your replacement order %(number)s has been created and will be sent to you shortly."),
    "deadline_changed": _(
        "Your parcel has not reached us yet. As the law allows, we will refund you as soon as it arrives, "
        "or when you send us proof that you have sent it."
    ),
    "closed": _(
        "Your return is complete. Thank you for shopping with us. Tell us how it went: you can rate our "
        "service on your return's page."
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


# Messages a customer needs to complete the return; the others stop when they unsubscribe.
ESSENTIAL_EVENTS = frozenset(
    {"approved", "rejected", "needs_info", "label_ready", "label_delayed", "offer", "refunded", "credited",
     "exchanged", "repaired", "replaced", "deadline_changed", "message", "ship_reminder"}
)  # fmt: skip
# Short enough for a text message, and worth one.
SMS_EVENTS = frozenset({"label_ready", "needs_info", "offer", "refunded", "credited", "deadline_changed", "message"})
DEDUCTION_SENTENCE = _("%(amount)s is deducted for %(item)s: %(reason)s.")


def channels_for(customer, event: str) -> list[str]:
    """The channels a customer gets this event on: email (unless unsubscribed from non-essential messages),
    and SMS when they have a phone number and have not turned text messages off."""
    if event not in ESSENTIAL_EVENTS and customer.unsubscribed_at is not None:
        return []
    channels = ["email"]
    if event in SMS_EVENTS and customer.phone and customer.notify_sms:
        channels.append("sms")
    return channels


def notification_queue(
    *, case: ReturnCase, event: str, occurrence: str = "", params: dict | None = None
) -> list[Notification]:
    """Write the outbox rows in the caller's transaction and send them after commit.

    One message per (case, event, channel, occurrence): ``occurrence`` tells repeatable events apart.
    """
    from rma.messaging.tasks import notification_send

    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    customer = case.customer
    queued = []
    for channel in channels_for(customer, event):
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    case=case,
                    event=event,
                    channel=channel,
                    idempotency_key=f"{case.pk}:{event}:{channel}:{occurrence}",
                    params=params or {},
                    language=case.language,
                    recipient=customer.email if channel == "email" else customer.phone,
                )
        except IntegrityError:
            continue  # already queued for this event: once is enough
        notification_send.delay_on_commit(notification.id)
        queued.append(notification)
    return queued


@dataclass(frozen=True)
class MessageData:
    """Everything a notification shows, as plain values: rendered the same for a real case and a preview."""

    event: str
    language: str
    customer_name: str
    items: tuple  # (name, quantity) pairs
    params: dict  # raw values: rma, reason, question, carrier, tracking, amount+currency, offer+currency, code, number
    case_url: str
    label_url: str = ""


def render_message(data: MessageData) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one message in its language; money formatted by Babel there."""
    raw = data.params
    with translation.override(data.language):
        params = {
            **{k: raw.get(k, "") for k in ("rma", "reason", "question", "carrier", "tracking", "code", "number")},
            "problems": " ".join(str(DocumentError.from_dict(p)) for p in raw.get("problems", [])),
            "message": raw.get("message", ""),
            "deductions": "".join(
                " "
                + str(DEDUCTION_SENTENCE)
                % {
                    "amount": format_money(d["amount"], d["currency"]),
                    "item": d["item"],
                    "reason": str(DeductionReason(d["reason"]).label),
                }
                for d in raw.get("deductions", [])
            ),  # fmt: skip
            "amount": format_money(raw["amount"], raw["currency"]) if raw.get("amount") else "",
            "offer": format_money(raw["offer"], raw["currency"]) if raw.get("offer") else "",
        }
        context = {
            "customer_name": data.customer_name,
            "subject": str(SUBJECTS[data.event]) % params,
            "body": str(BODIES[data.event]) % params,
            "case_url": data.case_url,
            "label_url": data.label_url,
            "shop_name": settings.SHOP_NAME,
            "items": data.items,
        }
        text = render_to_string("rma/emails/notification.txt", context)
        html = render_to_string("rma/emails/notification.html", context)
    return context["subject"], text, html


def message_data(notification: Notification) -> MessageData:
    case = notification.case
    shipment = Shipment.objects.filter(case=case).first()
    extra = notification.params or {}
    params = {
        "rma": case.rma_number,
        "reason": case.rejection_reason,
        "question": case.info_request,
        "carrier": shipment.carrier if shipment else "",
        "tracking": shipment.tracking_number if shipment else "",
        "amount": extra.get("amount", ""),
        "currency": extra.get("currency") or case.currency,
        "offer": str(case.offer_amount) if case.offer_amount is not None else "",
        "code": extra.get("code", ""),
        "number": extra.get("number", ""),
        "problems": extra.get("problems", []),
        "message": extra.get("message", ""),
        "deductions": extra.get("deductions", []),
    }
    items = tuple((i.order_line.name, i.quantity) for i in case.items.select_related("order_line"))
    return MessageData(
        event=notification.event,
        language=notification.language,
        customer_name=case.customer.name,
        items=items,
        params=params,
        case_url=case_url(case),
        label_url=case_url(case, "portal:case_label") if shipment else "",
    )


def preview_data(event: str, language: str) -> MessageData:
    """Sample data for the admin's preview of every message in every language."""
    return MessageData(
        event=event,
        language=language,
        customer_name="Maria Rossi",
        items=(("Wool jacket", 1), ("Running shoes", 2)),
        params={
            "rma": "R0123456789",
            "reason": "…",
            "question": "…",
            "carrier": "Returns Post",
            "tracking": "RP1234567890IT",
            "amount": "129.90",
            "offer": "99.00",
            "currency": "EUR",
            "code": "SC-ABCDEFGH2345",
            "problems": [
                {"code": "unknown_country", "field": "sender.country", "params": {"address": "sender", "country": "XX"}}
            ],
            "message": "…",
            "deductions": [{"amount": "5.00", "currency": "EUR", "item": "Wool jacket", "reason": "missing_parts"}],
            "number": "EX-R0123456789",
        },  # fmt: skip
        case_url=f"{settings.SITE_URL}/",
        label_url=f"{settings.SITE_URL}/",
    )


def _render(notification: Notification) -> tuple[str, str, str]:
    return render_message(message_data(notification))


def _send_email(notification: Notification) -> tuple[str, str]:
    subject, text, html = _render(notification)
    if notification.event not in ESSENTIAL_EVENTS:
        with translation.override(notification.language):
            text += "\n" + str(UNSUBSCRIBE_TEXT) % {
                "url": unsubscribe_url(notification.case.customer, notification.language)
            }
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [notification.recipient])
    message.attach_alternative(html, "text/html")
    message.send()
    return subject, text


def _send_sms(notification: Notification) -> tuple[str, str]:
    subject, _text, _html = _render(notification)
    with translation.override(notification.language):
        body = f"{subject} {case_url(notification.case)}"
    adapters.sms_gateway().send(to=notification.recipient, body=body, idempotency_key=notification.idempotency_key)
    return "", body


def notification_deliver(*, notification_id: int) -> Notification:
    """Send one queued notification. A notification already sent is never sent again."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("case__customer").get(pk=notification_id)
        if notification.status == Notification.Status.SENT:
            return notification
        notification.attempts += 1
        send = _send_sms if notification.channel == "sms" else _send_email
        try:
            subject, body = send(notification)
        except (OSError, adapters.ProviderError) as exc:
            error = exc
            notification.status = Notification.Status.FAILED
            notification.last_error = str(exc)[:2000]
            # The task retries with exponential backoff; this is when the next try is due, at the latest.
            notification.next_attempt_at = timezone.now() + datetime.timedelta(
                seconds=min(2**notification.attempts, 600)
            )
        else:
            error = None
            notification.status = Notification.Status.SENT
            notification.subject, notification.body = subject, body
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.next_attempt_at = None
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


UNSUBSCRIBE_SALT = "rma.unsubscribe"
UNSUBSCRIBE_TEXT = _("To stop messages you do not need for your returns: %(url)s")


def unsubscribe_token(customer) -> str:
    return signing.dumps({"c": customer.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> int | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)["c"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def unsubscribe_url(customer, language: str) -> str:
    with translation.override(language):
        path = reverse("portal:unsubscribe", kwargs={"token": unsubscribe_token(customer)})
    return f"{settings.SITE_URL}{path}"
