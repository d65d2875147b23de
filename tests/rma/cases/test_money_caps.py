"""Money limits that hold across requests (#17 item 1): the payout cap per case, cumulative goodwill limits per
case and per day, reasons for paying more than is due, and amounts refused with their reason."""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from rma.access import roles
from rma.cases import services
from rma.cases.models import Compensation, Refund, ReturnCase, StoreCreditEntry
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fresh(case):
    return ReturnCase.objects.get(pk=case.pk)


def received_and_inspected(price: str, agent, deductions=(), resolution="refund") -> ReturnCase:
    line = OrderLineFactory(unit_price=price)
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small", resolution)], language="en"
    )
    services.case_mark_received(case=fresh(case), actor=agent)
    for item in fresh(case).items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock", deductions=list(deductions))
    return fresh(case)


def test_twelve_goodwill_grants_of_a_ten_percent_agent_stop_at_the_cap_and_the_refund_pays_the_rest(eu_policy, agent):
    # The reproduction from the issue: 12 x 12.90 on a 129.00 case, then the normal refund.
    case = received_and_inspected("129.00", agent)
    granted, refused = 0, 0
    for n in range(12):
        try:
            services.compensation_grant(
                case=fresh(case), actor=agent, kind="partial_refund", amount=Decimal("12.90"), token=f"t{n}"
            )
            granted += 1
        except services.CaseAboveLimit:
            refused += 1
    assert (granted, refused) == (1, 11)
    services.case_refund(case=fresh(case), actor=agent)
    assert services.paid_out_total(fresh(case)) == Decimal("129.00")
    assert Refund.objects.get(kind="refund").amount == Decimal("116.10")


def test_vouchers_goodwill_and_a_refund_never_pass_what_the_customer_paid(eu_policy, agent, supervisor):
    case = received_and_inspected("100.00", agent)
    services.compensation_grant(case=case, actor=supervisor, kind="voucher", amount=Decimal("30"), token="v1")
    services.compensation_grant(case=case, actor=supervisor, kind="partial_refund", amount=Decimal("20"), token="g1")
    with pytest.raises(services.CaseAboveLimit):  # the supervisor's 50% of this case is used up
        services.compensation_grant(case=case, actor=supervisor, kind="voucher", amount=Decimal("1"), token="v2")
    with pytest.raises(services.CaseAmountInvalid) as refused:
        services.case_refund(case=fresh(case), actor=agent, amount=Decimal("60"), reason="Customer asked")
    assert "more than this case may still pay out" in str(refused.value)
    assert fresh(case).status == "inspected"  # refused: the transition rolled back with it
    services.case_refund(case=fresh(case), actor=agent)
    assert services.paid_out_total(fresh(case)) == Decimal("100.00")
    assert services.payout_remaining(fresh(case)) == 0


def test_store_credit_counts_vouchers_already_given(eu_policy, agent, supervisor):
    case = received_and_inspected("80.00", agent, resolution="store_credit")  # credit fits: the customer chose it
    services.compensation_grant(case=case, actor=supervisor, kind="voucher", amount=Decimal("40"), token="v1")
    services.case_credit(case=fresh(case), actor=agent)
    credit = StoreCreditEntry.objects.get(kind="credit")
    assert credit.amount == Decimal("40.00")
    assert services.paid_out_total(fresh(case)) == Decimal("80.00")


def test_a_refund_above_the_amount_due_needs_a_reason(eu_policy, agent):
    case = received_and_inspected("30.00", agent, deductions=[("missing_parts", Decimal("10.00"))])
    due = services.amount_due(fresh(case))
    assert due == Decimal("20.00")
    with pytest.raises(services.CaseAmountInvalid) as refused:
        services.case_refund(case=fresh(case), actor=agent, amount=Decimal("30.00"))
    assert refused.value.field == "reason"
    refund = services.case_refund(
        case=fresh(case), actor=agent, amount=Decimal("30.00"), reason="The strap was in the box after all."
    )
    assert refund.amount_due == Decimal("20.00") and refund.reason.startswith("The strap")


