"""Every kind of case from request to closed through the services, with the money moved exactly once."""

import datetime
import threading
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from rma.cases import services
from rma.cases.models import CaseEvent, Compensation, ExchangeOrder, Refund, ReturnCase, StoreCreditEntry
from rma.integrations import payments
from rma.integrations.local import LocalPaymentProvider
from rma.integrations.models import LocalPayment
from rma.integrations.ports import ProviderError
from rma.logistics import sweeps
from rma.messaging.models import Notification
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


def fresh(case):
    return ReturnCase.objects.get(pk=case.pk)


def file(line, *, qty=1, reason="too_small", resolution="refund", wish=""):
    problem = "It stopped charging after a week." if reason in {"defective", "not_as_described"} else ""
    photos = (
        (ContentFile(b"\xff\xd8 photo of the damage", name="damage.jpg"),) if reason == "damaged_in_transit" else ()
    )
    return services.case_open(
        customer=line.order.customer,
        items=[services.ItemRequest(line, qty, reason, resolution, wish, photos, problem=problem)],
        language="en",
    )


@pytest.fixture
def manual_policy(eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    return eu_policy


def receive(case, agent):
    services.case_mark_received(case=fresh(case), actor=agent)
    return fresh(case)


def inspect_all(case, agent, **kwargs):
    for item in fresh(case).items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock", **kwargs)
    return fresh(case)


def test_needs_info_round_trip_then_approval(manual_policy, agent):
    case = file(OrderLineFactory())
    services.case_request_info(case=fresh(case), actor=agent, question="Is the tag still attached?")
    assert fresh(case).status == "needs_info"
    assert Notification.objects.filter(case=case, event="needs_info").exists()
    with pytest.raises(services.CaseInvalid):
        services.case_provide_info(case=fresh(case), customer_id=case.customer_id + 1000, answer="Yes")
    services.case_provide_info(case=fresh(case), customer_id=case.customer_id, answer="Yes, attached")
    case = fresh(case)
    assert case.status == "requested" and case.info_response == "Yes, attached"
    assert case.first_responded_at is not None
    services.case_approve(case=case, actor=agent)
    assert fresh(case).status == "label_issued"


def test_return_with_inspection_and_deduction_refunds_the_rest_once(eu_policy, agent):
    case = file(OrderLineFactory(unit_price="80.00"), qty=1)
    case = receive(case, agent)
    assert case.refund_due_at is not None and case.items.first().status == "received"
    item = case.items.get()
    services.item_inspect(item=item, actor=agent, grade="fair", disposition="refurbish",
                          deductions=[("diminished_value", Decimal("15.00"))])  # fmt: skip
    case = fresh(case)
    assert case.status == "inspected"
    assert services.amount_due(case) == Decimal("65.00")
    refund = services.case_refund(case=case, actor=agent)
    assert refund.amount == Decimal("65.00")
    assert Refund.objects.get().status == "paid"
    assert LocalPayment.objects.count() == 1
    services.case_close(case=fresh(case), actor=agent)
    assert fresh(case).status == "closed" and fresh(case).closed_at
    kinds = list(fresh(case).events.values_list("kind", flat=True))
    assert "inspection" in kinds and "deduction" in kinds and "refund" in kinds


def test_no_diminished_value_deduction_when_the_customer_was_not_informed(eu_policy, agent):
    line = OrderLineFactory(order__withdrawal_info_given=False)
    case = receive(file(line), agent)
    with pytest.raises(services.CaseInvalid, match="Art. 14"):
        services.item_inspect(item=case.items.get(), actor=agent, grade="fair", disposition="restock",
                              deductions=[("diminished_value", Decimal("5"))])  # fmt: skip
    assert fresh(case).status == "received"
    services.item_inspect(item=case.items.get(), actor=agent, grade="fair", disposition="restock",
                          deductions=[("missing_parts", Decimal("5"))])  # fmt: skip
    assert fresh(case).status == "inspected"


def test_refund_above_what_was_paid_is_refused(eu_policy, agent):
    case = inspect_all(receive(file(OrderLineFactory(unit_price="30.00")), agent), agent)
    with pytest.raises(services.CaseInvalid):
        services.case_refund(case=case, actor=agent, amount=Decimal("30.01"))
    assert fresh(case).status == "inspected" and not Refund.objects.exists()


def test_partial_refund_offer_accepted_pays_the_offer(eu_policy, agent):
    case = inspect_all(receive(file(OrderLineFactory(unit_price="50.00")), agent), agent)
    services.case_offer_partial_refund(case=case, actor=agent, amount=Decimal("35.00"), reason="diminished_value")
    assert fresh(case).status == "awaiting_customer"
    services.case_answer_offer(case=fresh(case), customer_id=case.customer_id, accept=True)
    case = fresh(case)
    assert case.status == "inspected"
    assert services.case_refund(case=case, actor=agent).amount == Decimal("35.00")


def test_refused_offer_goes_to_a_supervisor_who_sends_it_back(eu_policy, agent, supervisor):
    case = inspect_all(receive(file(OrderLineFactory()), agent), agent)
    services.case_offer_partial_refund(case=case, actor=agent, amount=Decimal("10.00"), reason="diminished_value")
    services.case_answer_offer(case=fresh(case), customer_id=case.customer_id, accept=False)
    assert fresh(case).status == "escalated"
    with pytest.raises(services.CasePermissionDenied):
        services.case_deescalate(case=fresh(case), actor=agent)
    services.case_deescalate(case=fresh(case), actor=supervisor)
    assert fresh(case).status == "inspected"
    assert services.amount_due(fresh(case)) == Decimal("49.90")


def test_store_credit_with_a_ledger_and_code(eu_policy, agent):
    case = inspect_all(receive(file(OrderLineFactory(unit_price="40.00"), resolution="store_credit"), agent), agent)
    entry = services.case_credit(case=case, actor=agent)
    assert fresh(case).status == "credited"
    assert entry.amount == Decimal("40.00") and entry.account.code.startswith("SC-")
    assert services.store_credit_balance(entry.account) >= Decimal("40.00")
    assert Notification.objects.filter(case=case, event="credited").exists()


def test_exchange_with_a_price_difference_is_charged_once(eu_policy, agent):
    line = OrderLineFactory(unit_price="40.00")
    case = file(line, resolution="exchange", wish="Same jacket in size M")
    assert fresh(case).kind == "exchange"
    case = inspect_all(receive(case, agent), agent)
    order = services.case_exchange(case=case, actor=agent, description="Jacket size M", price_difference="5.00")
    assert fresh(case).status == "exchanged"
    assert ExchangeOrder.objects.get().payment_reference
    payments.exchange_charge(exchange_id=order.id)
    assert LocalPayment.objects.filter(kind="charge").count() == 1


def test_exchange_for_a_cheaper_item_refunds_the_difference(eu_policy, agent):
    case = inspect_all(receive(file(OrderLineFactory(unit_price="40.00"), resolution="exchange", wish="Other"),
                               agent), agent)  # fmt: skip
    services.case_exchange(case=case, actor=agent, description="Cheaper scarf", price_difference="-12.50")
    refund = Refund.objects.get()
    assert refund.kind == "exchange_difference" and refund.amount == Decimal("12.50") and refund.status == "paid"


def test_warranty_claim_diagnosed_then_repaired(eu_policy, agent):
    line = OrderLineFactory(category="electronics", unit_price="199.00", order__delivered_on=timezone.localdate()
                            - datetime.timedelta(days=200))  # fmt: skip
    case = file(line, reason="defective", resolution="repair")
    case = fresh(case)
    assert case.kind == "warranty" and case.items.get().basis == "legal_guarantee"
    assert case.return_shipping_paid_by == "merchant"
    case = inspect_all(receive(case, agent), agent, fault_found=True)
    services.case_mark_repaired(case=case, actor=agent)
    assert fresh(case).status == "repaired"
    services.case_close(case=fresh(case), actor=agent)


def test_warranty_replacement_creates_a_replacement_order(eu_policy, agent):
    case = file(OrderLineFactory(category="electronics"), reason="defective", resolution="replacement")
    case = inspect_all(receive(case, agent), agent, fault_found=True)
    order = services.case_replace(case=case, actor=agent)
    assert order.number.startswith("RP-") and order.price_difference == 0
    assert fresh(case).status == "replaced"


def test_price_reduction_for_a_defect_the_customer_keeps(eu_policy, agent):
    case = inspect_all(receive(file(OrderLineFactory(unit_price="100.00"), reason="defective"), agent), agent)
    refund = services.case_refund(case=case, actor=agent, amount=Decimal("20.00"), kind="price_reduction")
    assert refund.kind == "price_reduction" and fresh(case).status == "refunded"


def test_cheap_item_damaged_in_transit_is_kept_and_refunded_without_shipping(eu_policy, agent):
    case = file(OrderLineFactory(unit_price="9.90"), reason="damaged_in_transit")
    case = fresh(case)
    assert case.kind == "delivery" and not case.needs_shipment
    assert case.status == "approved"  # no label: nothing comes back
    assert not hasattr(case, "shipment") or case.shipment is None
    services.case_refund(case=case, actor=agent)
    assert fresh(case).status == "refunded"


def test_valuable_wrong_item_goes_back_with_a_label(eu_policy):
    case = fresh(file(OrderLineFactory(unit_price="120.00"), reason="wrong_item"))
    assert case.kind == "delivery" and case.needs_shipment and case.status == "label_issued"


def test_goodwill_within_limits_once_per_form(eu_policy, agent, supervisor):
    case = file(OrderLineFactory(unit_price="100.00"))
    assert services.goodwill_limit(case, agent) == Decimal("10.00")
    with pytest.raises(services.CasePermissionDenied):
        services.compensation_grant(case=case, actor=agent, kind="voucher", amount=Decimal("11"), token="a")
    services.compensation_grant(case=case, actor=agent, kind="voucher", amount=Decimal("10"), token="b")
    with pytest.raises(services.CaseConflict):
        services.compensation_grant(case=case, actor=agent, kind="voucher", amount=Decimal("10"), token="b")
    services.compensation_grant(case=case, actor=supervisor, kind="partial_refund", amount=Decimal("40"), token="c")
    services.compensation_grant(case=case, actor=agent, kind="free_shipping", token="d")
    assert Compensation.objects.count() == 3
    assert StoreCreditEntry.objects.filter(kind="voucher").count() == 1
    assert Refund.objects.get(kind="goodwill").status == "paid"


def test_sla_sweep_escalates_overdue_decisions_and_expires_unused_labels(manual_policy, eu_policy):
    late = file(OrderLineFactory())
    ReturnCase.objects.filter(pk=late.pk).update(decision_due_at=timezone.now() - datetime.timedelta(hours=1))
    eu_policy.auto_approve = True
    eu_policy.save()
    labelled = file(OrderLineFactory())
    assert fresh(labelled).status == "label_issued"
    later = timezone.now() + datetime.timedelta(days=31)
    counts = services.sla_sweep(now=later)
    label_counts = sweeps.labels_sweep(now=later)
    assert fresh(late).status == "escalated" and fresh(late).escalated_from == "requested"
    assert fresh(labelled).status == "expired"
    assert counts["escalated"] >= 1 and label_counts["expired"] == 1
    assert CaseEvent.objects.filter(case=late, kind="sla").count() == 1
    services.sla_sweep(now=later)  # running them again changes nothing
    assert sweeps.labels_sweep(now=later)["expired"] == 0
    assert CaseEvent.objects.filter(case=late, kind="sla").count() == 1
    assert CaseEvent.objects.filter(case=labelled, kind="transition", to_status="expired").count() == 1


def test_statutory_refund_deadline_moves_while_waiting_for_the_goods_and_the_customer_is_told(eu_policy):
    line = OrderLineFactory(order__delivered_on=timezone.localdate() - datetime.timedelta(days=2))
    eu_policy.window_days = 7  # the statute (14 days) is the better basis
    eu_policy.save()
    case = fresh(file(line))
    assert case.items.get().basis == "statutory_withdrawal"
    assert case.statutory_refund_due_on == timezone.localdate() + datetime.timedelta(days=14)
    services.sla_sweep(now=timezone.now() + datetime.timedelta(days=15))
    services.sla_sweep(now=timezone.now() + datetime.timedelta(days=16))
    case = fresh(case)
    assert case.statutory_refund_due_on is None
    assert Notification.objects.filter(case=case, event="deadline_changed").count() == 1


class FlakyProvider(LocalPaymentProvider):
    """Times out on the first call for each key, then works: a provider timeout after the money moved."""

    calls: dict = {}

    def refund(self, *, idempotency_key, **kwargs):
        result = super().refund(idempotency_key=idempotency_key, **kwargs)
        FlakyProvider.calls[idempotency_key] = FlakyProvider.calls.get(idempotency_key, 0) + 1
        if FlakyProvider.calls[idempotency_key] == 1:
            raise ProviderError("timeout")
        return result


def test_provider_timeout_is_retried_and_never_pays_twice(eu_policy, agent, settings, monkeypatch):
    from returns_portal.celery import app

    case = inspect_all(receive(file(OrderLineFactory()), agent), agent)
    settings.PAYMENT_PROVIDER = "tests.rma.cases.test_workflow.FlakyProvider"
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # queued in memory; run below as a worker would
    refund = services.case_refund(case=case, actor=agent)
    with pytest.raises(ProviderError):
        payments.refund_pay(refund_id=refund.id)  # the money moved, but the answer timed out
    refund.refresh_from_db()
    assert refund.status == "pending" and refund.attempts == 1 and "timeout" in refund.last_error
    payments.refund_pay(refund_id=refund.id)  # the retry sends the same idempotency key
    payments.refund_pay(refund_id=refund.id)
    refund.refresh_from_db()
    assert refund.status == "paid" and refund.attempts == 2
    assert LocalPayment.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, kind="refund").count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_agents_refunding_at_the_same_moment_make_one_refund(eu_policy, agent, supervisor):
    case = inspect_all(receive(file(OrderLineFactory()), agent), agent)
    barrier = threading.Barrier(2)
    outcomes = []

    def press(actor):
        from django.db import connections

        try:
            mine = ReturnCase.objects.get(pk=case.pk)
            barrier.wait(timeout=10)
            services.case_refund(case=mine, actor=actor)
            outcomes.append("refunded")
        except services.CaseError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(who,)) for who in (agent, supervisor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["CaseConflict", "refunded"] or sorted(outcomes) == [
        "CaseTransitionNotAllowed",
        "refunded",
    ]
    assert Refund.objects.count() == 1 and LocalPayment.objects.count() == 1
    assert connection.vendor == "postgresql"


def test_workflow_diagram_is_current():
    out = StringIO()
    call_command("graph_transitions", "rma.ReturnCase", stdout=out)
    # graphviz writes nodes and edges in no fixed order: compare them as sets.
    current = sorted(line.strip() for line in out.getvalue().splitlines())
    committed = sorted(line.strip() for line in (ROOT / "docs/workflow.dot").read_text().splitlines())
    assert current == committed, "the workflow changed: run `make workflow-graph` and commit docs/workflow.*"


def test_customer_wishes_use_the_codes_the_policy_offers():
    from policies.taxonomy import Resolution as Offered
    from rma.cases.models import Resolution as Wished

    assert set(Wished.values) <= set(Offered.values)


def test_a_resolution_the_policy_does_not_offer_is_refused(eu_policy):
    eu_policy.resolutions = ["refund"]
    eu_policy.save()
    with pytest.raises(services.CaseInvalid, match="the shop offers"):
        file(OrderLineFactory(), resolution="store_credit")
