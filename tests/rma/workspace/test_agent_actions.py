"""The agent actions' registry: complete for the workflow, consistent with forms and bulk rules, through the client."""

import inspect
import re

import pytest
from django.contrib.auth.models import Permission

from rma.cases import services
from rma.cases.models import CaseStatus, Inspection, ReturnCase
from rma.workspace import actions
from tests.rma.factories import UserFactory
from tests.rma.workspace.test_agent_queue import make_case

pytestmark = pytest.mark.django_db

NOT_POSSIBLE = "This action is not possible for this case now."


def staff_transitions() -> list[str]:
    """The transitions of ReturnCase.status that a member of staff runs (not the system, not the customer)."""
    names = []
    for transition in ReturnCase._meta.get_field("status").get_all_transitions(ReturnCase):
        custom = transition.custom
        if not custom.get("system") and not custom.get("customer") and transition.name not in names:
            names.append(transition.name)
    return names


def case_actions_card(page: str) -> list[tuple[str, str]]:
    """(name, label) of every submit button in the page's Actions card, in page order."""
    card = page.split('id="case-actions"', 1)[1].split('<div class="card"', 1)[0]
    return re.findall(r'name="action" value="([a-z_]+)">([^<]+)</button>', card)


def post(client, case, action, **data):
    return client.post(f"/agent/cases/{case.rma_number}/action/", {"action": action, **data})


def test_every_staff_transition_has_one_declaration_with_a_label():
    transitions = staff_transitions()
    declared = [action for action in actions.ACTIONS.values() if action.transition]
    assert sorted(action.name for action in declared) == sorted(transitions)
    for action in actions.ACTIONS.values():
        assert actions.action_get(action.name) is action
        assert str(action.label).strip(), action.name
        assert callable(action.run), action.name
    twice = actions.ACTIONS["approve"]
    with pytest.raises(ValueError, match="declared twice"):
        actions._registry(twice, twice)


def settle_variant(case, *, wish="refund", reason=None, fault_found=False, inspector=None):
    """Give a case's item the customer's wish (and a reason, and an inspection) a settlement is judged on."""
    item = case.items.get()
    item.resolution = wish
    item.reason = reason or item.reason
    item.save()
    if inspector is not None:
        Inspection.objects.create(item=item, grade="fair", disposition="refurbish", fault_found=fault_found,
                                  inspected_by=inspector)  # fmt: skip
    return ReturnCase.objects.get(pk=case.pk)


def test_case_page_offers_each_transition_the_workflow_allows_with_its_label(client, supervisor):
    client.force_login(supervisor)
    seen = set()
    cases = [(status, make_case(status=status)) for status in CaseStatus.values]
    # The settlements other than a refund fit only some cases (rma.cases.rules): one case for each.
    cases += [
        ("inspected", settle_variant(make_case(status="inspected"), wish="store_credit")),
        ("inspected", settle_variant(make_case(status="inspected"), wish="exchange")),
        ("inspected", settle_variant(make_case(status="inspected"), wish="repair", reason="defective",
                                     fault_found=True, inspector=supervisor)),
    ]  # fmt: skip
    for status, case in cases:
        page = client.get(f"/agent/cases/{case.rma_number}/")
        assert page.status_code == 200, status
        case = ReturnCase.objects.get(pk=case.pk)
        offered = [a.name for a in actions.offers_for(case, supervisor) + actions.actions_for(case, supervisor)]
        shown = case_actions_card(page.content.decode())
        # Buttons first, then the forms' submit buttons, each group in the order offered.
        plain = [name for name in offered if actions.action_form(actions.ACTIONS[name], case) is None]
        with_form = [name for name in offered if name not in plain]
        assert [name for name, _ in shown] == plain + with_form, status
        assert all(label == str(actions.ACTIONS[name].label) for name, label in shown), status
        seen.update(offered)
    assert seen >= set(staff_transitions())  # every transition was shown somewhere


