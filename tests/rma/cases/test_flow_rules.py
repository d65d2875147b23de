"""Only sensible actions (#17 item 5): settlements that fit the case, and explicit takeover of a case someone holds;
correcting the return address (#17 item 6). Through the pure rules, the services and the HTTP surface."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from policies.taxonomy import Reason
from rma.cases import rules, services
from rma.cases.models import ApprovalRequest, CaseEvent, ReturnCase
from rma.logistics import documents
from rma.workspace import actions
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fresh(case):
    return ReturnCase.objects.get(pk=case.pk)


def file(line, *, reason="too_small", resolution="refund", wish=""):
    problem = "It stopped working after a week." if reason in {"defective", "not_as_described"} else ""
    return services.case_open(
        customer=line.order.customer,
        items=[services.ItemRequest(line, 1, reason, resolution, wish, problem=problem)],
        language="en",
    )


def inspected(case, agent, **found):
    services.case_mark_received(case=fresh(case), actor=agent)
    for item in fresh(case).items.all():
        services.item_inspect(item=item, actor=agent, grade=found.pop("grade", "good"), disposition="restock", **found)
    return fresh(case)


# -- the pure rule ------------------------------------------------------------------------------------


def facts(*items):
    return rules.SettlementFacts(items=tuple(items))


def test_a_no_fault_return_as_new_is_never_repaired_or_replaced():
    as_new = facts(rules.ItemFacts(reason=Reason.CHANGE_OF_MIND, wish="refund", inspected=True, grade="new"))
    assert rules.settlements_fitting(as_new) == {"refund"}
    assert rules.settlement_refusal(as_new, "mark_repaired") == rules.NO_FAULT
    assert rules.settlement_refusal(as_new, "credit") == rules.NOT_WISHED


def test_a_fault_is_repaired_only_when_the_inspection_confirms_it_and_the_customer_did_not_cause_it():
    claimed = rules.ItemFacts(reason=Reason.DEFECTIVE, wish="repair")
    assert {"mark_repaired", "replace"} <= rules.settlements_fitting(facts(claimed))  # not inspected: the claim
    not_found = rules.ItemFacts(reason=Reason.DEFECTIVE, wish="repair", inspected=True, grade="new")
    assert rules.settlement_refusal(facts(not_found), "mark_repaired") == rules.FAULT_NOT_FOUND
    caused = rules.ItemFacts(reason=Reason.DEFECTIVE, wish="repair", inspected=True, fault_found=True,
                             customer_fault=True)  # fmt: skip
    assert rules.settlement_refusal(facts(caused), "replace") == rules.CUSTOMER_FAULT
    wrong = rules.ItemFacts(reason=Reason.WRONG_ITEM, wish="replacement", inspected=True, grade="new")
    assert rules.settlement_refusal(facts(wrong), "replace") is None  # a wrong item comes back as new
    assert rules.settlement_refusal(facts(wrong), "mark_repaired") == rules.NO_FAULT
    assert rules.settlement_refusal(facts(wrong), "exchange") is None


@given(
    reason=st.sampled_from(Reason.values),
    wish=st.sampled_from(["refund", "store_credit", "exchange", "repair", "replacement"]),
    inspected_=st.booleans(),
    fault=st.booleans(),
    customer_fault=st.booleans(),
)
def test_a_refund_always_fits_and_every_answer_is_a_known_code(reason, wish, inspected_, fault, customer_fault):
    item = rules.ItemFacts(reason=reason, wish=wish, inspected=inspected_, fault_found=fault,
                           customer_fault=customer_fault)  # fmt: skip
    assert "refund" in rules.settlements_fitting(facts(item))
    for name in rules.SETTLEMENTS:
        assert rules.settlement_refusal(facts(item), name) in {None, rules.NO_FAULT, rules.FAULT_NOT_FOUND,
                                                               rules.CUSTOMER_FAULT, rules.NOT_WISHED}  # fmt: skip


# -- settlements in the service and the page ---------------------------------------------------------------


def test_service_refuses_to_repair_a_no_fault_return_with_a_translated_reason(eu_policy, agent):
    case = inspected(file(OrderLineFactory()), agent, grade="new")
    with pytest.raises(services.CaseTransitionNotAllowed, match="does not fit this case"):
        services.case_mark_repaired(case=case, actor=agent)
    with pytest.raises(services.CaseTransitionNotAllowed, match="does not fit this case"):
        services.case_replace(case=fresh(case), actor=agent)
    with pytest.raises(services.CaseTransitionNotAllowed, match="did not ask for this"):
        services.case_credit(case=fresh(case), actor=agent)
    assert fresh(case).status == "inspected"
    services.case_refund(case=fresh(case), actor=agent)
    assert fresh(case).status == "refunded"


def test_a_forged_post_of_a_settlement_that_does_not_fit_is_refused(client, eu_policy, agent):
    case = inspected(file(OrderLineFactory()), agent, grade="new")
    client.force_login(agent)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert 'value="mark_repaired"' not in page and 'value="replace"' not in page and 'value="refund"' in page
    response = client.post(f"/agent/cases/{case.rma_number}/action/", {"action": "mark_repaired"})
    assert response.status_code == 403 and fresh(case).status == "inspected"


def test_a_confirmed_fault_may_be_repaired(eu_policy, agent):
    line = OrderLineFactory(category="electronics", order__delivered_on=timezone.localdate()
                            - datetime.timedelta(days=200))  # fmt: skip
    case = inspected(file(line, reason="defective", resolution="repair"), agent, fault_found=True)
    assert {a.name for a in actions.actions_for(case, agent)} >= {"mark_repaired", "replace", "refund"}
    services.case_mark_repaired(case=case, actor=agent)
    assert fresh(case).status == "repaired"


# -- takeover -----------------------------------------------------------------------------------------------


@pytest.fixture
def manual(eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    return eu_policy


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", first_name="Chris", role="Agents")


def test_rejecting_cancelling_or_refunding_a_case_someone_else_holds_is_refused(manual, agent, colleague):
    case = file(OrderLineFactory())
    services.case_claim(case=fresh(case), actor=colleague)
    with pytest.raises(services.CasePermissionDenied, match="Chris works on this case. Take it over first"):
        services.case_reject(case=fresh(case), actor=agent, reason="Too late")
    with pytest.raises(services.CasePermissionDenied, match="Take it over first"):
        services.case_cancel(case=fresh(case), actor=agent)
    with pytest.raises(services.CasePermissionDenied, match="Take it over first"):
        services.goodwill_request(case=fresh(case), actor=agent, kind="voucher", amount=Decimal("1.00"), token="g1")
    assert fresh(case).status == "requested"
    services.case_approve(case=fresh(case), actor=colleague)  # the holder acts as before
    services.case_mark_received(case=fresh(case), actor=agent)  # the warehouse receives for everyone
    for item in fresh(case).items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock")
    with pytest.raises(services.CasePermissionDenied, match="Take it over first"):
        services.case_refund(case=fresh(case), actor=agent)
    services.case_take_over(case=fresh(case), actor=agent)
    services.case_refund(case=fresh(case), actor=agent)
    assert fresh(case).status == "refunded" and fresh(case).assignee == agent
    takeover = CaseEvent.objects.get(case=case, kind="assignment", data__how="takeover")
    assert takeover.actor == agent and takeover.data["previous"] == "Chris" and takeover.data["assignee_id"] == agent.pk


def test_the_page_offers_take_over_and_hides_the_holders_steps(client, manual, agent, colleague):
    case = file(OrderLineFactory())
    services.case_claim(case=fresh(case), actor=colleague)
    client.force_login(agent)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert 'value="take_over"' in page and 'value="approve"' not in page and 'value="reject"' not in page
    assert 'value="escalate"' in page  # anyone may ask a supervisor for help
    forged = client.post(f"/agent/cases/{case.rma_number}/action/", {"action": "approve"})
    assert forged.status_code == 403 and fresh(case).status == "requested"
    assert client.post(f"/agent/cases/{case.rma_number}/action/", {"action": "take_over"}).status_code == 302
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert 'value="take_over"' not in page and 'value="approve"' in page
    assert "taken over by" in page


def test_a_supervisor_approving_a_request_pays_on_a_case_the_agent_holds(manual, agent, supervisor):
    case = file(OrderLineFactory(unit_price="100.00"))
    services.case_claim(case=fresh(case), actor=agent)
    services.case_approve(case=fresh(case), actor=agent)
    services.case_mark_received(case=fresh(case), actor=agent)
    for item in fresh(case).items.all():
        services.item_inspect(item=item, actor=agent, grade="fair", disposition="refurbish",
                              deductions=[("diminished_value", Decimal("40.00"))])  # fmt: skip
    request = services.case_refund(case=fresh(case), actor=agent, amount=Decimal("100.00"), reason="Goodwill")
    assert isinstance(request, ApprovalRequest)
    services.approval_decide(approval=request, actor=supervisor, approve=True, reason="Loyal customer")
    assert fresh(case).status == "refunded" and fresh(case).assignee == agent


# -- correcting the return address ---------------------------------------------------------------------------


def test_staff_with_the_permission_correct_the_address_audited_and_the_label_uses_it(eu_policy, agent):
    line = OrderLineFactory(order__ship_street="Via Roma 1 🏠")
    case = fresh(file(line))
    assert case.status == "approved" and case.document_problems  # the label font cannot print the emoji
    policy_admin = UserFactory(role="Policy admins")
    with pytest.raises(services.CasePermissionDenied):
        services.case_address_correct(case=case, actor=policy_admin, name="Ada", street="Via Roma 1", city="Milano",
                                      country="IT")  # fmt: skip
    assert agent.has_perm("rma.correct_address")
    services.case_address_correct(case=fresh(case), actor=agent, name=line.order.ship_name, street="Via Roma 1",
                                  postcode="20121", city="Milano", country="it")  # fmt: skip
    event = CaseEvent.objects.get(case=case, kind="address")
    assert event.actor == agent
    assert event.data["before"]["street"] == "Via Roma 1 🏠" and event.data["after"]["street"] == "Via Roma 1"
    assert event.data["after"]["country"] == "IT" and "Via Roma 1" in event.headline
    line.order.refresh_from_db()
    assert line.order.ship_street == "Via Roma 1 🏠"  # the shop's order is left as imported
    assert documents.shipment_data_from_case(case=fresh(case)).sender.street == "Via Roma 1"
    from rma.logistics import labels

    labels.label_retry(case=fresh(case), actor=agent)
    assert fresh(case).status == "label_issued" and fresh(case).document_problems == []
    with pytest.raises(services.CaseTransitionNotAllowed):  # the label is made: it keeps its address
        services.case_address_correct(case=fresh(case), actor=agent, name="A", street="B", city="C", country="IT")


def test_writing_to_the_customer_of_a_colleagues_case_needs_a_takeover_a_note_does_not(client, manual, agent,
                                                                                      colleague):  # fmt: skip
    from rma.messaging import services as messaging

    case = file(OrderLineFactory())
    services.case_claim(case=fresh(case), actor=colleague)
    with pytest.raises(services.CasePermissionDenied, match="Take it over first"):
        messaging.message_post(case=fresh(case), author=agent, body="Hello", internal=False)
    messaging.message_post(case=fresh(case), author=agent, body="Parcel looks damaged", internal=True)
    client.force_login(agent)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert 'value="note"' in page and 'value="message"' not in page
