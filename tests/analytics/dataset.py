"""A small data set whose dashboard figures are worked out by hand in the tests (October 2026).

Sold in October (order lines):  A (footwear, IT) 40 units, B (footwear, IT) 200, C (apparel, US) 20.
Sold in September: A 100 units (outside October). Cases filed in October:

  c1  A × 8 too small      closed after a refund   decision 2 h, receipt 50 h, refund 20 h, total 72 h
  c2  A × 2 defective      store credit (repeat)   decision 30 h (due 24 h), receipt 42 h, refund 48 h, total 120 h
  c3  B × 1 too small      exchanged               decision 4 h, total 30 h, no first response (due passed)
  c4  C × 2 changed mind   still requested (USD)   decision due 22 Oct, not decided
and one case filed in September (A × 5 too small), outside October.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from rma.analytics.models import LabelRate
from rma.cases.models import (
    CaseEvent,
    Compensation,
    Deduction,
    ExchangeOrder,
    Refund,
    ReturnCase,
    ReturnItem,
    StoreCreditAccount,
    StoreCreditEntry,
    SurveyResponse,
)
from rma.logistics.models import Shipment
from tests.policies.factories import RegionCountryFactory, RegionFactory
from tests.rma.factories import CustomerFactory, OrderFactory, OrderLineFactory, UserFactory

UTC = datetime.UTC


def at(day: int, hour: int = 0, month: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


def H(hours: float) -> datetime.timedelta:
    return datetime.timedelta(hours=hours)


def _line(customer, *, sku, name, category, quantity, price, ordered_on, currency="EUR"):
    order = OrderFactory(customer=customer, currency=currency, ordered_on=ordered_on, delivered_on=ordered_on)
    return OrderLineFactory(order=order, sku=sku, name=name, category=category, quantity=quantity,
                            unit_price=Decimal(price))  # fmt: skip


def _case(customer, line, *, quantity, reason, status, created, resolution="refund", **times):
    case = ReturnCase.objects.create(customer=customer, status=status, language=customer.language,
                                     country=customer.country, currency=line.order.currency)  # fmt: skip
    ReturnItem.objects.create(case=case, order_line=line, quantity=quantity, reason=reason, resolution=resolution)
    ReturnCase.objects.filter(pk=case.pk).update(created_at=created, **times)
    CaseEvent.objects.create(case=case, kind="filed", actor_role="customer")
    case.refresh_from_db()
    return case


def _event(case, to_status, when):
    event = CaseEvent.objects.create(case=case, kind="transition", to_status=to_status, actor_role="agent")
    CaseEvent.objects.filter(pk=event.pk).update(created_at=when)


def build() -> dict:
    """The data set; every timeline event is dated when it happened (well before any refresh)."""
    eu = RegionFactory(code="EU", name="European Union")
    us = RegionFactory(code="US", name="United States")
    for country in ("IT", "DE"):
        RegionCountryFactory(region=eu, country=country)
    RegionCountryFactory(region=us, country="US")
    staff = UserFactory(username="warehouse")
    x = CustomerFactory(country="IT", language="it")
    y = CustomerFactory(country="IT", language="it")
    z = CustomerFactory(country="US", language="en")

    october = datetime.date(2026, 10, 5)
    a_lines = [_line(x, sku="A", name="Trail shoe", category="footwear", quantity=10, price="50.00",
                     ordered_on=october) for _ in range(4)]  # fmt: skip
    b_line = _line(y, sku="B", name="City shoe", category="footwear", quantity=200, price="30.00", ordered_on=october)
    c_line = _line(z, sku="C", name="T-shirt", category="apparel", quantity=20, price="15.00",
                   ordered_on=datetime.date(2026, 10, 18), currency="USD")  # fmt: skip
    september_line = _line(x, sku="A", name="Trail shoe", category="footwear", quantity=100, price="50.00",
                           ordered_on=datetime.date(2026, 9, 15))  # fmt: skip

    c1_created = at(6, 10)
    c1 = _case(x, a_lines[0], quantity=8, reason="too_small", status="closed", created=c1_created,
               first_response_due_at=c1_created + H(24), first_responded_at=c1_created + H(1),
               decision_due_at=c1_created + H(48), decided_at=c1_created + H(2),
               received_at=c1_created + H(52), refund_due_at=c1_created + H(76),
               resolved_at=c1_created + H(72), closed_at=c1_created + H(80))  # fmt: skip
    _event(c1, "refunded", c1_created + H(72))
    _event(c1, "closed", c1_created + H(80))
    Refund.objects.create(case=c1, idempotency_key="r1", amount=Decimal("400.00"), currency="EUR",
                          status=Refund.Status.PAID, provider="local")  # fmt: skip
    item1 = c1.items.get()
    Deduction.objects.create(item=item1, reason="restocking_fee", amount=Decimal("10.00"), created_by=staff)
    Shipment.objects.create(case=c1, carrier="Returns Post", tracking_number="RP1", label_pdf="labels/x.pdf")
    Shipment.objects.filter(case=c1).update(created_at=c1_created + H(3))
    LabelRate.objects.create(carrier="Returns Post", currency="EUR", amount=Decimal("5.50"),
                             valid_from=datetime.date(2026, 1, 1))  # fmt: skip
    LabelRate.objects.create(carrier="Returns Post", currency="EUR", amount=Decimal("6.00"),
                             valid_from=datetime.date(2026, 11, 1))  # fmt: skip
    SurveyResponse.objects.create(case=c1, rating=5)

    c2_created = at(10, 9)
    c2 = _case(x, a_lines[1], quantity=2, reason="defective", status="credited", created=c2_created,
               resolution="store_credit", first_response_due_at=c2_created + H(24),
               first_responded_at=c2_created + H(30), decision_due_at=c2_created + H(24),
               decided_at=c2_created + H(30), received_at=c2_created + H(72), refund_due_at=c2_created + H(96),
               resolved_at=c2_created + H(120))  # fmt: skip
    _event(c2, "credited", c2_created + H(120))
    account = StoreCreditAccount.objects.create(customer=x, currency="EUR")
    StoreCreditEntry.objects.create(account=account, case=c2, kind="credit", amount=Decimal("90.00"),
                                    idempotency_key="c2")  # fmt: skip
    StoreCreditEntry.objects.create(account=account, case=c2, kind="bonus", amount=Decimal("9.00"),
                                    idempotency_key="b2")  # fmt: skip
    SurveyResponse.objects.create(case=c2, rating=3)

    c3_created = at(12, 8)
    c3 = _case(y, b_line, quantity=1, reason="too_small", status="exchanged", created=c3_created,
               resolution="exchange", first_response_due_at=c3_created + H(24),
               decision_due_at=c3_created + H(48), decided_at=c3_created + H(4),
               resolved_at=c3_created + H(30))  # fmt: skip
    _event(c3, "exchanged", c3_created + H(30))
    ExchangeOrder.objects.create(case=c3, number="EX-3", description="Size 43", price_difference=Decimal("-5.00"),
                                 currency="EUR")  # fmt: skip
    Compensation.objects.create(case=c3, kind="voucher", amount=Decimal("3.00"), currency="EUR",
                                idempotency_key="g3", created_by=staff)  # fmt: skip

    c4_created = at(20, 12)
    c4 = _case(z, c_line, quantity=2, reason="change_of_mind", status="requested", created=c4_created,
               decision_due_at=c4_created + H(48))  # fmt: skip

    september = _case(x, september_line, quantity=5, reason="too_small", status="requested",
                      created=at(20, 12, month=9))  # fmt: skip
    # The filing events happened when the cases were filed.
    for case in (c1, c2, c3, c4, september):
        CaseEvent.objects.filter(case=case, kind="filed").update(created_at=case.created_at)
    # Things done in this set-up (refunds, surveys) are in the past as far as the refresh is concerned.
    SurveyResponse.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "september": september, "customers": (x, y, z)}
