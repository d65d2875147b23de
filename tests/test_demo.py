"""`make run` loads the demo data: it must load on a fresh database, twice without harm, and show real pages."""

import re

import pytest
from django.core.management import call_command

from rma.cases.models import ReturnCase
from rma.messaging.models import CannedReply
from rma.orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_data_loads_twice_and_the_pages_show_it(client):
    call_command("load_demo", verbosity=0)
    counts = (Order.objects.count(), ReturnCase.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Order.objects.count(), ReturnCase.objects.count()) == counts
    assert counts[0] >= 16 and counts[1] >= 7
    assert CannedReply.objects.filter(active=True, texts__language="ar").distinct().count() >= 3
    statuses = set(ReturnCase.objects.values_list("status", flat=True))
    assert {"label_issued", "closed"} <= statuses and len(statuses) >= 5
    # Fault claims carry the customer's own description of the problem.
    assert all(item.problem for item in ReturnCase.objects.filter(kind="warranty").first().items.all())
    assert client.login(username="agent", password="agent-demo-2026")  # noqa: S106 (the documented demo login)
    queue = client.get("/agent/")
    assert queue.status_code == 200 and ReturnCase.objects.first().rma_number.encode() in queue.content
    assert client.get("/en/policies/eu/").status_code == 200


def test_demo_agents_are_available_and_every_open_case_is_assigned_and_workable(client):
    from rma.cases.models import OPEN_STATUSES, AgentProfile

    call_command("load_demo", verbosity=0)
    assert any("it" in p.languages for p in AgentProfile.objects.filter(available=True))
    open_cases = ReturnCase.objects.filter(status__in=OPEN_STATUSES)
    assert open_cases.exists() and not open_cases.filter(assignee__isnull=True).exists()
    assert client.login(username="agent", password="agent-demo-2026")  # noqa: S106 (the documented demo login)
    for case in open_cases:
        page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
        # A step forward besides escalating: the holder may work it (received cases: inspection forms).
        steps = set(re.findall(r'name="action" value="([a-z_]+)"', page)) - {"escalate", "message", "note", "canned"}
        assert steps, case.status
        if case.status == "received":
            assert 'value="inspect"' in page
