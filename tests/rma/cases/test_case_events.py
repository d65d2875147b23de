"""Case events: the one arrow out of the core. Declared once, written with the change, read by subscribers."""

import pytest
from django.utils import translation

from returns_portal import events as bus
from rma.cases import events, services
from rma.cases.models import CaseEvent, ReturnCase
from rma.messaging.models import Notification
from rma.messaging.notices import NOTICES
from rma.messaging.subscribers import NOTIFY
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Timeline rows about the team's own work: shown in their own places on the agent's page, never on the timeline.
STAFF_KINDS = {CaseEvent.Kind.ASSIGNMENT, CaseEvent.Kind.MESSAGE, CaseEvent.Kind.NOTE}


def test_every_timeline_kind_is_declared_by_one_event_with_a_headline():
    assert set(events.TIMELINE_KINDS) == set(CaseEvent.Kind.values)
    for kind, event in events.TIMELINE_KINDS.items():
        if kind not in STAFF_KINDS:
            assert event.headline is not events.CaseEventBase.headline, f"{kind} says nothing on the timeline"


def test_every_notice_is_sent_by_some_event_and_every_event_names_a_notice():
    sent = {notify.notice for notify in NOTIFY.values()}
    assert sent == set(NOTICES)


def test_the_satellites_subscribe_when_the_app_is_ready():
    assert bus.subscribers(events.CaseApproved)  # logistics (the label) and messaging (the email)
    assert bus.subscribers(events.RefundRequested)  # integrations (the payment)
    assert bus.subscribers(events.WithdrawalSubmitted)  # messaging (the acknowledgement)


def test_filing_writes_the_timeline_row_and_the_outbox_row_in_its_own_transaction(eu_policy):
    line = OrderLineFactory(order__customer__country="IT", order__currency="EUR")
    seen = []

    def peek(event):
        # Inside the filing's transaction: the timeline row is already there, written by publish().
        seen.append((type(event).__name__, CaseEvent.objects.filter(case=event.case, kind="filed").count()))

    bus.subscribe(events.CaseFiled, peek)
    try:
        case = services.case_open(
            customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
        )
    finally:
        bus._handlers[events.CaseFiled].remove(peek)
    assert seen == [("CaseFiled", 1)]
    filed = CaseEvent.objects.get(case=case, kind="filed")
    assert filed.data == {"kind_of_case": "return"} and filed.to_status == "requested"
    assert Notification.objects.filter(case=case, event="filed").exists()
    assert ReturnCase.objects.get(pk=case.pk).currency == "EUR"  # stored, not looked up through the items


def test_a_failing_subscriber_rolls_the_change_back(eu_policy):
    line = OrderLineFactory()

    def broken(event):
        raise RuntimeError("the outbox is unavailable")

    bus.subscribe(events.CaseFiled, broken)
    try:
        with pytest.raises(RuntimeError):
            services.case_open(
                customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
            )
    finally:
        bus._handlers[events.CaseFiled].remove(broken)
    assert not ReturnCase.objects.exists() and not Notification.objects.exists()


def test_timeline_rows_read_in_the_readers_language(eu_policy):
    line = OrderLineFactory(order__customer__country="IT", order__currency="EUR")
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
    )
    row = CaseEvent(case=case, kind="refund", data={"amount": "12.50", "currency": "EUR"})
    with translation.override("en"):
        assert row.headline == "Refund of €12.50 paid"
    with translation.override("de"):
        assert "12,50" in row.headline and "€" in row.headline and row.headline != "Refund of €12.50 paid"
    label = CaseEvent(case=case, kind="label", data={"carrier": "Returns Post", "tracking_number": "RP1"})
    with translation.override("en"):
        assert label.headline == "Return label created (Returns Post, tracking number RP1)"
