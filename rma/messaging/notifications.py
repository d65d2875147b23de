"""The notification outbox: rows written with the state change, sent by a task in the customer's language.

Which notification a case event sets off is declared in ``rma.messaging.subscribers``; what each one
says, in ``rma.messaging.notices``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from returns_portal import outbox
from returns_portal.formatting import format_money, zone_for
from rma.access.tokens import case_url, unsubscribe_url
from rma.cases import events, presenters
from rma.cases.models import DeductionReason, ReturnCase
from rma.integrations import ports
from rma.messaging.models import Notification
from rma.messaging.notices import EVENTS, NOTICES

DEDUCTION_SENTENCE = _("%(amount)s is deducted for %(item)s: %(reason)s.")
UNSUBSCRIBE_TEXT = _("To stop messages you do not need for your returns: %(url)s")
# While one worker sends a notification, another run of the same task leaves it alone for this long: well
# over the SMTP timeout (20 s in the production settings), so a live send always finishes inside it.
SEND_LEASE = datetime.timedelta(minutes=2)

# How a parameter that another package stored reads in a message (``problems``: the label problems of
# rma.logistics). The composition root (rma/apps.py) registers them, so messaging imports no satellite.
_describers: dict[str, Callable[[list], str]] = {}


def describer_register(param: str, describe: Callable[[list], str]) -> None:
    _describers[param] = describe


# The drop-off QR code of a case as a PNG (rma.logistics draws it; registered by the composition root).
_qr_drawers: list[Callable[[ReturnCase], bytes]] = []
QR_CID = "dropoff-qr@returns-portal"


def qr_drawer_register(draw: Callable[[ReturnCase], bytes]) -> None:
    _qr_drawers[:] = [draw]


class RelatedImagesEmail(EmailMultiAlternatives):
    """An email whose HTML shows images carried inside it (multipart/related, each with its Content-ID)."""

    def __init__(self, *args, images: tuple[tuple[str, bytes], ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.images = images  # (content id, PNG bytes)

    def message(self, **kwargs):
        msg = super().message(**kwargs)
        html = msg.get_body(preferencelist=("html",))
        for cid, png in self.images:
            html.add_related(png, "image", "png", cid=f"<{cid}>", disposition="inline", filename="qr-code.png")
        return msg


def describe(param: str, values: list) -> str:
    if not values:
        return ""
    return _describers.get(param, lambda items: " ".join(map(str, items)))(values)


def channels_for(customer, event: str) -> list[str]:
    """The channels a customer gets this event on: email (unless unsubscribed from non-essential messages),
    and SMS when they have a phone number and have not turned text messages off."""
    notice = NOTICES[event]
    if not notice.essential and customer.unsubscribed_at is not None:
        return []
    channels = ["email"]
    if notice.sms and customer.phone and customer.notify_sms:
        channels.append("sms")
    return channels


def notification_queue(
    *, case: ReturnCase, event: str, occurrence: str = "", params: dict | None = None
) -> list[Notification]:
    """Write the outbox rows in the caller's transaction and send them after commit.

    One message per (case, event, channel, occurrence): ``occurrence`` tells repeatable events apart.
    """
    from rma.messaging.tasks import notification_send  # the task module imports this one

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
        outbox.dispatch_on_commit(notification_send, notification.id)
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
    # The body the case's facts call for (rma.cases.presenters.email_body), else the notice's own.
    body: Promise | str | None = None
    # The return-by date, amounts and timing (rma.cases.presenters.email_facts), already in the case's language.
    facts: tuple = ()
    qr_png: bytes = b""  # the drop-off QR code, shown inline where showing it is the next step
    time_zone: str = ""  # IANA name; empty: the shop's


def render_message(data: MessageData) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one message in its language; money formatted by Babel there."""
    raw = data.params
    zone = zoneinfo_or_default(data.time_zone)
    with translation.override(data.language), timezone.override(zone):
        params = {
            **{k: raw.get(k, "") for k in ("rma", "reason", "question", "carrier", "tracking", "code", "number")},
            "problems": describe("problems", raw.get("problems", [])),
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
            "subject": str(NOTICES[data.event].subject) % params,
            "body": str(data.body or NOTICES[data.event].body) % params,
            "case_url": data.case_url,
            "label_url": data.label_url,
            "shop_name": settings.SHOP_NAME,
            "items": data.items,
            "facts": data.facts,
            "qr_cid": QR_CID if data.qr_png else "",
        }
        text = render_to_string("rma/emails/notification.txt", context)
        html = render_to_string("rma/emails/notification.html", context)
    return context["subject"], text, html


def _shipment(case: ReturnCase):
    try:
        return case.shipment  # the parcel's shipment, when logistics has made one
    except ObjectDoesNotExist:
        return None


def zoneinfo_or_default(name: str) -> datetime.tzinfo:
    return zone_for("", name) if name else timezone.get_default_timezone()


def _return_by(shipment, zone) -> datetime.date | None:
    """The last day the label or QR code works: the labels' sweep expires it LABEL_VALID_DAYS after it was made."""
    if shipment is None:
        return None
    ends = shipment.created_at + datetime.timedelta(days=settings.LABEL_VALID_DAYS)
    return timezone.localtime(ends, zone).date() - datetime.timedelta(days=1)


