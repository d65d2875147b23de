"""Fault tests: Redis stopped, Redis killed with work queued, a worker killed mid-payment, the cache server
killed, a flaky payment provider. Each runs on its own ``redis-server`` (a spare port, nothing on disk), so
the shared Redis is never stopped, with real workers and PostgreSQL, and counts what arrived."""

import datetime
import os
import re
import socket
import subprocess
import time
import urllib.request

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from rma.cases import services
from rma.cases.models import Refund, ReturnCase
from rma.integrations import sweeps as payment_sweeps
from rma.integrations.models import LocalPayment
from rma.logistics import sweeps as label_sweeps
from rma.logistics.models import Shipment
from rma.messaging import sweeps as notification_sweeps
from rma.messaging.models import Notification
from tests.integration.conftest import Workers, _needs_real_services, _use_broker, wait_for
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.integration
LATER = datetime.timedelta(minutes=10)  # past OUTBOX_REDISPATCH_AFTER_SECONDS: what beat's sweeps see then


class OwnRedis:
    """A redis-server of the test's own on a spare port, which the test stops, kills and starts again."""

    def __init__(self, tmp_path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.dir = tmp_path
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout != b"PONG\n":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self):
        """SIGKILL: what was queued in it is gone, as after a crash with nothing on disk."""
        self.process.kill()
        self.process.wait(timeout=10)

    def queued(self) -> int:
        out = subprocess.run(
            ["redis-cli", "-p", str(self.port), "eval",
             "local n = 0 for _, q in ipairs(KEYS) do n = n + redis.call('llen', q) end return n", "4",
             "default", "documents", "notifications", "sweeps"],
            capture_output=True, text=True,
        )  # fmt: skip
        return int(out.stdout.strip() or 0)


@pytest.fixture
def own_redis(tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs the real services of .ci/run (REDIS_URL, PostgreSQL)")
    redis = OwnRedis(tmp_path)
    redis.start()
    yield redis
    if redis.process.poll() is None:
        redis.kill()


@pytest.fixture
def faults(transactional_db, settings, tmp_path, own_redis):
    """Real workers and this test process, both on the test's own Redis."""
    _needs_real_services()
    media = tmp_path / "media"
    media.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT = media
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _use_broker(own_redis.url, eager=False)
    pool = Workers(tmp_path, media, own_redis.url)
    try:
        yield pool
    finally:
        pool.stop_all()
        _use_broker(settings.CELERY_BROKER_URL, eager=True)


def _file(customer_language="en"):
    line = OrderLineFactory(order__customer__language=customer_language)
    return services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language=customer_language
    )


def _sweep(now):
    """What Celery beat's redispatch sweeps do at ``now`` (their tasks only call these)."""
    notification_sweeps.notifications_redispatch(now=now)
    label_sweeps.labels_redispatch(now=now)
    payment_sweeps.payments_redispatch(now=now)


def _labels_and_emails_arrived(cases) -> bool:
    ids = [c.pk for c in cases]
    return (
        Shipment.objects.filter(case_id__in=ids).count() == len(ids)
        and Notification.objects.filter(case_id__in=ids, event="label_ready", status="sent").count() == len(ids)
        and Notification.objects.filter(case_id__in=ids, event="filed", status="sent").count() == len(ids)
    )


def _assert_exactly_once(cases):
    for case in cases:
        assert Shipment.objects.filter(case=case).count() == 1
        assert ReturnCase.objects.get(pk=case.pk).status == "label_issued"
        assert ReturnCase.objects.get(pk=case.pk).events.filter(kind="label").count() == 1
        for event in ("filed", "label_ready"):
            assert Notification.objects.filter(case=case, event=event).count() == 1
            assert Notification.objects.get(case=case, event=event).status == "sent"


def test_broker_down_while_ten_customers_file_then_every_label_and_email_arrives(faults, own_redis, eu_policy):
    own_redis.kill()
    started = time.monotonic()
    cases = [_file() for _ in range(10)]  # each customer's filing succeeds: no exception, the case is saved
    assert time.monotonic() - started < 60  # about a second per side effect at most, never a hang
    assert ReturnCase.objects.filter(pk__in=[c.pk for c in cases], status="approved").count() == 10
    assert not Shipment.objects.exists()
    assert not Notification.objects.filter(status="sent").exists()

    own_redis.start()  # the broker is back, empty: nobody re-clicks anything
    faults.start()
    _sweep(timezone.now() + LATER)
    wait_for(lambda: _labels_and_emails_arrived(cases), timeout=120, what="10 labels and 20 emails")
    _sweep(timezone.now() + 2 * LATER)  # a later sweep finds nothing left to do
    time.sleep(2)
    _assert_exactly_once(cases)


