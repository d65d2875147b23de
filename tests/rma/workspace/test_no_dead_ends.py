"""No dead ends (#17 item 6): every state of the workflow offers a suitable member of staff an action that works
and moves the case on, walked through the case page and its buttons' POSTs as the browser sends them."""

import re

import pytest

from rma.cases.models import CaseStatus, ReturnCase, ReturnItem
from rma.workspace import actions
from tests.rma.workspace.test_agent_queue import make_case

pytestmark = pytest.mark.django_db(transaction=True)

# What each form posts when a person fills it in (the field names are the forms' own, with their prefixes).
FORM_DATA = {
    "reject": {"reject-reason": "Bought more than 30 days ago."},
    "request_info": {"request_info-question": "Which size did you order?"},
    "offer_partial_refund": {"offer_partial_refund-amount": "5.00", "offer_partial_refund-reason": "diminished_value"},
    "refund": {"refund-kind": "refund", "refund-amount": ""},
    "exchange": {"exchange-description": "Size M", "exchange-price_difference": "0"},
}
# Actions that do not change the status by themselves (they unblock one that does).
NOT_MOVING = {"take_over", "correct_address", "claim", "assign"}


def fsm_states() -> set[str]:
    """Every state of ReturnCase.status, as the django-fsm field declares them; the transitions use no other."""
    field = ReturnCase._meta.get_field("status")
    states = {value for value, _label in field.choices}
    for transition in field.get_all_transitions(ReturnCase):
        assert transition.source in states or transition.source == "*", transition.name
    return states


def final_states() -> set[str]:
    """The states no transition leaves: a case there is done (closed, or cancelled before anything was sent)."""
    sources = {t.source for t in ReturnCase._meta.get_field("status").get_all_transitions(ReturnCase)}
    return fsm_states() - sources


def case_in(status: str, *, needs_shipment: bool = True) -> ReturnCase:
    case = make_case(status=status, decided=status not in {"requested", "needs_info"})
    fields = {"needs_shipment": needs_shipment}
    if status == CaseStatus.AWAITING_CUSTOMER:
        fields.update(offer_amount="10.00", offer_reason="diminished_value")
    if status == CaseStatus.ESCALATED:
        fields["escalated_from"] = CaseStatus.REQUESTED
    ReturnCase.objects.filter(pk=case.pk).update(**fields)
    if status == CaseStatus.RECEIVED:
        case.items.update(status=ReturnItem.Status.RECEIVED)
    return ReturnCase.objects.get(pk=case.pk)


def offered(client, case) -> list[str]:
    """The action buttons of the case page, in page order (the Actions card and the inspection forms)."""
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    return list(dict.fromkeys(re.findall(r'name="action" value="([a-z_]+)"', page)))


def run(client, case, name):
    data = {"action": name, "seen_status": case.status, **FORM_DATA.get(name, {})}
    if name == "inspect":
        item = case.items.get()
        prefix = f"inspect-{item.pk}"
        data.update({"item": item.pk, f"{prefix}-grade": "good", f"{prefix}-disposition": "restock",
                     f"{prefix}-complete": "on"})  # fmt: skip
    response = client.post(f"/agent/cases/{case.rma_number}/action/", data)
    if "rma/agent/confirm_action.html" in [t.name for t in response.templates]:
        # An action that asks first (cancel): confirm it, as the agent does on the confirmation page.
        response = client.post(f"/agent/cases/{case.rma_number}/action/", {**data, "confirmed": "yes"})
    return response


WALK = [(status, True) for status in sorted(fsm_states())] + [(CaseStatus.APPROVED, False)]


@pytest.mark.parametrize(("status", "needs_shipment"), WALK)
def test_every_state_offers_a_working_action_that_moves_the_case_on(client, eu_policy, agent, supervisor, status,
                                                                    needs_shipment):  # fmt: skip
    if status in final_states():
        assert status in {CaseStatus.CLOSED, CaseStatus.CANCELLED}  # the only states where a case is done
        case = case_in(status)
        client.force_login(supervisor)
        assert [name for name in offered(client, case) if name not in NOT_MOVING | {"message", "note"}] == []
        return
    for person in (agent, supervisor):  # the agent first; a supervisor where only a supervisor may act
        case = case_in(status, needs_shipment=needs_shipment)
        client.force_login(person)
        moving = [
            name for name in offered(client, case) if name not in NOT_MOVING | {"message", "note", "canned", "goodwill"}
        ]
        if not moving:
            continue
        # Escalating always works; take the step forward when there is one.
        name = next((n for n in moving if n != "escalate"), moving[0])
        response = run(client, case, name)
        assert response.status_code == 302, (status, name, response.content.decode()[:2000])
        after = ReturnCase.objects.get(pk=case.pk).status
        assert after != status, (status, name)
        return
    pytest.fail(f"No member of staff can move a case on from {status!r}.")


def test_the_walk_covers_every_state_of_the_workflow():
    assert {status for status, _shipment in WALK} == set(CaseStatus.values) == fsm_states()
    assert final_states() == {CaseStatus.CLOSED, CaseStatus.CANCELLED}


def test_an_approved_case_without_a_label_or_a_recorded_problem_offers_the_retry(client, eu_policy, agent):
    case = case_in(CaseStatus.APPROVED)
    assert not case.document_problems and not hasattr(case, "shipment")
    client.force_login(agent)
    assert "retry_label" in offered(client, case)
    assert actions.ACTIONS["retry_label"] in actions.offers_for(case, agent)
    assert run(client, case, "retry_label").status_code == 302
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.LABEL_ISSUED
