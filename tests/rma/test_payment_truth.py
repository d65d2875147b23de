"""Money states tell the truth: "refunded" only once the provider paid; failures kept, parked, then retried."""

import contextlib
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rma.cases import services
from rma.cases.models import CaseEvent, ExchangeOrder, Refund, ReturnCase
from rma.integrations import payments
from rma.integrations import sweeps as payment_sweeps
from rma.integrations.models import LocalPayment
from rma.integrations.ports import ProviderError
from rma.messaging.models import Notification
from tests.flaky_provider import calls_so_far
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def flaky(settings, monkeypatch, tmp_path):
    """The provider fails its first ``failures`` calls (3 unless the test sets FLAKY_PROVIDER_FAILURES)."""
    settings.PAYMENT_PROVIDER = "tests.flaky_provider.FlakyPaymentProvider"
    monkeypatch.setenv("FLAKY_PROVIDER_STATE", str(tmp_path / "provider-calls"))
    monkeypatch.setenv("FLAKY_PROVIDER_FAILURES", "3")
    return monkeypatch


def _inspected_case(agent):
    line = OrderLineFactory(order__customer__language="en")
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )
    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    for item in ReturnCase.objects.get(pk=case.pk).items.all():
        services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")
    return ReturnCase.objects.get(pk=case.pk)


def _refund_with_failures(case, agent):
    """The agent refunds (no error reaches the agent); the in-process task tries once and fails."""
    services.case_refund(case=case, actor=agent)
    return Refund.objects.get(case=case)


def test_a_refund_the_provider_has_not_paid_is_on_its_way_not_refunded(eu_policy, agent, flaky, client):
    case = _inspected_case(agent)
    refund = _refund_with_failures(case, agent)
    assert refund.status == "pending" and refund.attempts == 1
    assert refund.last_error.startswith("503") and refund.next_attempt_at > timezone.now()
    assert not Notification.objects.filter(case=case, event="refunded").exists()

    # The customer's page and list say "on its way", never "paid".
    session = client.session
    session["portal_customer_id"] = case.customer_id
    session.save()
    page = client.get(reverse("portal:case_detail", args=[case.rma_number])).content.decode()
    assert "Refund on its way" in page and "Your refund is on its way" in page
    assert "Your refund has been paid" not in page and ">Refunded<" not in page

    # The provider is back: the next try (after its backoff) pays it once, and now it is refunded.
    later = timezone.now() + datetime.timedelta(minutes=10)
    for _ in range(3):
        payment_sweeps.payments_redispatch(now=later)  # try 2 and 3 fail, try 4 pays
        later += datetime.timedelta(hours=2)
    refund.refresh_from_db()
    assert refund.status == "paid" and refund.attempts == 4 and calls_so_far() == 4
    assert LocalPayment.objects.filter(kind="refund").count() == 1
    assert Notification.objects.filter(case=case, event="refunded").count() == 1
    page = client.get(reverse("portal:case_detail", args=[case.rma_number])).content.decode()
    assert "Your refund has been paid" in page and "Refund on its way" not in page


def test_the_sweep_waits_for_the_backoff_of_a_failed_try(eu_policy, agent, flaky):
    refund = _refund_with_failures(_inspected_case(agent), agent)
    later = timezone.now() + datetime.timedelta(minutes=10)  # past the grace period
    Refund.objects.filter(pk=refund.pk).update(next_attempt_at=later + datetime.timedelta(minutes=30))
    assert payment_sweeps.payments_redispatch(now=later)["refunds"] == 0
    assert payment_sweeps.payments_redispatch(now=later + datetime.timedelta(minutes=31))["refunds"] == 1


def test_the_agent_sees_the_pending_payment_its_tries_and_its_last_error(eu_policy, agent, flaky, client):
    case = _inspected_case(agent)
    _refund_with_failures(case, agent)
    client.force_login(agent)
    page = client.get(reverse("agent:case_detail", args=[case.rma_number])).content.decode()
    assert "Pending" in page and "1 try so far" in page and "503 Service Unavailable (call 1)" in page