def message_data(notification: Notification) -> MessageData:
    case = notification.case
    shipment = _shipment(case)
    zone = zone_for(case.country, case.customer.time_zone)
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
    facts = presenters.case_facts(case, has_label=shipment is not None, return_by=_return_by(shipment, zone))
    with translation.override(notification.language), timezone.override(zone):
        lines = presenters.email_facts(notification.event, facts)
    draw_qr = presenters.email_qr(notification.event, facts) and _qr_drawers
    return MessageData(
        event=notification.event,
        language=notification.language,
        customer_name=case.customer.name,
        items=items,
        params=params,
        case_url=case_url(case),
        label_url=case_url(case, "portal:case_label") if presenters.email_label_link(facts) else "",
        body=presenters.email_body(notification.event, facts),
        facts=lines,
        qr_png=_qr_drawers[0](case) if draw_qr else b"",
        time_zone=str(zone),
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
        facts=("…",),
    )


def _send_email(notification: Notification) -> tuple[str, str]:
    data = message_data(notification)
    subject, text, html = render_message(data)
    if not NOTICES[notification.event].essential:
        with translation.override(notification.language):
            text += "\n" + str(UNSUBSCRIBE_TEXT) % {
                "url": unsubscribe_url(notification.case.customer, notification.language)
            }
    images = ((QR_CID, data.qr_png),) if data.qr_png else ()
    message = RelatedImagesEmail(subject, text, settings.DEFAULT_FROM_EMAIL, [notification.recipient], images=images)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in _attachments(notification):
        message.attach(filename, content, mimetype)
    message.send()
    return subject, text


# Files an email carries for an event (the withdrawal acknowledgement with its return number, from
# rma.messaging.withdrawal): event -> function(case) -> [(filename, bytes, mimetype)].
_attachers: dict[str, Callable[[ReturnCase], list]] = {}


def attacher_register(event: str, attach: Callable[[ReturnCase], list]) -> None:
    _attachers[event] = attach


def _attachments(notification: Notification) -> list:
    attach = _attachers.get(notification.event)
    return attach(notification.case) if attach else []


def _send_sms(notification: Notification) -> tuple[str, str]:
    data = message_data(notification)
    subject, _text, _html = render_message(data)
    with translation.override(notification.language):
        # The subject, the one fact that matters most (the return-by date or the amount), and the link.
        body = " ".join([subject, *data.facts[:1], case_url(notification.case)])
    ports.sms_gateway().send(to=notification.recipient, body=body, idempotency_key=notification.idempotency_key)
    return "", body


class NotificationBusy(Exception):
    """Another run is sending this notification now: try again when its lease has run out."""

    def __init__(self, seconds: float):
        super().__init__(f"being sent; lease ends in {seconds:.0f} s")
        self.seconds = seconds


def _claim(notification_id: int) -> Notification | None:
    """Take the notification for one send; None when it is sent already. Raises NotificationBusy while
    another run holds it (a run that died mid-send holds it until the lease ends, then it is free)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        now = timezone.now()
        if notification.status == Notification.Status.SENT:
            return None
        if notification.status == Notification.Status.SENDING and (notification.next_attempt_at or now) > now:
            raise NotificationBusy((notification.next_attempt_at - now).total_seconds())
        notification.status = Notification.Status.SENDING
        notification.attempts += 1
        notification.next_attempt_at = now + SEND_LEASE  # a run that died while sending is retried after this
        notification.save(update_fields=["status", "attempts", "next_attempt_at"])
    return notification


def notification_deliver(*, notification_id: int) -> Notification:
    """Send one queued notification. A notification already sent is never sent again.

    The row is locked only to take it and to record the result; the email or text goes out in between,
    with no lock held.
    """
    claimed = _claim(notification_id)
    if claimed is None:
        return Notification.objects.get(pk=notification_id)
    notification = Notification.objects.select_related("case__customer").get(pk=notification_id)
    send = _send_sms if notification.channel == "sms" else _send_email
    try:
        subject, body = send(notification)
    except (OSError, ports.ProviderError) as exc:
        with transaction.atomic():
            notification = Notification.objects.select_for_update().get(pk=notification_id)
            if notification.status == Notification.Status.SENT or notification.attempts != claimed.attempts:
                # This run's lease ran out and another run took the row (and perhaps sent it): its result stands.
                return notification
            notification.status = Notification.Status.FAILED
            notification.last_error = str(exc)[:2000]
            # The task retries with exponential backoff; this is when the next try is due, at the latest.
            notification.next_attempt_at = timezone.now() + datetime.timedelta(
                seconds=min(2**notification.attempts, 600)
            )
            notification.save()
        raise  # the task retries with backoff; the row keeps the attempt and the error
    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("case").get(pk=notification_id)
        if notification.status == Notification.Status.SENT:
            return notification
        notification.status = Notification.Status.SENT
        notification.subject, notification.body = subject, body
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.next_attempt_at = None
        notification.save()
        events.publish(
            events.NotificationSent(
                case=notification.case,
                event=notification.event,
                channel=notification.channel,
                recipient=notification.recipient,
            )
        )
    return notification