def test_the_database_refuses_a_refund_above_due_without_a_reason(eu_policy, agent):
    case = received_and_inspected("30.00", agent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.create(
            case=case, idempotency_key="x", amount=Decimal("30"), currency="EUR", amount_due=Decimal("20")
        )


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("-5", "", "cannot be negative"),
        ("0", "", "more than zero"),
        ("5.555", "", "at most 2 decimals"),
        ("5", "USD", "in USD, but this case is paid in EUR"),
    ],
)
def test_bad_amounts_are_refused_with_their_reason(eu_policy, agent, amount, currency, message):
    case = received_and_inspected("50.00", agent)
    with pytest.raises(services.CaseAmountInvalid) as refused:
        services.compensation_grant(
            case=case, actor=agent, kind="voucher", amount=Decimal(amount), currency=currency, token="t"
        )
    assert message in str(refused.value) and refused.value.field == "amount"
    assert not Compensation.objects.exists()


def test_yen_have_no_decimals(eu_policy, agent):
    case = received_and_inspected("5000", agent)
    ReturnCase.objects.filter(pk=case.pk).update(currency="JPY")
    with pytest.raises(services.CaseAmountInvalid) as refused:
        services.amount_clean(fresh(case), Decimal("100.50"))
    assert "no decimals" in str(refused.value)
    assert services.amount_clean(fresh(case), Decimal("100")) == Decimal("100")


def test_goodwill_has_a_daily_limit_over_all_cases(eu_policy, agent, settings):
    settings.GOODWILL_DAILY_LIMIT = {"agent": {"EUR": 15}, "supervisor": {"EUR": 100}}
    first = received_and_inspected("100.00", agent)
    second = received_and_inspected("100.00", agent)
    services.compensation_grant(case=first, actor=agent, kind="voucher", amount=Decimal("10"), token="a")
    with pytest.raises(services.CaseAboveLimit) as refused:
        services.compensation_grant(case=second, actor=agent, kind="voucher", amount=Decimal("10"), token="b")
    assert "for today" in str(refused.value)
    other = UserFactory(role=roles.AGENT)  # a colleague's day is their own
    services.compensation_grant(case=second, actor=other, kind="voucher", amount=Decimal("10"), token="c")


def test_the_case_page_shows_a_refused_amount_next_to_its_field(client, eu_policy, agent):
    case = received_and_inspected("30.00", agent)
    client.force_login(agent)
    response = client.post(
        f"/agent/cases/{case.rma_number}/action/",
        {"action": "refund", "seen_status": "inspected", "refund-kind": "refund", "refund-amount": "-3"},
    )
    assert response.status_code == 400
    (form,) = [f["form"] for f in response.context["action_forms"] if f["name"] == "refund"]
    assert form.errors["amount"] == ["The amount cannot be negative."]
    assert fresh(case).status == "inspected" and not Refund.objects.exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_tabs_granting_goodwill_at_the_same_moment_stay_within_the_limit(eu_policy, agent):
    case = received_and_inspected("129.00", agent)
    barrier = threading.Barrier(2)
    outcomes = []

    def press(token):
        from django.db import connections

        try:
            mine = ReturnCase.objects.get(pk=case.pk)
            barrier.wait(timeout=10)
            services.compensation_grant(
                case=mine, actor=agent, kind="partial_refund", amount=Decimal("12.90"), token=token
            )
            outcomes.append("granted")
        except services.CaseError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(token,)) for token in ("tab1", "tab2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["CaseAboveLimit", "granted"]
    assert Compensation.objects.count() == 1 and Refund.objects.count() == 1
    assert connection.vendor == "postgresql"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_goodwill_and_a_refund_at_the_same_moment_never_pass_the_cap(eu_policy, agent, supervisor):
    case = received_and_inspected("100.00", agent)
    barrier = threading.Barrier(2)
    outcomes = []

    def goodwill():
        services.compensation_grant(
            case=ReturnCase.objects.get(pk=case.pk), actor=supervisor, kind="voucher", amount=Decimal("50"),
            token="v",
        )  # fmt: skip

    def refund():
        services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent, amount=Decimal("80.00"),
                             reason="Agreed on the phone")  # fmt: skip

    def press(work):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            work()
            outcomes.append(work.__name__)
        except services.CaseError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(work,)) for work in (goodwill, refund)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(outcomes) == 2 and "CaseAmountInvalid" in outcomes  # whichever came second is refused
    assert services.paid_out_total(fresh(case)) <= Decimal("100.00")
    assert connection.vendor == "postgresql"