def test_a_case_with_an_unpaid_refund_cannot_be_closed(eu_policy, agent, flaky):
    case = _inspected_case(agent)
    _refund_with_failures(case, agent)
    with pytest.raises(services.CaseConflict):
        services.case_close(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    assert ReturnCase.objects.get(pk=case.pk).status == "refunded"


def test_a_refund_out_of_tries_is_parked_and_a_supervisor_queues_it_again(
    eu_policy, agent, supervisor, flaky, settings, client
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    flaky.setenv("FLAKY_PROVIDER_FAILURES", "5")
    case = _inspected_case(agent)
    refund = _refund_with_failures(case, agent)
    for _ in range(2):
        with contextlib.suppress(ProviderError):
            payments.refund_pay(refund_id=refund.pk)
    refund.refresh_from_db()
    assert refund.status == "failed" and refund.attempts == 3 and refund.next_attempt_at is None
    # Parked: the sweep leaves it alone, the timeline says so (to the staff only), the case still says "on its way".
    assert payment_sweeps.payments_redispatch(now=timezone.now() + datetime.timedelta(days=1))["refunds"] == 0
    assert calls_so_far() == 3
    problem = CaseEvent.objects.get(case=case, kind="stuck")
    assert "waits for a supervisor" in problem.headline and "503" in problem.headline
    assert ReturnCase.objects.get(pk=case.pk).refund_unpaid

    # An agent may not see the supervisors' page; the supervisor sees the refund there with its error.
    client.force_login(agent)
    assert client.get(reverse("agent:stuck_work")).status_code == 403
    client.force_login(supervisor)
    page = client.get(reverse("agent:stuck_work")).content.decode()
    assert case.rma_number in page and "503 Service Unavailable (call 3)" in page and "Try again" in page

    # Two more failures, then the provider pays: "Try again" pays it exactly once.
    response = client.post(reverse("agent:stuck_work"), {"kind": "refund", "row": refund.pk})
    assert response.status_code == 302
    for _ in range(3):
        refund.refresh_from_db()
        if refund.status == "paid":
            break
        with contextlib.suppress(ProviderError):
            payments.refund_pay(refund_id=refund.pk)
    refund.refresh_from_db()
    assert refund.status == "paid" and LocalPayment.objects.filter(kind="refund").count() == 1
    assert CaseEvent.objects.filter(case=case, kind="stuck").count() == 2  # parked, then queued again
    assert case.rma_number not in client.get(reverse("agent:stuck_work")).content.decode()
    # A second click on a stale page changes nothing.
    response = client.post(reverse("agent:stuck_work"), {"kind": "refund", "row": refund.pk}, follow=True)
    assert "not waiting for a decision any more" in response.content.decode()
    assert LocalPayment.objects.filter(kind="refund").count() == 1


def test_a_declined_refund_is_parked_at_once(eu_policy, agent, flaky):
    flaky.setenv("FLAKY_PROVIDER_DECLINE", "1")
    case = _inspected_case(agent)
    services.case_refund(case=case, actor=agent)  # no exception: a decline is not retried
    refund = Refund.objects.get(case=case)
    assert refund.status == "failed" and refund.attempts == 1 and "card_closed" in refund.last_error
    assert not LocalPayment.objects.exists()


def test_an_exchange_charge_out_of_tries_is_parked_and_retried(eu_policy, agent, supervisor, flaky, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    case = _inspected_case(agent)
    services.case_exchange(case=case, actor=agent, description="Size M instead", price_difference="5.00")
    order = ExchangeOrder.objects.get(case=case)
    assert order.attempts == 1 and order.parked_at is None and order.next_attempt_at is not None
    payments.exchange_charge(exchange_id=order.pk)  # second failure: out of tries, parked, no exception
    order.refresh_from_db()
    assert order.parked_at is not None and order.payment_reference == ""
    flaky.setenv("FLAKY_PROVIDER_FAILURES", "0")
    services.exchange_retry(exchange_id=order.pk, actor=supervisor)
    order.refresh_from_db()
    assert order.payment_reference and LocalPayment.objects.filter(kind="charge").count() == 1
    with pytest.raises(services.CasePermissionDenied):
        services.exchange_retry(exchange_id=order.pk, actor=agent)


def test_a_label_that_keeps_failing_is_parked_for_a_supervisor_then_made_once(
    eu_policy, supervisor, settings, monkeypatch, client
):
    from rma.logistics import documents, labels
    from rma.logistics import sweeps as label_sweeps
    from rma.logistics.models import LabelJob, Shipment

    settings.OUTBOX_MAX_ATTEMPTS = 3
    renderers = dict(documents.RENDERERS)

    def broken(data):
        raise RuntimeError("font cache corrupt")

    monkeypatch.setitem(documents.RENDERERS, documents.DocumentKind.LABEL, broken)
    line = OrderLineFactory()
    with pytest.raises(RuntimeError):  # in-process, the task's error reaches the caller; a worker logs it
        services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                           language="en")  # fmt: skip
    case = ReturnCase.objects.get(customer=line.order.customer)
    job = LabelJob.objects.get(case=case)
    assert job.attempts == 1 and "font cache corrupt" in job.last_error and job.next_attempt_at is not None
    # The sweep waits for the backoff, then tries again.
    later = timezone.now() + datetime.timedelta(minutes=10)
    LabelJob.objects.filter(pk=job.pk).update(next_attempt_at=later + datetime.timedelta(minutes=1))
    assert label_sweeps.labels_redispatch(now=later) == 0
    with pytest.raises(RuntimeError):
        labels.label_issue(case_id=case.pk)
    labels.label_issue(case_id=case.pk)  # the third failure parks it: no exception, no more tries
    job.refresh_from_db()
    assert job.parked_at is not None and job.attempts == 3
    assert label_sweeps.labels_redispatch(now=later + datetime.timedelta(days=1)) == 0
    assert "waits for a supervisor" in CaseEvent.objects.get(case=case, kind="stuck").headline

    monkeypatch.setitem(documents.RENDERERS, documents.DocumentKind.LABEL, renderers[documents.DocumentKind.LABEL])
    client.force_login(supervisor)
    page = client.get(reverse("agent:stuck_work")).content.decode()
    assert "Shipping documents" in page and "font cache corrupt" in page
    client.post(reverse("agent:stuck_work"), {"kind": "label", "row": job.pk})
    assert Shipment.objects.filter(case=case).count() == 1
    assert ReturnCase.objects.get(pk=case.pk).status == "label_issued"
    assert "font cache corrupt" not in client.get(reverse("agent:stuck_work")).content.decode()


def test_a_withdrawal_acknowledgement_that_keeps_failing_is_parked_then_sent_once(
    eu_policy, supervisor, settings, monkeypatch, client
):
    from django.core import mail

    from rma.cases.models import WithdrawalStatement
    from rma.messaging import sweeps as notification_sweeps
    from rma.messaging import withdrawal

    settings.OUTBOX_MAX_ATTEMPTS = 2
    real_pdf = withdrawal.withdrawal_ack_pdf

    def broken(statement):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(withdrawal, "withdrawal_ack_pdf", broken)
    order = OrderLineFactory(order__customer__country="IT").order
    with pytest.raises(RuntimeError):  # in-process the task's error reaches the caller; a worker logs it
        services.withdrawal_submit(order=order, name=order.customer.name, email=order.customer.email, language="it")
    statement = WithdrawalStatement.objects.get(order=order)
    assert statement.acknowledgement_attempts == 1 and "fonts missing" in statement.acknowledgement_error
    withdrawal.withdrawal_acknowledge(statement_id=statement.pk)  # the second failure parks it: no exception
    statement.refresh_from_db()
    assert statement.acknowledgement_parked_at is not None and statement.acknowledged_at is None
    later = timezone.now() + datetime.timedelta(days=1)
    assert notification_sweeps.acknowledgements_redispatch(now=later) == 0

    monkeypatch.setattr(withdrawal, "withdrawal_ack_pdf", real_pdf)
    client.force_login(supervisor)
    page = client.get(reverse("agent:stuck_work")).content.decode()
    assert "Withdrawal acknowledgements" in page and order.number in page and "fonts missing" in page
    client.post(reverse("agent:stuck_work"), {"kind": "withdrawal_acknowledgement", "row": statement.pk})
    statement.refresh_from_db()
    assert statement.acknowledged_at is not None and statement.acknowledgement_error == ""
    assert len([m for m in mail.outbox if order.number in m.subject and m.attachments]) == 1
