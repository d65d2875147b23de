"""Four-eyes approvals (#17 item 2): above an agent's limit a request waits for a supervisor, who approves or
declines it with a reason on the timeline; nobody decides their own request."""

from decimal import Decimal

import pytest

from rma.access import roles
from rma.access.tokens import case_link_token
from rma.cases import services
from rma.cases.models import ApprovalRequest, CaseEvent, Compensation, Refund, ReturnCase
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fresh(case):
    return ReturnCase.objects.get(pk=case.pk)


def inspected(price: str, agent, deductions=()) -> ReturnCase:
    line = OrderLineFactory(unit_price=price)
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )
    services.case_mark_received(case=fresh(case), actor=agent)
    for item in fresh(case).items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock", deductions=list(deductions))
    return fresh(case)


def test_goodwill_above_the_agents_limit_waits_for_a_supervisor_who_approves(eu_policy, agent, supervisor):
    case = inspected("129.00", agent)
    approval = services.goodwill_request(
        case=case, actor=agent, kind="partial_refund", amount=Decimal("30.00"), note="Late twice", token="t1"
    )
    assert isinstance(approval, ApprovalRequest) and approval.status == "pending"
    assert not Compensation.objects.exists() and not Refund.objects.exists()
    # The agent's and the customer's timeline both say it.
    row = CaseEvent.objects.get(case=case, kind="approval")
    assert row.headline == "Awaiting approval"
    services.approval_decide(approval=approval, actor=supervisor, approve=True, reason="Loyal customer")
    approval.refresh_from_db()
    assert approval.status == "approved" and approval.decided_by == supervisor
    assert Refund.objects.get(kind="goodwill").amount == Decimal("30.00")
    decided = CaseEvent.objects.get(case=case, kind="approval_decided")
    assert decided.headline == "Approved by a supervisor" and decided.data["reason"] == "Loyal customer"


def test_within_the_limit_goodwill_is_granted_at_once(eu_policy, agent):
    case = inspected("129.00", agent)
    result = services.goodwill_request(case=case, actor=agent, kind="voucher", amount=Decimal("12.90"), token="t")
    assert isinstance(result, Compensation) and not ApprovalRequest.objects.exists()


def test_declined_requests_move_no_money_and_say_why(eu_policy, agent, supervisor):
    case = inspected("129.00", agent)
    approval = services.goodwill_request(case=case, actor=agent, kind="voucher", amount=Decimal("40"), token="t")
    with pytest.raises(services.CaseInvalid):
        services.approval_decide(approval=approval, actor=supervisor, approve=False, reason="  ")
    services.approval_decide(approval=approval, actor=supervisor, approve=False, reason="Not our fault")
    assert fresh(case).compensations.count() == 0
    assert CaseEvent.objects.get(case=case, kind="approval_decided").headline == "Declined by a supervisor"
    with pytest.raises(services.CaseConflict):
        services.approval_decide(approval=approval, actor=supervisor, approve=True, reason="Changed my mind")


def test_nobody_approves_their_own_request(eu_policy, agent, supervisor):
    case = inspected("1000.00", agent)
    # The supervisor's own limit is 50%: above it, their request waits for another supervisor.
    approval = services.goodwill_request(case=case, actor=supervisor, kind="voucher", amount=Decimal("600"), token="s")
    assert isinstance(approval, ApprovalRequest)
    with pytest.raises(services.CasePermissionDenied):
        services.approval_decide(approval=approval, actor=supervisor, approve=True, reason="Fine by me")
    with pytest.raises(services.CasePermissionDenied):  # an agent decides nothing
        services.approval_decide(approval=approval, actor=agent, approve=True, reason="Fine by me")
    other = UserFactory(username="boss", role=roles.SUPERVISOR)
    services.approval_decide(approval=approval, actor=other, approve=True, reason="Agreed")
    assert Compensation.objects.get().amount == Decimal("600.00")


def test_an_approval_never_passes_the_payout_cap(eu_policy, agent, supervisor):
    case = inspected("100.00", agent)
    with pytest.raises(services.CaseAmountInvalid):
        services.goodwill_request(case=case, actor=agent, kind="voucher", amount=Decimal("150"), token="t")
    assert not ApprovalRequest.objects.exists()


def test_a_refund_far_above_the_amount_due_waits_for_a_supervisor(eu_policy, agent, supervisor, settings):
    settings.REFUND_ABOVE_DUE_APPROVAL = {"EUR": 5}
    case = inspected("100.00", agent, deductions=[("missing_parts", Decimal("30.00"))])
    approval = services.case_refund(
        case=fresh(case), actor=agent, amount=Decimal("100.00"), reason="The part was in the box"
    )
    assert isinstance(approval, ApprovalRequest) and approval.kind == "refund"
    assert fresh(case).status == "inspected" and not Refund.objects.exists()
    services.approval_decide(approval=approval, actor=supervisor, approve=True, reason="Checked the photos")
    refund = Refund.objects.get()
    assert refund.amount == Decimal("100.00") and refund.reason == "The part was in the box"
    assert fresh(case).status == "refunded"


def test_the_supervisor_decides_on_the_approvals_page(client, eu_policy, agent, supervisor):
    case = inspected("129.00", agent)
    client.force_login(agent)
    response = client.post(
        f"/agent/cases/{case.rma_number}/action/",
        {"action": "goodwill", "seen_status": "inspected", "goodwill-kind": "voucher", "goodwill-amount": "30",
         "goodwill-token": "tab"},
        follow=True,
    )  # fmt: skip
    assert "awaits a supervisor" in response.content.decode()
    assert "Awaiting approval" in client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert client.get("/agent/supervisor/approvals/").status_code == 403
    client.force_login(supervisor)
    page = client.get("/agent/supervisor/approvals/").content.decode()
    assert case.rma_number in page and 'href="/agent/supervisor/approvals/"' in page
    approval = ApprovalRequest.objects.get()
    response = client.post(
        "/agent/supervisor/approvals/",
        {"approval": approval.pk, "decision": "approve", "reason": "Loyal customer"},
        follow=True,
    )
    assert "Approved" in response.content.decode()
    assert Compensation.objects.get().amount == Decimal("30.00")


def test_the_customer_sees_awaiting_approval_on_their_case_page(client, eu_policy, agent):
    case = inspected("129.00", agent)
    services.goodwill_request(case=case, actor=agent, kind="voucher", amount=Decimal("30"), token="t")
    opened = client.get(f"/en/cases/{case.rma_number}/?t={case_link_token(case)}")
    page = client.get(opened["Location"]).content.decode()
    assert "Awaiting approval" in page
