"""Observability: a request id and the case number on every log line, Prometheus metrics, optional Sentry.

- ``RequestIdMiddleware`` takes the proxy's ``X-Request-ID`` (or makes one), answers with it, and keeps it
  with the case number of the URL, if any, for the log lines of that request; Celery tasks log their task id.
- ``LogContextFilter`` puts both on every record, so the JSON formatter of production logs writes them.
- ``OutboxCollector`` reports the outbox backlog per kind (rows pending, the oldest one's age, rows parked) and,
  for money kinds (refunds, exchange charges), the amounts waiting or parked per currency, read from the
  database when Prometheus scrapes ``/metrics``.
- Task failures and retries are counted from Celery's signals (``returns_portal_task_failures_total``).
- ``sentry_init`` turns on Sentry when ``SENTRY_DSN`` is set.
See docs/reliability.md ("Observability").
"""

import contextvars
import hmac
import logging
import os
import re
import uuid

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import CollectorRegistry, Counter, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import REGISTRY, Collector

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
case_var: contextvars.ContextVar[str] = contextvars.ContextVar("case", default="")
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

TASK_FAILURES = Counter(
    "returns_portal_task_failures", "Celery task runs that failed or asked to be retried", ["task", "outcome"]
)


class RequestIdMiddleware:
    """The request's id (from the proxy, or new) and the case number of its URL, for every log line it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _GOOD_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = (request_id_var.set(request_id), case_var.set(""))
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(tokens[0])
            case_var.reset(tokens[1])
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "rma_number" in view_kwargs:
            case_var.set(str(view_kwargs["rma_number"])[:32])


class LogContextFilter(logging.Filter):
    """Adds ``request_id`` and ``case`` to every record (empty outside a request or a task)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        record.case = case_var.get()
        return True


_task_tokens: dict[str, tuple] = {}


def task_started(task_id=None, **kwargs):
    """Celery's task_prerun: the task's log lines carry its id where a request's carry the request id."""
    _task_tokens[task_id] = (request_id_var.set(f"task-{task_id}"), case_var.set(""))


def task_finished(task_id=None, **kwargs):
    """Celery's task_postrun: back to the request's context (a task run in-process runs inside a request)."""
    tokens = _task_tokens.pop(task_id, None)
    if tokens:
        request_id_var.reset(tokens[0])
        case_var.reset(tokens[1])


def task_failed(sender=None, **kwargs):
    TASK_FAILURES.labels(task=getattr(sender, "name", "?"), outcome="failure").inc()


def task_retried(sender=None, **kwargs):
    TASK_FAILURES.labels(task=getattr(sender, "name", "?"), outcome="retry").inc()


class OutboxCollector(Collector):
    """Read at scrape time: what the outbox still has to do, how old its oldest row is, and what is parked."""

    def describe(self):
        return []  # no database work when registered; collected only on scrape

    def collect(self):
        from returns_portal import outbox

        pending = GaugeMetricFamily("returns_portal_outbox_pending", "Outbox rows still to be done", labels=["kind"])
        oldest = GaugeMetricFamily(
            "returns_portal_outbox_oldest_pending_seconds", "Age of the oldest outbox row still to be done",
            labels=["kind"],
        )  # fmt: skip
        parked = GaugeMetricFamily(
            "returns_portal_outbox_parked", "Outbox rows that stopped retrying (a supervisor decides)", labels=["kind"]
        )
        for row in outbox.backlog():
            pending.add_metric([row["kind"]], row["pending"])
            oldest.add_metric([row["kind"]], row["oldest_seconds"])
            parked.add_metric([row["kind"]], row["parked"])
        money = GaugeMetricFamily(
            "returns_portal_outbox_amount", "Money waiting to be paid (pending) or parked, per kind and currency",
            labels=["kind", "state", "currency"],
        )  # fmt: skip
        for kind in outbox.KINDS.values():
            if kind.amount:
                for row in outbox.amounts(kind=kind):
                    money.add_metric([kind.name, row["state"], row["currency"]], float(row["total"]))
        yield from (pending, oldest, parked, money)


_collector = OutboxCollector()


def outbox_collector_register() -> None:
    """Add the outbox's figures to this process's registry, once (called from the app's ready())."""
    if _collector not in REGISTRY._collector_to_names:
        REGISTRY.register(_collector)


def metrics_registry() -> CollectorRegistry:
    """The registry ``/metrics`` serves: every process's figures when PROMETHEUS_MULTIPROC_DIR is set
    (several gunicorn or Celery processes), this process's otherwise; the outbox's figures either way."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_collector)
        return registry
    return REGISTRY


def metrics(request):
    """``/metrics`` for Prometheus: with METRICS_TOKEN set, only with ``Authorization: Bearer <token>``;
    without one, only from this machine and not through a proxy (a request a proxy forwarded carries
    X-Forwarded-For, and a proxy on this machine would otherwise make every visitor look local)."""
    token = settings.METRICS_TOKEN
    if token:
        allowed = hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}")
    else:
        direct = "HTTP_X_FORWARDED_FOR" not in request.META and "HTTP_FORWARDED" not in request.META
        allowed = direct and request.META.get("REMOTE_ADDR") in ("127.0.0.1", "::1")
    if not allowed:
        return HttpResponse(status=403)
    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)


def sentry_init() -> None:
    """Report errors (web and worker) to Sentry when SENTRY_DSN is set; nothing is sent otherwise."""
    dsn = os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )  # no personal data is collected by default (data_collection): customers' details stay here
