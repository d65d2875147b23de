"""The outbox: with the broker down a request still succeeds, and every side effect follows once it is back."""

import contextlib
import datetime

import pytest
from celery.app.task import Task
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from returns_portal.celery import app
from rma.cases import services
from rma.cases.models import Refund, ReturnCase
from rma.integrations import sweeps as payment_sweeps
from rma.integrations.models import LocalPayment
from rma.logistics import sweeps as label_sweeps
from rma.logistics.models import Shipment
from rma.messaging import sweeps as notification_sweeps
from rma.messaging.models import Notification
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)
LATER = datetime.timedelta(minutes=10)  # past OUTBOX_REDISPATCH_AFTER_SECONDS


@contextlib.contextmanager
def broker_down(monkeypatch):
    """Tasks go to a broker (not run in-process), and the broker cannot be reached."""

    def unreachable(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setitem(app.conf, "task_always_eager", False)
        patch.setattr(Task, "apply_async", unreachable)
        yield
    # The broker is back (and tasks run in-process again, as in the rest of the suite).


def sweep_all(now):
    return (
        notification_sweeps.notifications_redispatch(now=now),
        label_sweeps.labels_redispatch(now=now),
        payment_sweeps.payments_redispatch(now=now),
    )


def file(line):
    return services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )


def test_filing_with_the_broker_down_succeeds_and_keeps_its_work_pending(eu_policy, monkeypatch):
    with broker_down(monkeypatch):
        for _ in range(3):
            file(OrderLineFactory())  # no exception reaches the customer
    assert ReturnCase.objects.filter(status="approved").count() == 3
    assert not Shipment.objects.exists() and not mail.outbox
    assert set(Notification.objects.values_list("status", flat=True)) == {"queued"}
    # Nothing is queued again before the grace period: the tasks may still be on their way.
    assert sweep_all(timezone.now()) == (0, 0, {"refunds": 0, "exchange_charges": 0, "exchange_holds": 0})


def test_the_sweeps_deliver_what_the_broker_lost_exactly_once(eu_policy, monkeypatch):
    with broker_down(monkeypatch):
        cases = [file(OrderLineFactory()) for _ in range(3)]
    assert not Shipment.objects.exists() and not mail.outbox

    later = timezone.now() + LATER
    emails, labels, _payments = sweep_all(later)
    assert labels == 3 and emails == 3  # the three "filed" emails and the three labels
    for case in cases:
        assert ReturnCase.objects.get(pk=case.pk).status == "label_issued"
        assert Shipment.objects.filter(case=case).count() == 1
    sweep_all(later + LATER)  # again: nothing more is made or sent
    assert Shipment.objects.count() == 3
    for case in cases:
        subjects = [m.subject for m in mail.outbox if case.rma_number in m.subject]
        assert len(subjects) == 2, subjects  # "received your request" and "your label is ready", once each
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_refund_queued_while_the_broker_was_down_is_paid_once_by_the_sweep(eu_policy, agent, monkeypatch):
    case = file(OrderLineFactory())
    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    for item in ReturnCase.objects.get(pk=case.pk).items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock")
    with broker_down(monkeypatch):
        services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent)  # the agent sees no error
    refund = Refund.objects.get(case=case)
    assert refund.status == "pending" and refund.attempts == 0
    assert payment_sweeps.payments_redispatch(now=timezone.now() + LATER) == {
        "refunds": 1,
        "exchange_charges": 0,
        "exchange_holds": 0,
    }
    payment_sweeps.payments_redispatch(now=timezone.now() + 2 * LATER)
    refund.refresh_from_db()
    assert refund.status == "paid" and LocalPayment.objects.filter(kind="refund").count() == 1


def test_a_failed_notification_is_sent_when_due_and_one_out_of_attempts_stays_failed(eu_policy, settings):
    case = file(OrderLineFactory())
    due, spent = Notification.objects.filter(case=case)[:2]
    Notification.objects.filter(pk=due.pk).update(status="failed", attempts=2, next_attempt_at=timezone.now())
    Notification.objects.filter(pk=spent.pk).update(
        status="failed", attempts=settings.OUTBOX_MAX_ATTEMPTS, next_attempt_at=timezone.now(), last_error="550"
    )
    assert notification_sweeps.notifications_redispatch(now=timezone.now() + datetime.timedelta(seconds=1)) == 1
    assert Notification.objects.get(pk=due.pk).status == "sent"
    spent = Notification.objects.get(pk=spent.pk)
    assert spent.status == "failed" and spent.last_error == "550"


def test_an_eu_withdrawal_made_while_the_broker_is_down_is_acknowledged_once_later(eu_policy, monkeypatch):
    from rma.cases.models import WithdrawalStatement

    order = OrderLineFactory(order__customer__country="IT").order
    with broker_down(monkeypatch):
        statement = services.withdrawal_submit(
            order=order, name=order.customer.name, email=order.customer.email, language="it"
        )  # the customer sees the confirmation; nothing was sent yet
    assert WithdrawalStatement.objects.get(pk=statement.pk).acknowledged_at is None
    acknowledgements = [m for m in mail.outbox if order.number in m.subject and m.attachments]
    assert not acknowledgements

    assert notification_sweeps.acknowledgements_redispatch(now=timezone.now()) == 0  # within the grace period
    assert notification_sweeps.acknowledgements_redispatch(now=timezone.now() + LATER) == 1
    assert notification_sweeps.acknowledgements_redispatch(now=timezone.now() + 2 * LATER) == 0
    statement = WithdrawalStatement.objects.get(pk=statement.pk)
    assert statement.acknowledged_at is not None and statement.acknowledgement_lease_until is None
    acknowledgements = [m for m in mail.outbox if order.number in m.subject and m.attachments]
    assert len(acknowledgements) == 1 and acknowledgements[0].to == [order.customer.email]