def test_form_actions_have_a_form_whose_fields_are_the_services_parameters():
    form_flagged = {t.name for t in ReturnCase._meta.get_field("status").get_all_transitions(ReturnCase)
                    if t.custom.get("form")}  # fmt: skip
    for action in actions.ACTIONS.values():
        if not action.transition:
            assert action.form is None, action.name  # its runner binds its own form
            continue
        parameters = inspect.signature(action.run).parameters
        extra = {name for name in parameters if name not in {"case", "actor"}}
        required = {name for name in extra if parameters[name].default is inspect.Parameter.empty}
        if action.form is None:
            assert not required and action.name not in form_flagged, action.name
        else:
            assert required <= set(action.form.base_fields) <= extra, action.name


@pytest.mark.parametrize(
    ("status", "name"),
    [
        ("requested", "reject"),
        ("requested", "request_info"),
        ("inspected", "offer_partial_refund"),
        ("inspected", "refund"),
        ("inspected", "exchange"),
    ],
)
def test_form_action_posted_empty_answers_400_with_its_form_open(client, supervisor, status, name):
    assert actions.ACTIONS[name].form is not None
    case = make_case(status=status)
    client.force_login(supervisor)
    response = post(client, case, name, seen_status=status)
    assert response.status_code == 400
    label = re.escape(str(actions.ACTIONS[name].label))
    assert re.search(rf'<details class="action-form" open>\s*<summary>{label}</summary>', response.content.decode())
    assert ReturnCase.objects.get(pk=case.pk).status == status


def test_bulk_actions_have_the_cores_permission_and_show_in_order(client, supervisor):
    bulk = [action for action in actions.ACTIONS.values() if action.bulk_label is not None]
    assert {action.name for action in bulk} == set(services.BULK_PERMISSIONS)
    client.force_login(supervisor)
    page = client.get("/agent/").content.decode()
    form = page.split('id="bulk-form"', 1)[1].split("</form>", 1)[0]
    buttons = re.findall(r'name="action"\s+value="([a-z_]+)">([^<]+)</button>', form)
    assert buttons == [(action.name, str(action.bulk_label)) for action in bulk]
    assert [name for name, _ in buttons] == ["assign", "approve", "mark_received", "close"]


def test_bulk_buttons_follow_the_cores_permissions(client):
    decider = UserFactory(username="decider")
    for codename in ("view_returncase", "decide_case"):
        decider.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(decider)
    page = client.get("/agent/").content.decode()
    allowed = [name for name, perm in services.BULK_PERMISSIONS.items() if perm == "rma.decide_case"]
    assert re.findall(r'name="action"\s+value="([a-z_]+)">', page) == allowed
    assert [action.name for action in actions.bulk_actions_for(decider)] == allowed


@pytest.mark.parametrize("name", ["", "bogus", "issue_label", "complete_inspection", "expire", "provide_info"])
def test_undeclared_action_answers_400(client, supervisor, name):
    case = make_case(status="requested")
    client.force_login(supervisor)
    response = post(client, case, name, seen_status="requested")
    assert response.status_code == 400
    assert NOT_POSSIBLE in response.content.decode()
    assert ReturnCase.objects.get(pk=case.pk).status == "requested"


def test_declared_transition_not_open_now_answers_403(client, supervisor):
    case = make_case(status="requested")
    client.force_login(supervisor)
    response = post(client, case, "close", seen_status="requested")
    assert response.status_code == 403 and NOT_POSSIBLE in response.content.decode()
    assert ReturnCase.objects.get(pk=case.pk).status == "requested"


def test_undeclared_bulk_action_answers_400(client, supervisor):
    case = make_case(status="requested")
    client.force_login(supervisor)
    response = client.post("/agent/bulk/", {"action": "cancel", "case": [case.rma_number]})
    assert response.status_code == 400
    assert "Choose what to do with the selected cases." in response.content.decode()
