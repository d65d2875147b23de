"""Carrier tracking: signed webhooks move cases to in_transit and received; each event counts once. Also what
the customer sees of it: the scans as a timeline, the carrier's page and the estimated delivery."""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from rma.cases import events
from rma.cases import services as case_services
from rma.cases.events import carrier_scan_label
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
        estimate = payload.get("estimated_delivery")
        if estimate not in (None, "") and (not isinstance(estimate, str) or parse_date(estimate) is None):
            raise ValueError("estimated_delivery")
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
                    estimated_delivery=parse_date(payload.get("estimated_delivery") or ""),
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


@dataclass(frozen=True)
class Scan:
    label: str  # what the scan means, in the active language
    location: str
    occurred_at: datetime.datetime


@dataclass(frozen=True)
class ParcelTracking:
    """The parcel's journey as the customer's case page shows it."""

    carrier: str
    tracking_number: str
    url: str  # the carrier's tracking page, or "" for a carrier without one in settings.CARRIER_TRACKING
    scans: tuple[Scan, ...]  # newest first
    delivered_at: datetime.datetime | None  # at the warehouse: the carrier's delivery scan, or the bench's scan
    estimated_delivery: datetime.date | None  # None once delivered, or before the carrier has the parcel
    estimate_from_carrier: bool  # the carrier's own date, not our transit-time estimate


def carrier_tracking_url(*, carrier: str, tracking_number: str) -> str:
    template = settings.CARRIER_TRACKING.get(carrier, {}).get("url", "")
    return template.replace("{tracking_number}", quote(tracking_number, safe="")) if template else ""


def parcel_tracking(*, case: ReturnCase, today: datetime.date | None = None) -> ParcelTracking | None:
    """The case's parcel as a timeline of carrier scans, with an estimated delivery to the return centre.

    The estimate is the carrier's when its latest scan carrying one gives it; otherwise, once the carrier has
    the parcel, its first scan plus the carrier's usual transit days (``settings.CARRIER_TRACKING``), never
    earlier than today. None when the case has no shipment. One query for the scans.
    """
    shipment = getattr(case, "shipment", None)
    if shipment is None:
        return None
    events = list(shipment.tracking_events.order_by("occurred_at", "id"))
    delivered = next((e.occurred_at for e in events if e.status == "delivered"), None) or case.received_at
    estimate, from_carrier = None, False
    if delivered is None:
        promised = [e.estimated_delivery for e in events if e.estimated_delivery]
        if promised:
            estimate, from_carrier = promised[-1], True
        elif events:
            days = settings.CARRIER_TRACKING.get(shipment.carrier, {}).get(
                "transit_days", settings.CARRIER_TRANSIT_DAYS_DEFAULT
            )
            handed_over = timezone.localdate(events[0].occurred_at)
            estimate = max(handed_over + datetime.timedelta(days=days), today or timezone.localdate())
    return ParcelTracking(
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        url=carrier_tracking_url(carrier=shipment.carrier, tracking_number=shipment.tracking_number),
        scans=tuple(
            Scan(label=carrier_scan_label(e.status), location=e.location, occurred_at=e.occurred_at)
            for e in reversed(events)
        ),
        delivered_at=delivered,
        estimated_delivery=estimate,
        estimate_from_carrier=from_carrier,
    )
