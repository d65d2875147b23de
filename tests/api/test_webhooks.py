"""Outbound webhooks: Standard Webhooks signatures a receiver verifies, retries with the same id, redelivery,
disabling an endpoint that keeps failing, and managing subscriptions through the API."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from rma.cases import services as case_services
from rma.cases.services import ItemRequest
from rma.webhooks import services
from rma.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the work queued for after the commit, as outside the test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _file(order_line, committed):
    with committed():
        return case_services.case_open(
            customer=order_line.order.customer, language="it",
            items=[ItemRequest(order_line=order_line, quantity=1, reason="change_of_mind")],
        )  # fmt: skip


def test_a_case_event_reaches_the_receiver_signed(receiver, order_line, committed):
    endpoint = services.endpoint_create(url=receiver.url, event_types=["return.created", "return.cancelled"])
    case = _file(order_line, committed)
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    payload = Webhook(endpoint.secret).verify(body, headers)  # raises if the signature is wrong
    assert payload["type"] == "return.created"
    assert payload["data"]["case"]["id"] == case.rma_number
    assert headers["webhook-id"] == Delivery.objects.get().message_id
    with pytest.raises(Exception):  # noqa: B017 - any verification error
        Webhook(services.secret_new()).verify(body, headers)
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED
    case.refresh_from_db()
    with committed():
        case_services.case_cancel(case=case, customer_id=case.customer_id)
    assert [json.loads(b)["type"] for _h, b in receiver.requests] == ["return.created", "return.cancelled"]


def test_endpoint_filters_by_event_type(receiver, order_line, committed):
    services.endpoint_create(url=receiver.url, event_types=["return.closed"])
    _file(order_line, committed)
    assert receiver.requests == [] and not Delivery.objects.exists()


def test_a_failed_try_is_retried_with_the_same_id_then_parked_and_redelivered(
    receiver, order_line, settings, committed
):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "max_attempts": 2}
    receiver.statuses = [500, 503, 200]
    services.endpoint_create(url=receiver.url, event_types=["return.created"])
    _file(order_line, committed)
    row = Delivery.objects.get(event_type="return.created")
    assert row.status == Delivery.Status.FAILED and row.attempts == 1 and row.last_status_code == 500
    assert row.next_attempt_at > timezone.now()
    assert services.deliveries_redispatch() == 0  # not due yet
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.deliveries_redispatch() == 1
    row.refresh_from_db()
    assert row.status == Delivery.Status.PARKED and row.attempts == 2
    with committed():
        services.delivery_redeliver(delivery=row)
    row.refresh_from_db()
    assert row.status == Delivery.Status.DELIVERED
    ids = {h["webhook-id"] for h, _b in receiver.requests}
    assert ids == {row.message_id} and len(receiver.requests) == 3


def test_an_unreachable_receiver_is_a_failed_try_not_an_error(order_line, committed):
    services.endpoint_create(url="http://127.0.0.1:9/nothing-listens-here")
    case = _file(order_line, committed)  # filing succeeds whatever the receiver does
    row = Delivery.objects.get(event_type="return.created")
    assert case.pk and row.status == Delivery.Status.FAILED and row.last_error


def test_an_endpoint_failing_for_the_period_is_disabled_and_admins_told_once(receiver, order_line, settings, committed):
    settings.ADMINS = ["ops@example.com"]
    receiver.statuses = [500]
    endpoint = services.endpoint_create(url=receiver.url)
    Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - datetime.timedelta(hours=73))
    _file(order_line, committed)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at
    assert services.disabled_endpoints_notify() == 1
    assert services.disabled_endpoints_notify() == 0
    to_admins = [m for m in mail.outbox if m.to == ["ops@example.com"]]
    assert len(to_admins) == 1 and receiver.url in to_admins[0].subject
    with pytest.raises(services.EndpointInvalid):
        services.delivery_redeliver(delivery=Delivery.objects.first())
    services.endpoint_update(endpoint=endpoint, is_active=True)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failing_since is None


def test_subscriptions_through_the_api(call, make_token, receiver, committed):
    token = make_token("webhooks")
    created = call("post", "/webhooks", token, json={"url": receiver.url, "event_types": ["return.closed"]})
    assert created.status_code == 201, created.content
    secret, endpoint_id = created.json()["secret"], created.json()["id"]
    assert secret.startswith("whsec_")
    assert "secret" not in call("get", f"/webhooks/{endpoint_id}", token).json()
    bad = call("post", "/webhooks", token, json={"url": "ftp://x", "event_types": ["nope"]})
    assert bad.status_code == 422 and {e["path"] for e in bad.json()["errors"]} == {"body.url", "body.event_types"}
    with committed():
        ping = call("post", f"/webhooks/{endpoint_id}/ping", token)
    assert ping.status_code == 202
    Webhook(secret).verify(receiver.requests[0][1], receiver.requests[0][0])
    deliveries = call("get", f"/webhooks/{endpoint_id}/deliveries", token).json()["items"]
    assert [d["status"] for d in deliveries] == ["delivered"]
    with committed():
        again = call("post", f"/webhooks/{endpoint_id}/deliveries/{deliveries[0]['message_id']}/redeliver", token)
    assert again.status_code == 202 and len(receiver.requests) == 2
    patched = call("patch", f"/webhooks/{endpoint_id}", token, json={"is_active": False})
    assert patched.json()["is_active"] is False
    assert call("delete", f"/webhooks/{endpoint_id}", token).status_code == 204
    assert call("get", "/webhooks", token).json() == []
    assert call("get", "/webhooks", make_token("cases:read")).status_code == 403


def test_https_is_required_outside_development(settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "allow_http": False}
    with pytest.raises(services.EndpointInvalid) as error:
        services.endpoint_create(url="http://shop.example/hook")
    assert "url" in error.value.errors
