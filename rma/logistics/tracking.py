"""Carrier tracking: signed webhooks move cases to in_transit and received; each event counts once."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from rma.cases import events
from rma.cases import services as case_services
from rma.cases.models import ReturnCase
from rma.cases.services.errors import CaseError
from rma.logistics.models import Shipment, TrackingEvent

MAX_SKEW = datetime.timedelta(minutes=5)
# The longest value each required field may have (the columns of TrackingEvent and Shipment).
FIELD_LENGTHS = {"event_id": 100, "tracking_number": 64, "status": 32, "occurred_at": 40}
# Carrier statuses that move the case, and the transition each one runs.
STATUS_TRANSITIONS = {"picked_up": "mark_in_transit", "in_transit": "mark_in_transit", "delivered": "mark_received"}


class WebhookRejected(CaseError):
    """Unsigned, wrongly signed, too old (a replay) or malformed."""


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def webhook_verify(*, body: bytes, timestamp: str | None, signature: str | None, now=None) -> dict:
    """The parsed payload, if the HMAC over timestamp and body is right and the timestamp is fresh."""
    secret = settings.CARRIER_WEBHOOK_SECRET
    if not secret or not timestamp or not signature:
        raise WebhookRejected("missing signature")
    expected = webhook_signature(secret=secret, timestamp=timestamp, body=body)
    if not hmac.compare_digest(expected, signature):
        raise WebhookRejected("bad signature")
    try:
        sent = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    except (ValueError, OverflowError):
        raise WebhookRejected("bad timestamp") from None
    if abs((now or timezone.now()) - sent) > MAX_SKEW:
        raise WebhookRejected("stale timestamp (replay?)")
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError("not an object")
        for key, longest in FIELD_LENGTHS.items():
            value = payload.get(key)
            if not isinstance(value, str) or not value.strip() or len(value) > longest:
                raise ValueError(key)
        if parse_datetime(payload["occurred_at"]) is None:  # raises ValueError on an impossible date too
            raise ValueError("occurred_at")
        if not isinstance(payload.get("location", ""), str):
            raise ValueError("location")
    except ValueError:
        raise WebhookRejected("malformed payload") from None
    return payload


def tracking_event_record(*, payload: dict) -> TrackingEvent | None:
    """Store one carrier event and move the case; a duplicate event changes nothing."""
    occurred = parse_datetime(payload["occurred_at"])
    if timezone.is_naive(occurred):
        occurred = timezone.make_aware(occurred, datetime.UTC)
    with transaction.atomic():
        shipment = Shipment.objects.select_related("case").filter(tracking_number=payload["tracking_number"]).first()
        if shipment is None:
            raise WebhookRejected("unknown tracking number")
        try:
            with transaction.atomic():
                event = TrackingEvent.objects.create(
                    shipment=shipment, event_id=payload["event_id"], status=payload["status"], occurred_at=occurred,
                    location=str(payload.get("location", ""))[:200],
                )  # fmt: skip
        except IntegrityError:
            return None  # seen before
        case = ReturnCase.objects.select_for_update().get(pk=shipment.case_id)
        events.publish(events.ParcelScanned(case=case, status=event.status, location=event.location))
        name = STATUS_TRANSITIONS.get(event.status)
        allowed = {t.name for t in case.get_available_status_transitions()}
        if name == "mark_received" and name in allowed:
            case_services.case_mark_received(case=case, actor=None)
        elif name == "mark_in_transit" and name in allowed:
            case_services.case_mark_in_transit(case=case, actor=None)
        # A delivery scan of a parcel already received by hand at the warehouse changes nothing.
    return event
