"""The agent queue: saved views and counts, filters, search, SLA order, keyset pages, HTMX partial, query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from rma import selectors
from rma.models import ReturnCase, ReturnItem, Shipment
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db


def make_case(
    *,
    due_in_hours=24,
    status="requested",
    language="en",
    country="IT",
    kind="return",
    price="20.00",
    reason="too_small",
    assignee=None,
    decided=False,
    refund_due_in_hours=None,
    order_number=None,
):
    """A case written straight to the database (the queue reads; filing is tested elsewhere)."""
    now = timezone.now()
    line = OrderLineFactory(unit_price=Decimal(price), **({"order__number": order_number} if order_number else {}))
    case = ReturnCase.objects.create(
        customer=line.order.customer,
        status=status,
        kind=kind,
        language=language,
        country=country,
        assignee=assignee,
        decision_due_at=now + datetime.timedelta(hours=due_in_hours),
        decided_at=now if decided else None,
        refund_due_at=now + datetime.timedelta(hours=refund_due_in_hours) if refund_due_in_hours is not None else None,
    )
    ReturnItem.objects.create(case=case, order_line=line, quantity=1, reason=reason, eligible=True)
    return case


def numbers(response) -> list[str]:
    return re.findall(r'href="/agent/cases/(R[0-9A-Z]+)/"', response.content.decode())


def test_default_view_lists_open_cases_by_running_sla_clock(client, agent):
    late = make_case(due_in_hours=-2)
    soon = make_case(due_in_hours=3)
    later = make_case(due_in_hours=30)
    waiting_refund = make_case(due_in_hours=-100, decided=True, refund_due_in_hours=5, status="received")
    no_clock = make_case(due_in_hours=-200, decided=True, status="in_transit")
    closed = make_case(due_in_hours=-300, status="closed")
    client.force_login(agent)
    listed = numbers(client.get("/agent/"))
    assert listed == [n.rma_number for n in (late, soon, waiting_refund, later, no_clock)]
    assert closed.rma_number not in listed


def test_keyset_pages_cover_every_case_once_without_offset(client, agent, django_assert_num_queries):
    cases = [make_case(due_in_hours=h) for h in range(30)] + [
        make_case(due_in_hours=-500, decided=True, status="approved") for _ in range(3)
    ]
    client.force_login(agent)
    first = client.get("/agent/?per_page=25")
    page1 = numbers(first)
    next_url = re.search(r'href="(\?[^"]*after=[^"]+)"', first.content.decode()).group(1).replace("&amp;", "&")
    page2 = numbers(client.get("/agent/" + next_url))
    assert len(page1) == 25 and len(page2) == 8
    assert page1 + page2 == [c.rma_number for c in cases]
    assert 'rel="next"' not in client.get("/agent/" + next_url).content.decode()


def test_queries_per_page_do_not_grow_with_the_page_size(client, agent, django_assert_num_queries):
    for h in range(30):
        case = make_case(due_in_hours=h)
        if h % 2:
            Shipment.objects.create(case=case, carrier="Demo", tracking_number=f"TRK{h:04d}")
    client.force_login(agent)
    client.get("/agent/")  # warm up the session and content types
    with django_assert_num_queries(7) as small:
        assert len(numbers(client.get("/agent/?per_page=25"))) == 25
    with django_assert_num_queries(7) as large:
        assert len(numbers(client.get("/agent/?per_page=100"))) == 30
    assert len(small.captured_queries) == len(large.captured_queries)


def test_saved_views_with_counts(client, agent, supervisor):
    mine = make_case(assignee=agent)
    theirs = make_case(assignee=supervisor, due_in_hours=100)
    breaching = make_case(due_in_hours=-1)
    escalated = make_case(status="escalated", due_in_hours=200)
    client.force_login(agent)
    page = client.get("/agent/")
    counts = dict(re.findall(r'view=(\w+)"[^>]*>[^<]*<span class="count">(\d+)</span>', page.content.decode()))
    assert counts == {"open": "4", "mine": "1", "unassigned": "2", "breaching_today": "1", "escalated": "1"}
    assert numbers(client.get("/agent/?view=mine")) == [mine.rma_number]
    assert numbers(client.get("/agent/?view=unassigned")) == [breaching.rma_number, escalated.rma_number]
    assert numbers(client.get("/agent/?view=breaching_today")) == [breaching.rma_number]
    assert numbers(client.get("/agent/?view=escalated")) == [escalated.rma_number]
    assert theirs.rma_number in numbers(client.get(f"/agent/?assignee={supervisor.pk}"))


def test_filters(client, agent):
    it = make_case(country="IT", language="it", price="120.00")
    cn = make_case(country="CN", language="zh-hans", kind="warranty", reason="defective", price="15.00")
    late = make_case(country="DE", due_in_hours=-3)
    needs_info = make_case(status="needs_info", country="FR", due_in_hours=60)
    client.force_login(agent)
    assert numbers(client.get("/agent/?country=cn")) == [cn.rma_number]
    assert numbers(client.get("/agent/?language=it")) == [it.rma_number]
    assert numbers(client.get("/agent/?kind=warranty")) == [cn.rma_number]
    assert numbers(client.get("/agent/?reason=defective")) == [cn.rma_number]
    assert numbers(client.get("/agent/?status=needs_info")) == [needs_info.rma_number]
    assert numbers(client.get("/agent/?sla=breached")) == [late.rma_number]
    assert late.rma_number not in numbers(client.get("/agent/?sla=ok"))
    assert numbers(client.get("/agent/?value_min=100")) == [it.rma_number]
    assert numbers(client.get("/agent/?value_max=16")) == [cn.rma_number]
    assert numbers(client.get("/agent/?assignee=none&country=FR")) == [needs_info.rma_number]
    # A value that is not valid is ignored rather than refused: the rest of the query still applies.
    assert numbers(client.get("/agent/?value_min=lots&country=IT")) == [it.rma_number]


def test_search_by_rma_order_email_or_tracking_number_also_finds_closed_cases(client, agent):
    case = make_case(order_number="SHOP-7781")
    closed = make_case(status="closed")
    Shipment.objects.create(case=case, carrier="Demo", tracking_number="TRK123456")
    make_case()
    client.force_login(agent)
    for term in (case.rma_number.lower(), "shop-7781", case.customer.email.upper(), "trk123456"):
        assert numbers(client.get("/agent/", {"q": term})) == [case.rma_number], term
    assert numbers(client.get("/agent/", {"q": closed.rma_number})) == [closed.rma_number]
    assert numbers(client.get("/agent/", {"q": "nothing-like-this"})) == []


def test_htmx_request_gets_only_the_table_partial(client, agent):
    case = make_case()
    client.force_login(agent)
    response = client.get("/agent/?country=IT", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="queue-table">') and "<html" not in body
    assert case.rma_number in body
    full = client.get("/agent/?country=IT").content.decode()
    # Without JavaScript: a GET form with a real submit button, and pages as real links.
    assert 'method="get"' in full and 'type="submit"' in full and 'id="queue-table"' in full


def test_cursor_round_trip_and_a_broken_cursor_starts_from_the_top(client, agent):
    now = timezone.now()
    cursor = selectors.QueueCursor(now, 42)
    assert selectors.QueueCursor.decode(cursor.encode()) == cursor
    assert selectors.QueueCursor.decode(selectors.QueueCursor(None, 7).encode()) == selectors.QueueCursor(None, 7)
    assert selectors.QueueCursor.decode("garbage") is None
    case = make_case()
    client.force_login(agent)
    assert numbers(client.get("/agent/?after=garbage")) == [case.rma_number]
