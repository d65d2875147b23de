"""Assignment, messages and canned replies, bulk actions and the supervisor view, through services and the client."""

import pytest
from django.contrib.auth.models import Permission

from rma.cases import selectors, services
from rma.cases.models import AgentProfile, CaseEvent, ReturnCase
from rma.logistics.models import Shipment
from rma.messaging import services as messaging
from rma.messaging.models import CannedReply, CannedReplyText, Message
from tests.rma.factories import CustomerFactory, OrderLineFactory, UserFactory
from tests.rma.workspace.test_agent_queue import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def file_case(*, language="it", country="IT"):
    customer = CustomerFactory(language=language, country=country)
    line = OrderLineFactory(order__customer=customer)
    return services.case_open(customer=customer, items=[services.ItemRequest(line, 1, "too_small")], language=language)


@pytest.fixture
def manual_review(eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    return eu_policy


def post(client, case, action, **data):
    return client.post(f"/agent/cases/{case.rma_number}/action/", {"action": action, **data})


def test_filed_case_goes_to_the_least_loaded_agent_who_reads_the_language(manual_review, agent, supervisor):
    italian = UserFactory(username="giulia", role="Agents")
    AgentProfile.objects.create(user=agent, languages=["en", "it"], max_open_cases=5)
    AgentProfile.objects.create(user=italian, languages=["it"], max_open_cases=5)
    AgentProfile.objects.create(user=supervisor, languages=["zh-hans"], max_open_cases=5, available=False)
    first, second = file_case(), file_case()
    assert {first.assignee, second.assignee} == {agent, italian}  # the second goes to whoever had less
    event = CaseEvent.objects.get(case=first, kind="assignment")
    assert event.actor_role == "system" and event.data["how"] == "auto"
    # Nobody available reads Chinese: filing still works and the case waits unassigned.
    chinese = file_case(language="zh-hans", country="DE")
    assert ReturnCase.objects.get(pk=chinese.pk).assignee is None


def test_full_agents_get_nothing_and_auto_approved_cases_are_not_assigned(eu_policy, manual_review, agent):
    AgentProfile.objects.create(user=agent, languages=["it"], max_open_cases=1)
    assert file_case().assignee == agent
    assert ReturnCase.objects.get(pk=file_case().pk).assignee is None
    eu_policy.auto_approve = True
    eu_policy.save()
    AgentProfile.objects.filter(user=agent).update(max_open_cases=10)
    assert ReturnCase.objects.get(pk=file_case().pk).assignee is None


def test_claim_assign_and_reassign_with_permissions(client, manual_review, agent, supervisor):
    case = file_case()
    other = UserFactory(username="other", role="Agents")
    client.force_login(agent)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert 'value="claim"' in page and 'value="assign"' not in page  # agents claim; only supervisors assign
    assert post(client, case, "claim").status_code == 302
    assert post(client, case, "assign", **{"assign-assignee": other.pk}).status_code == 403  # forged
    assert ReturnCase.objects.get(pk=case.pk).assignee == agent
    client.force_login(other)
    conflict = post(client, case, "claim")
    assert conflict.status_code == 409 and "already works on this case" in conflict.content.decode()
    client.force_login(supervisor)
    assert post(client, case, "assign", **{"assign-assignee": other.pk}).status_code == 302
    assert ReturnCase.objects.get(pk=case.pk).assignee == other
    hows = list(CaseEvent.objects.filter(case=case, kind="assignment").values_list("data__how", flat=True))
    assert hows == ["claim", "reassign"]
    with pytest.raises(services.CasePermissionDenied):
        services.case_assign(case=case, actor=agent, assignee=agent)


def test_message_and_internal_note_from_the_case_page(client, manual_review, agent):
    case = file_case()
    client.force_login(agent)
    assert post(client, case, "message", **{"message-body": "We are looking at it."}).status_code == 302
    assert post(client, case, "note", **{"message-body": "Customer called twice."}).status_code == 302
    assert post(client, case, "note", **{"message-body": "  "}).status_code == 400
    sent, note = Message.objects.filter(case=case).order_by("id")
    assert not sent.internal and sent.language == "it" and sent.author == agent
    assert note.internal
    assert ReturnCase.objects.get(pk=case.pk).first_responded_at is not None
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert "Customer called twice." in page and "Internal note by" in page
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"message", "note"} <= kinds
    # The customer's timeline never shows the team's notes, messages or assignments.
    seen = selectors.case_get_for_customer(customer_id=case.customer_id, rma_number=case.rma_number)
    assert not {e.kind for e in seen.events.all()} & set(selectors.STAFF_EVENT_KINDS)


def test_viewer_without_permission_sees_no_reply_form_and_is_refused(client, manual_review):
    case = file_case()
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_returncase"))
    client.force_login(viewer)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert 'value="message"' not in page and 'value="claim"' not in page
    assert post(client, case, "message", **{"message-body": "Hi"}).status_code == 403
    assert post(client, case, "claim").status_code == 403
    assert not Message.objects.exists()


