"""The signed tracking webhook: it moves cases, refuses what is unsigned or replayed, ignores duplicates."""

import json
import time

import pytest

from rma.cases import services
from rma.cases.models import ReturnCase
from rma.integrations import local as adapters
from rma.logistics import tracking
from rma.logistics.models import TrackingEvent
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "test-webhook-secret"


def send(client, payload, *, secret=SECRET, timestamp=None):
    body = json.dumps(payload).encode()
    timestamp = str(timestamp or int(time.time()))
    signature = tracking.webhook_signature(secret=secret, timestamp=timestamp, body=body)
    return client.post("/webhooks/tracking/", body, content_type="application/json",
                       headers={"X-Webhook-Timestamp": timestamp, "X-Webhook-Signature": signature})  # fmt: skip


@pytest.fixture
def case(eu_policy):
    line = OrderLineFactory()
    case = services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language="en")  # fmt: skip
    return ReturnCase.objects.get(pk=case.pk)


def test_scans_move_the_case_to_in_transit_then_received(client, case):
    tracking = case.shipment.tracking_number
    assert send(client, adapters.local_tracking_event(tracking_number=tracking, status="picked_up")).status_code == 200
    assert ReturnCase.objects.get(pk=case.pk).status == "in_transit"
    send(client, adapters.local_tracking_event(tracking_number=tracking, status="delivered", location="Milano"))
    case = ReturnCase.objects.get(pk=case.pk)
    assert case.status == "received" and case.received_at and case.items.get().status == "received"
    assert case.events.filter(kind="tracking").count() == 2


def test_duplicate_events_are_ignored(client, case):
    event = adapters.local_tracking_event(tracking_number=case.shipment.tracking_number, status="picked_up")
    assert send(client, event).json() == {"status": "recorded"}
    assert send(client, event).json() == {"status": "duplicate"}
    assert TrackingEvent.objects.count() == 1


def test_unsigned_wrongly_signed_and_replayed_webhooks_are_rejected(client, case):
    event = adapters.local_tracking_event(tracking_number=case.shipment.tracking_number, status="picked_up")
    unsigned = client.post("/webhooks/tracking/", json.dumps(event), content_type="application/json")
    assert unsigned.status_code == 403
    assert send(client, event, secret="wrong").status_code == 403
    assert send(client, event, timestamp=int(time.time()) - 3600).status_code == 403  # a replay of an old call
    assert client.get("/webhooks/tracking/").status_code == 405
    assert ReturnCase.objects.get(pk=case.pk).status == "label_issued" and not TrackingEvent.objects.exists()
    unknown = adapters.local_tracking_event(tracking_number="NOPE", status="picked_up")
    assert send(client, unknown).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        ["a", "list"],
        "just a string",
        {"event_id": "e1", "tracking_number": "T", "status": "picked_up"},  # no time
        {"event_id": "e1", "tracking_number": "T", "status": "picked_up", "occurred_at": "2026-13-45T25:00:00Z"},
        {"event_id": "e1", "tracking_number": "T", "status": "picked_up", "occurred_at": "yesterday"},
        {"event_id": "e" * 101, "tracking_number": "T", "status": "picked_up", "occurred_at": "2026-12-01T10:00:00Z"},
        {"event_id": "e1", "tracking_number": "T", "status": "s" * 33, "occurred_at": "2026-12-01T10:00:00Z"},
        {"event_id": "e1", "tracking_number": "", "status": "picked_up", "occurred_at": "2026-12-01T10:00:00Z"},
        {
            "event_id": "e1",
            "tracking_number": "T",
            "status": "picked_up",
            "occurred_at": "2026-12-01T10:00:00Z",
            "location": {"city": "Milano"},
        },
        {"event_id": "e1", "tracking_number": "T", "status": "picked_up", "occurred_at": "2026-12-01T10:00:00Z",
         "estimated_delivery": "soon"},
        {"event_id": "e1", "tracking_number": "T", "status": "picked_up", "occurred_at": "2026-12-01T10:00:00Z",
         "estimated_delivery": "2026-02-30"},
    ],
)  # fmt: skip
def test_signed_calls_with_bad_content_answer_400_and_change_nothing(client, case, body):
    response = send(client, body)
    assert response.status_code == 400 and response.json() == {"error": "malformed payload"}
    assert not TrackingEvent.objects.exists()


def test_an_unknown_status_is_recorded_and_moves_nothing(client, case):
    tracking_number = case.shipment.tracking_number
    event = adapters.local_tracking_event(tracking_number=tracking_number, status="ReturnToSender")
    assert send(client, event).status_code == 200
    assert ReturnCase.objects.get(pk=case.pk).status == "label_issued"
    assert TrackingEvent.objects.get().status == "ReturnToSender"


def test_the_carriers_estimated_delivery_is_kept_with_its_scan(client, case):
    event = adapters.local_tracking_event(tracking_number=case.shipment.tracking_number, status="picked_up")
    assert send(client, {**event, "estimated_delivery": "2026-12-24"}).status_code == 200
    assert str(TrackingEvent.objects.get().estimated_delivery) == "2026-12-24"
