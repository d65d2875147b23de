"""No network or file work under a row lock: while the carrier, the payment provider or the mail server is
called, another connection can lock the rows involved at once (PostgreSQL; SQLite has no row locks)."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from rma.cases import services
from rma.cases.models import Refund, ReturnCase
from rma.integrations.local import LocalCarrier, LocalPaymentProvider
from rma.logistics.models import Shipment
from rma.messaging.models import Notification
from tests.rma.factories import OrderLineFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]
SEEN: list = []


def lockable(model, pk) -> bool:
    """Whether another connection can lock this row right now (NOWAIT: it fails at once if held)."""
    result = []

    def probe():
        try:
            with transaction.atomic():
                model.objects.select_for_update(nowait=True).get(pk=pk)
            result.append(True)
        except DatabaseError:
            result.append(False)
        finally:
            connections.close_all()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(timeout=10)
    return result == [True]


class ProbingCarrier(LocalCarrier):
    def book_return(self, *, rma_number, **kwargs):
        case = ReturnCase.objects.get(rma_number=rma_number)
        SEEN.append(("carrier", lockable(ReturnCase, case.pk)))
        return super().book_return(rma_number=rma_number, **kwargs)


class ProbingProvider(LocalPaymentProvider):
    def refund(self, *, idempotency_key, **kwargs):
        refund = Refund.objects.get(idempotency_key=idempotency_key)
        SEEN.append(("payment", lockable(Refund, refund.pk) and lockable(ReturnCase, refund.case_id)))
        return super().refund(idempotency_key=idempotency_key, **kwargs)


@pytest.fixture(autouse=True)
def _probes(settings):
    SEEN.clear()
    settings.CARRIER_ADAPTER = "tests.rma.cases.test_no_lock_during_io.ProbingCarrier"
    settings.PAYMENT_PROVIDER = "tests.rma.cases.test_no_lock_during_io.ProbingProvider"


def file(line):
    return services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )


def test_the_label_is_booked_with_no_lock_on_the_case(eu_policy):
    case = file(OrderLineFactory())  # approved at once; the label task runs after the commit
    assert ("carrier", True) in SEEN
    assert Shipment.objects.filter(case=case).count() == 1
    assert ReturnCase.objects.get(pk=case.pk).status == "label_issued"


def test_the_refund_is_paid_with_no_lock_on_the_refund_or_the_case(eu_policy, agent):
    case = file(OrderLineFactory())
    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    for item in ReturnCase.objects.get(pk=case.pk).items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock")
    services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    assert ("payment", True) in SEEN
    assert Refund.objects.get(case=case).status == "paid"


def test_an_email_is_sent_with_no_lock_on_its_outbox_row(eu_policy, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send

    def probing_send(message, *args, **kwargs):
        pending = Notification.objects.filter(status="sending").values_list("pk", flat=True)
        SEEN.append(("email", all(lockable(Notification, pk) for pk in pending) and bool(pending)))
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", probing_send)
    case = file(OrderLineFactory())
    assert ("email", True) in SEEN and ("email", False) not in SEEN
    assert set(Notification.objects.filter(case=case).values_list("status", flat=True)) == {"sent"}
    assert connection.vendor == "postgresql"


def test_the_probe_sees_a_lock_that_is_held(eu_policy):
    case = file(OrderLineFactory())
    with transaction.atomic():
        ReturnCase.objects.select_for_update().get(pk=case.pk)
        assert not lockable(ReturnCase, case.pk)
    assert lockable(ReturnCase, case.pk)
