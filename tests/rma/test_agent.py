"""The agent workspace through the test client: queue, case page, buttons, stale pages, permissions."""

import pytest

from rma import services
from rma.models import Refund, ReturnCase
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(eu_policy):
    line = OrderLineFactory(unit_price="30.00")
    return services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
    )


def act(client, case, action, seen=None, **extra):
    return client.post(
        f"/agent/cases/{case.rma_number}/action/",
        {"action": action, "seen_status": seen or ReturnCase.objects.get(pk=case.pk).status, **extra},
    )


def test_login_is_required(client, case):
    response = client.get("/agent/")
    assert response.status_code == 302 and response["Location"].startswith("/agent/login/")


def test_queue_lists_open_cases_in_constant_queries(client, agent, case, django_assert_max_num_queries):
    for _ in range(5):
        line = OrderLineFactory()
        services.case_open(
            customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
        )
    client.force_login(agent)
    with django_assert_max_num_queries(8):
        response = client.get("/agent/")
    assert response.status_code == 200
    assert case.rma_number in response.content.decode()
    filtered = client.get("/agent/?status=refunded").content.decode()
    assert case.rma_number not in filtered


def test_agent_takes_a_case_from_label_to_closed_with_only_allowed_buttons(client, agent, case):
    client.force_login(agent)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert 'value="mark_received"' in page and 'value="refund"' not in page
    for action in ("mark_received", "refund", "close"):
        response = act(client, case, action)
        assert response.status_code == 302, response.content.decode()[:500]
    case = ReturnCase.objects.get(pk=case.pk)
    assert case.status == "closed"
    assert Refund.objects.get(case=case).status == "paid"
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert "No action is possible for this case now." in page
    assert agent.first_name in page  # who did each step is on the timeline


def test_stale_page_gets_409_and_the_fresh_state(client, agent, case):
    client.force_login(agent)
    act(client, case, "mark_received")
    response = act(client, case, "mark_received", seen="label_issued")
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    assert ReturnCase.objects.get(pk=case.pk).events.filter(to_status="received").count() == 1


def test_forged_action_without_permission_is_forbidden(client, case):
    from django.contrib.auth.models import Permission

    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_returncase"))
    client.force_login(viewer)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert 'name="action"' not in page
    assert act(client, case, "mark_received").status_code == 403
    assert ReturnCase.objects.get(pk=case.pk).status == "label_issued"


def test_reject_without_reason_keeps_the_form(client, agent, eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    line = OrderLineFactory()
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )
    client.force_login(agent)
    assert act(client, case, "reject", reason="").status_code == 400
    assert act(client, case, "reject", reason="Worn outside").status_code == 302
    assert ReturnCase.objects.get(pk=case.pk).status == "rejected"


def test_admin_shows_the_status_read_only(admin_client, case):
    page = admin_client.get(f"/admin/rma/returncase/{case.pk}/change/").content.decode()
    assert 'name="status"' not in page
