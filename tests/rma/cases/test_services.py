"""The case workflow through its services: filing, each transition, locking, idempotency, outbox."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from rma.cases import services
from rma.cases.models import CaseEvent, Refund, ReturnCase
from rma.integrations.models import LocalPayment
from rma.integrations.tasks import refund_execute
from rma.logistics.models import Shipment
from rma.logistics.tasks import label_render
from rma.messaging.models import Notification
from rma.messaging.tasks import notification_send
from tests.rma.factories import OrderLineFactory, UserFactory

# Real commits, so side effects enqueued with delay_on_commit run as they do in production.
pytestmark = pytest.mark.django_db(transaction=True)


def file_case(line, qty=1, reason="too_small", language="it"):
    return services.case_open(
        customer=line.order.customer,
        items=[services.ItemRequest(order_line=line, quantity=qty, reason=reason)],
        language=language,
    )


def fresh(case):
    return ReturnCase.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_side_effects_are_enqueued_only_after_commit(eu_policy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = file_case(OrderLineFactory())
    # The "filed" email and the label render (and, from returns_portal.caching, cached pages made stale
    # again at commit).
    assert len([c for c in callbacks if getattr(c, "__module__", "") != "returns_portal.caching"]) == 2
    assert not Shipment.objects.exists() and not mail.outbox
    for callback in callbacks:
        callback()
    assert fresh(case).status == "label_issued"


def test_eligible_case_is_auto_approved_and_gets_a_label_and_an_email(eu_policy):
    case = fresh(file_case(OrderLineFactory()))
    assert case.status == "label_issued"
    assert case.auto_approved
    assert case.policy == eu_policy
    assert Shipment.objects.get(case=case).label_pdf.read().startswith(b"%PDF")
    events = list(case.events.values_list("kind", "to_status"))
    assert ("filed", "requested") in events and ("transition", "approved") in events
    assert ("transition", "label_issued") in events
    label_mail = [m for m in mail.outbox if case.rma_number in m.subject and "etichetta" in m.subject.lower()]
    assert label_mail, [m.subject for m in mail.outbox]


def test_item_decision_is_frozen_on_the_case(eu_policy):
    case = file_case(OrderLineFactory())
    item = case.items.get()
    assert item.eligible and item.basis == "merchant_policy"
    assert item.decision["summary"]["code"] == "summary_merchant_policy"


def test_policy_without_auto_approval_leaves_the_case_requested(eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    case = file_case(OrderLineFactory())
    assert fresh(case).status == "requested"
    assert not Shipment.objects.exists()


def test_filing_refuses_more_than_bought_and_items_already_in_a_return(eu_policy):
    line = OrderLineFactory(quantity=2)
    with pytest.raises(services.CaseInvalid):
        file_case(line, qty=3)
    file_case(line, qty=2)
    with pytest.raises(services.CaseInvalid):
        file_case(line, qty=1)
    assert ReturnCase.objects.count() == 1


def test_filing_refuses_an_expired_item_and_an_empty_selection(eu_policy):
    line = OrderLineFactory(order__delivered_on=timezone.localdate() - datetime.timedelta(days=90))
    with pytest.raises(services.CaseInvalid):
        file_case(line)
    with pytest.raises(services.CaseInvalid):
        services.case_open(customer=line.order.customer, items=[], language="en")


def test_filing_refuses_another_customers_line(eu_policy):
    mine, theirs = OrderLineFactory(), OrderLineFactory()
    with pytest.raises(services.CaseInvalid):
        services.case_open(
            customer=mine.order.customer,
            items=[services.ItemRequest(order_line=theirs, quantity=1, reason="too_small")],
            language="en",
        )


@pytest.fixture
def requested_case(eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    return file_case(OrderLineFactory())


def test_approve_then_label(requested_case, agent):
    services.case_approve(case=requested_case, actor=agent)
    case = fresh(requested_case)
    assert case.status == "label_issued"
    approve = case.events.get(to_status="approved")
    assert approve.actor == agent and approve.actor_role == "agent"


def test_reject_needs_a_reason_the_customer_reads(requested_case, agent):
    with pytest.raises(services.CaseInvalid):
        services.case_reject(case=requested_case, actor=agent, reason="  ")
    services.case_reject(case=fresh(requested_case), actor=agent, reason="Worn outside")
    case = fresh(requested_case)
    assert case.status == "rejected" and case.rejection_reason == "Worn outside"
    assert Notification.objects.filter(case=case, event="rejected", status="sent").exists()


@pytest.fixture
def labelled_case(eu_policy):
    case = fresh(file_case(OrderLineFactory(quantity=3, unit_price="20.00"), qty=2))
    assert case.status == "label_issued"
    return case


def inspect(case, agent):
    for item in fresh(case).items.all():
        services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")


def test_full_journey_to_closed(labelled_case, agent):
    services.case_mark_in_transit(case=labelled_case, actor=agent)
    services.case_mark_received(case=fresh(labelled_case), actor=agent)
    inspect(labelled_case, agent)
    refund = services.case_refund(case=fresh(labelled_case), actor=agent)
    services.case_close(case=fresh(labelled_case), actor=agent)
    case = fresh(labelled_case)
    assert case.status == "closed"
    refund.refresh_from_db()
    assert refund.status == "paid" and str(refund.amount) == "40.00" and refund.currency == "EUR"
    statuses = list(case.events.filter(kind="transition").values_list("to_status", flat=True))
    assert statuses == ["approved", "label_issued", "in_transit", "received", "inspected", "refunded", "closed"]
    assert case.events.filter(kind="refund").count() == 1


def test_transition_not_allowed_now_gets_a_clear_error_and_changes_nothing(labelled_case, agent):
    with pytest.raises(services.CaseTransitionNotAllowed) as exc:
        services.case_refund(case=labelled_case, actor=agent)
    assert "Label issued" in str(exc.value)
    assert fresh(labelled_case).status == "label_issued"
    assert not Refund.objects.exists()


def test_agent_without_permission_is_refused(labelled_case):
    outsider = UserFactory()
    with pytest.raises(services.CasePermissionDenied):
        services.case_mark_received(case=labelled_case, actor=outsider)


def test_customer_cancels_before_shipping(labelled_case):
    with pytest.raises(services.CaseInvalid):
        services.case_cancel(case=labelled_case, actor=None, customer_id=labelled_case.customer_id + 1)
    services.case_cancel(case=fresh(labelled_case), actor=None, customer_id=labelled_case.customer_id)
    case = fresh(labelled_case)
    assert case.status == "cancelled"
    assert case.events.last().actor_role == "customer"


def test_stale_write_the_second_of_two_concurrent_saves_fails(labelled_case, agent, supervisor):
    services.case_mark_in_transit(case=labelled_case, actor=agent)
    first, second = fresh(labelled_case), fresh(labelled_case)
    services.case_mark_received(case=first, actor=agent)
    with pytest.raises(services.CaseConflict):
        services.case_mark_received(case=second, actor=supervisor)
    assert fresh(labelled_case).events.filter(to_status="received").count() == 1


def test_stale_refund_cannot_pay_twice(labelled_case, agent, supervisor):
    services.case_mark_received(case=labelled_case, actor=agent)
    inspect(labelled_case, agent)
    first, second = fresh(labelled_case), fresh(labelled_case)
    services.case_refund(case=first, actor=agent)
    with pytest.raises(services.CaseConflict):
        services.case_refund(case=second, actor=supervisor)
    assert Refund.objects.count() == 1 and LocalPayment.objects.count() == 1


def test_tasks_run_twice_produce_one_label_one_email_one_payment(labelled_case, agent):
    label_render(labelled_case.id)
    assert Shipment.objects.filter(case=labelled_case).count() == 1
    notification = Notification.objects.get(case=labelled_case, event="label_ready")
    sent_before = len(mail.outbox)
    notification_send(notification.id)
    assert len(mail.outbox) == sent_before
    services.case_mark_received(case=fresh(labelled_case), actor=agent)
    inspect(labelled_case, agent)
    refund = services.case_refund(case=fresh(labelled_case), actor=agent)
    refund_execute(refund.id)
    refund_execute(refund.id)
    assert LocalPayment.objects.count() == 1
    assert CaseEvent.objects.filter(case=labelled_case, kind="refund").count() == 1


def test_email_failure_is_recorded_and_retried_without_losing_the_message(eu_policy, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    case = file_case(OrderLineFactory())
    notification = Notification.objects.create(
        case=case, event="received", language="it", recipient=case.customer.email
    )

    def broken_send(self, *a, **kw):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    from rma.messaging.notifications import notification_deliver

    with pytest.raises(OSError):
        notification_deliver(notification_id=notification.id)
    notification.refresh_from_db()
    assert notification.status == "failed" and notification.attempts == 1 and "SMTP down" in notification.last_error
    monkeypatch.undo()
    notification_deliver(notification_id=notification.id)
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 2


def test_emails_are_in_the_customers_language_not_the_servers(eu_policy):
    line = OrderLineFactory(order__customer__language="ro", order__customer__country="RO", order__currency="RON")
    file_case(line, language="ro")
    subjects = [m.subject for m in mail.outbox if m.to == [line.order.customer.email]]
    assert any("retur" in s.lower() for s in subjects), subjects