def test_canned_reply_in_the_customers_language_with_placeholders(client, manual_review, agent, settings):
    settings.SHOP_NAME = "Negozio"
    case = file_case(language="it")
    thanks = CannedReply.objects.create(name="Thanks")
    CannedReplyText.objects.create(reply=thanks, language="en", body="Thanks {customer_name}, {rma_number}.")
    CannedReplyText.objects.create(
        reply=thanks, language="it", body="Grazie {customer_name} per {rma_number}, {shop_name}. {x}"
    )
    client.force_login(agent)
    assert post(client, case, "canned", **{"canned-reply": thanks.pk}).status_code == 302
    message = Message.objects.get(case=case)
    assert message.body == f"Grazie {case.customer.name} per {case.rma_number}, Negozio. {{x}}"


def test_canned_reply_with_a_transition_asks_the_customer(manual_review, agent):
    case = file_case(language="de", country="DE")
    photos = CannedReply.objects.create(name="Ask for photos", transition="request_info")
    CannedReplyText.objects.create(reply=photos, language="en", body="Please send photos of {rma_number}.")
    messaging.canned_reply_apply(case=case, actor=agent, reply=photos)
    case = ReturnCase.objects.get(pk=case.pk)
    assert case.status == "needs_info" and case.info_request == f"Please send photos of {case.rma_number}."
    missing = CannedReply.objects.create(name="Only Japanese")
    CannedReplyText.objects.create(reply=missing, language="ja", body="...")
    with pytest.raises(services.CaseInvalid):
        messaging.canned_reply_apply(case=case, actor=agent, reply=missing)


def test_bulk_mark_received_from_scanned_tracking_numbers_lists_the_skipped(client, eu_policy, agent):
    first, second = file_case(), file_case()
    tracking = Shipment.objects.get(case=first).tracking_number
    client.force_login(agent)
    response = client.post(
        "/agent/bulk/",
        {"action": "mark_received", "numbers": f"{tracking}\n{second.rma_number}, R0000000000\n{tracking}"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert ReturnCase.objects.get(pk=first.pk).status == "received"
    assert ReturnCase.objects.get(pk=second.pk).status == "received"
    assert "R0000000000" in body and "No case has this RMA or tracking number." in body
    again = client.post("/agent/bulk/", {"action": "mark_received", "case": [first.rma_number]}).content.decode()
    assert "not possible while the case is" in again  # the workflow refuses it, the page says why


def test_bulk_approve_only_the_eligible_and_assign(client, manual_review, agent, supervisor):
    good = file_case()
    doubtful = make_case(country="IT")
    doubtful.items.update(eligible=False)
    client.force_login(agent)
    response = client.post("/agent/bulk/", {"action": "approve", "case": [good.rma_number, doubtful.rma_number]})
    assert ReturnCase.objects.get(pk=good.pk).status == "label_issued"  # approved, the label followed at once
    assert ReturnCase.objects.get(pk=doubtful.pk).status == "requested"
    assert "Not every item is eligible" in response.content.decode()
    # An agent may only take cases for themselves; a supervisor assigns anyone.
    other = UserFactory(username="other", role="Agents")
    client.post("/agent/bulk/", {"action": "assign", "assignee": other.pk, "case": [doubtful.rma_number]})
    assert ReturnCase.objects.get(pk=doubtful.pk).assignee is None
    client.force_login(supervisor)
    client.post("/agent/bulk/", {"action": "assign", "assignee": other.pk, "case": [doubtful.rma_number]})
    assert ReturnCase.objects.get(pk=doubtful.pk).assignee == other


def test_bulk_without_permission_is_forbidden_and_has_no_buttons(client, eu_policy):
    case = file_case()
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_returncase"))
    client.force_login(viewer)
    assert 'id="bulk-form"' not in client.get("/agent/").content.decode()
    assert client.post("/agent/bulk/", {"action": "close", "case": [case.rma_number]}).status_code == 403


def test_supervisor_view(client, manual_review, agent, supervisor):
    AgentProfile.objects.create(user=agent, languages=["it"], max_open_cases=40)
    late = make_case(due_in_hours=-5, assignee=agent)
    escalated = make_case(status="escalated", due_in_hours=50)
    decided = file_case()
    services.case_approve(case=ReturnCase.objects.get(pk=decided.pk), actor=agent)  # auto-assigned: the agent decides
    client.force_login(agent)
    assert client.get("/agent/supervisor/").status_code == 403
    assert "/agent/supervisor/" not in client.get("/agent/").content.decode()
    client.force_login(supervisor)
    response = client.get("/agent/supervisor/")
    body = response.content.decode()
    assert response.status_code == 200
    assert late.rma_number in body and escalated.rma_number in body
    assert "2 of 40" in body  # the agent's load against their limit
    assert "1 case decided by the team" in body