def test_redis_killed_with_labels_emails_and_a_refund_queued_all_complete_after_restart(faults, own_redis, eu_policy):
    agent = UserFactory(username="agent-faults", role="Agents")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        _use_broker(own_redis.url, eager=True)
        refunded = _file()  # made in-process: labelled, received, inspected
        services.case_mark_received(case=ReturnCase.objects.get(pk=refunded.pk), actor=agent)
        for item in ReturnCase.objects.get(pk=refunded.pk).items.all():
            services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")
    _use_broker(own_redis.url, eager=False)
    cases = [_file() for _ in range(5)]  # no worker yet: their labels and emails wait in Redis
    services.case_refund(case=ReturnCase.objects.get(pk=refunded.pk), actor=agent)
    assert own_redis.queued() >= 5 + 5 + 1
    own_redis.kill()  # everything queued is gone
    own_redis.start()
    assert own_redis.queued() == 0

    faults.start()
    _sweep(timezone.now() + LATER)
    wait_for(lambda: _labels_and_emails_arrived(cases), timeout=120, what="5 labels and 10 emails")
    wait_for(lambda: Refund.objects.get(case=refunded).status == "paid", what="the refund")
    wait_for(
        lambda: Notification.objects.filter(case=refunded, event="refunded", status="sent").exists(),
        what="the refund email",
    )
    _sweep(timezone.now() + 2 * LATER)
    time.sleep(2)
    _assert_exactly_once(cases)
    assert LocalPayment.objects.filter(kind="refund").count() == 1
    assert Notification.objects.filter(case=refunded, event="refunded").count() == 1


def test_a_worker_killed_in_the_middle_of_a_payment_leaves_one_payment_and_one_email(
    faults, own_redis, eu_policy, tmp_path
):
    agent = UserFactory(username="agent-kill", role="Agents")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        _use_broker(own_redis.url, eager=True)
        case = _file()
        services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
        for item in ReturnCase.objects.get(pk=case.pk).items.all():
            services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")
    _use_broker(own_redis.url, eager=False)
    slow = {
        "PAYMENT_PROVIDER": "tests.flaky_provider.FlakyPaymentProvider",
        "FLAKY_PROVIDER_STATE": str(tmp_path / "calls"),
        "FLAKY_PROVIDER_FAILURES": "0",
        "FLAKY_PROVIDER_DELAY": "4",  # the provider takes 4 s: the worker dies while it is being called
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    first = faults.start(extra_env=slow, concurrency=1)
    services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    wait_for(lambda: (tmp_path / "calls").exists(), what="the provider to be called", interval=0.05)
    faults.kill(first)
    assert not re.search(r"refund_execute\[[^\]]+\] succeeded", first.log_path.read_text())
    faults.start(extra_env={**slow, "FLAKY_PROVIDER_DELAY": "0"}, concurrency=1)
    wait_for(lambda: Refund.objects.get(case=case).status == "paid", what="the refund", timeout=90)
    wait_for(lambda: Notification.objects.filter(case=case, event="refunded", status="sent").exists(), what="the email")
    _sweep(timezone.now() + LATER)
    time.sleep(5)  # a redelivery, if any, would have happened by now
    assert LocalPayment.objects.filter(kind="refund").count() == 1
    assert Notification.objects.filter(case=case, event="refunded").count() == 1
    assert ReturnCase.objects.get(pk=case.pk).events.filter(kind="refund").count() == 1


def test_a_provider_failing_three_times_then_succeeding_pays_exactly_once(faults, own_redis, eu_policy, tmp_path):
    agent = UserFactory(username="agent-flaky", role="Agents")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        _use_broker(own_redis.url, eager=True)
        case = _file()
        services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
        for item in ReturnCase.objects.get(pk=case.pk).items.all():
            services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")
    _use_broker(own_redis.url, eager=False)
    state = tmp_path / "calls"
    (tmp_path / "metrics").mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        metrics_port = probe.getsockname()[1]
    faults.start(
        extra_env={
            "PAYMENT_PROVIDER": "tests.flaky_provider.FlakyPaymentProvider",
            "FLAKY_PROVIDER_STATE": str(state),
            "FLAKY_PROVIDER_FAILURES": "3",
            "WORKER_METRICS_PORT": str(metrics_port),
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        }
    )
    services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    wait_for(lambda: Refund.objects.get(case=case).status == "paid", what="the refund", timeout=90)
    refund = Refund.objects.get(case=case)
    assert state.read_text() == "xxxx"  # three 503s, then the payment
    assert refund.attempts == 4 and refund.last_error == ""
    assert LocalPayment.objects.filter(kind="refund").count() == 1
    wait_for(lambda: Notification.objects.filter(case=case, event="refunded", status="sent").count() == 1)
    # The worker counted the three failed tries for Prometheus (every pool process, through the multiprocess dir).
    scraped = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/", timeout=5).read().decode()  # noqa: S310
    retries = [line for line in scraped.splitlines() if line.startswith("returns_portal_task_failures_total{")
               and 'task="rma.tasks.refund_execute"' in line and 'outcome="retry"' in line]  # fmt: skip
    assert retries and float(retries[0].rsplit(" ", 1)[1]) == 3.0, scraped


def test_the_cache_server_killed_leaves_every_face_answering(client, own_redis, eu_policy, agent):
    line = OrderLineFactory(order__number="IT-7002", order__customer__email="bea@example.com")
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
    )
    admin = UserFactory(username="root-faults", is_superuser=True, is_staff=True)
    cache = {"default": {"BACKEND": "returns_portal.cache.ResilientRedisCache", "LOCATION": own_redis.url}}
    pages = ["/it/", "/agent/", f"/agent/cases/{case.rma_number}/", "/admin/", "/admin/rma/returncase/"]
    with override_settings(CACHES=cache):
        caches["default"].clear()
        client.force_login(agent)
        assert [client.get(p).status_code for p in pages[:3]] == [200, 200, 200]  # the cache is warm
        own_redis.kill()
        assert [client.get(p).status_code for p in pages[:3]] == [200, 200, 200]
        client.force_login(admin)
        assert [client.get(p).status_code for p in pages[3:]] == [200, 200]
        own_redis.start()  # back: used again
        assert client.get("/agent/").status_code == 200
