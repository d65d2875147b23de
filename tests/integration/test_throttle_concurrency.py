"""The portal's throttles under concurrent requests on PostgreSQL: no overshoot of any limit."""

import threading

import pytest
from django.db import connection, connections

from rma.access import services as access
from rma.access import throttles
from rma.access.models import LookupCode
from tests.rma.factories import OrderLineFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

THREADS = 12


def run_together(work) -> list:
    """Run ``work`` in THREADS threads started at once, each on its own connection; the outcomes in a list."""
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race to show")
    barrier = threading.Barrier(THREADS)
    outcomes = []

    def one():
        try:
            barrier.wait()
            outcomes.append(work())
        except throttles.Throttled:
            outcomes.append("throttled")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_attempts_never_pass_the_limit(settings):
    settings.PORTAL_THROTTLES = {"withdrawal": {"client": [100, 3600], "order": [5, 3600]}}
    outcomes = run_together(
        lambda: throttles.throttle_take(action="withdrawal", subjects={"client": "203.0.113.5", "order": "it-1001"})
    )
    assert len(outcomes) == THREADS
    assert outcomes.count("throttled") == THREADS - 5


def test_concurrent_code_requests_send_no_more_codes_than_the_limit(eu_policy, settings):
    order = OrderLineFactory().order
    outcomes = run_together(
        lambda: access.lookup_start(number=order.number, email=order.customer.email, client=None, language="en")
    )
    limit = settings.PORTAL_THROTTLES["code_request"]["order"][0]
    assert outcomes.count("throttled") == THREADS - limit
    assert LookupCode.objects.filter(order=order).count() == limit
