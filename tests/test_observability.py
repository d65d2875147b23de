"""Observability: metrics for Prometheus, the request id and the case number on JSON log lines, readiness."""

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from pythonjsonlogger.json import JsonFormatter

from returns_portal.observability import LogContextFilter, RequestIdMiddleware
from rma.cases import services
from rma.cases.models import Refund, ReturnCase
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _gauge(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{") and all(part in line for part in wanted.split(",")):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name}{{{wanted}}} not in the metrics")


def test_metrics_report_the_outbox_backlog_refunds_pending_and_request_latency(
    client, eu_policy, agent, settings, monkeypatch, tmp_path
):
    line = OrderLineFactory()
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )
    case = ReturnCase.objects.get(pk=case.pk)
    services.case_mark_received(case=case, actor=agent)
    for item in case.items.all():
        services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")
    settings.PAYMENT_PROVIDER = "tests.flaky_provider.FlakyPaymentProvider"
    monkeypatch.setenv("FLAKY_PROVIDER_STATE", str(tmp_path / "calls"))
    services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent)  # the provider answers 503
    assert Refund.objects.get(case=case).status == "pending"

    assert client.get("/healthz").status_code == 200  # a request timed by the middleware
    text = client.get("/metrics").content.decode()
    assert _gauge(text, "returns_portal_outbox_pending", kind="refund") == 1
    assert _gauge(text, "returns_portal_outbox_oldest_pending_seconds", kind="refund") >= 0
    assert _gauge(text, "returns_portal_outbox_parked", kind="refund") == 0
    assert _gauge(text, "returns_portal_outbox_pending", kind="label") == 0
    refund = Refund.objects.get(case=case)
    assert _gauge(text, "returns_portal_outbox_amount", kind="refund", state="pending", currency="EUR") == float(
        refund.amount
    )
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text


def test_metrics_are_for_the_scraper_only(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    # A proxy on this machine forwards a visitor: loopback, but not a local scraper.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 403  # with a token set, loopback alone is not enough
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


def test_every_log_line_of_a_request_carries_its_request_id_and_case_number_as_json():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(LogContextFilter())
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(case)s %(message)s"))
    log = logging.getLogger("tests.observability")
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    def view(request, rma_number):
        log.info("label downloaded")
        return HttpResponse("ok")

    middleware = RequestIdMiddleware(lambda request: middleware.process_view(request, view, (), {"rma_number": "R7"})
                                     or view(request, rma_number="R7"))  # fmt: skip
    try:
        given = middleware(RequestFactory().get("/x", HTTP_X_REQUEST_ID="abc-123"))
        made = middleware(RequestFactory().get("/x", HTTP_X_REQUEST_ID="bad id with spaces\n"))
        log.info("outside any request")
    finally:
        log.removeHandler(handler)
    first, second, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert given["X-Request-ID"] == "abc-123" and first["request_id"] == "abc-123" and first["case"] == "R7"
    assert len(made["X-Request-ID"]) == 32 and second["request_id"] == made["X-Request-ID"]
    assert outside["request_id"] == "" and outside["case"] == ""
    assert first["message"] == "label downloaded"


def test_a_task_run_in_process_leaves_the_request_id_of_its_request_alone(eu_policy):
    from returns_portal.observability import request_id_var

    token = request_id_var.set("req-1")
    try:
        line = OrderLineFactory()
        services.case_open(
            customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
        )
        assert request_id_var.get() == "req-1"  # the label and email tasks ran here, under their own ids
    finally:
        request_id_var.reset(token)


def test_readyz_names_the_broker_when_it_is_down(client, settings):
    from returns_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        body = client.get("/readyz")
    finally:
        app.conf.broker_url = original
    assert body.json()["database"] == "ok"
    assert body.json()["broker"].startswith("error"), body.json()


def test_sentry_is_off_without_a_dsn_and_on_with_one(monkeypatch):
    import sentry_sdk

    from returns_portal.observability import sentry_init

    monkeypatch.delenv("SENTRY_DSN", raising=False)
    sentry_init()
    assert not sentry_sdk.get_client().is_active()
    monkeypatch.setenv("SENTRY_DSN", "https://public@sentry.example.invalid/1")
    try:
        sentry_init()
        client = sentry_sdk.get_client()
        assert client.is_active() and client.options["environment"] == "production"
    finally:
        sentry_sdk.get_client().close(timeout=0)
        sentry_sdk.get_global_scope().set_client(None)  # back to no client for the rest of the suite
    assert not sentry_sdk.get_client().is_active()
