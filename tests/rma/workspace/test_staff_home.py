"""Signed-in staff are never sent to the login page: the workspace's links are those of their role, the queue's
address takes a policy admin to the policies, and a page their role may not see answers a translated 403."""

import pytest
from django.urls import reverse

from rma.access import roles
from tests.rma.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_policy_admin_is_offered_no_queue_but_their_own_pages(client):
    client.force_login(UserFactory(username="pat", is_staff=True, role=roles.POLICY_ADMIN))
    page = client.get(reverse("agent:analytics:dashboard")).content.decode()
    assert f'href="{reverse("agent:queue")}">Queue<' not in page
    assert f'href="{reverse("admin:policies_returnpolicy_changelist")}"' in page
    assert f'href="{reverse("admin:rma_cannedreply_changelist")}"' in page


def test_a_policy_admin_opening_the_queue_lands_on_the_policies_not_the_login(client):
    client.force_login(UserFactory(username="pat", is_staff=True, role=roles.POLICY_ADMIN))
    response = client.get(reverse("agent:queue"))
    assert response.status_code == 302
    assert response.url == reverse("admin:policies_returnpolicy_changelist")
    assert client.get(response.url).status_code == 200


def test_staff_without_any_workspace_page_get_a_translated_403(client):
    client.force_login(UserFactory(username="nobody", is_staff=True))
    response = client.get(reverse("agent:queue"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role does not include this page" in page and 'action="/agent/logout/"' in page


def test_agents_still_see_the_queue_and_visitors_still_sign_in(client, agent):
    assert client.get(reverse("agent:queue")).url.startswith(reverse("agent:login"))
    client.force_login(agent)
    page = client.get(reverse("agent:queue"))
    assert page.status_code == 200
    assert f'href="{reverse("agent:queue")}">Queue<' in page.content.decode()
    assert reverse("admin:policies_returnpolicy_changelist") not in page.content.decode()


def test_a_signed_in_user_sent_to_the_login_page_by_a_page_of_another_role_gets_the_403_page(client):
    from tests.rma.workspace.test_agent_queue import make_case

    case = make_case(status="requested")
    client.force_login(UserFactory(username="pat", is_staff=True, role=roles.POLICY_ADMIN))
    response = client.get(f"/agent/cases/{case.rma_number}/", follow=True)
    assert response.status_code == 403
    assert "Your role does not include this page" in response.content.decode()
    assert 'name="password"' not in response.content.decode()


def test_the_login_page_still_signs_in_visitors_and_lets_a_signed_in_user_open_it_plainly(client, agent):
    assert 'name="password"' in client.get(f"{reverse('agent:login')}?next=/agent/").content.decode()
    client.force_login(agent)
    assert client.get(reverse("agent:login")).status_code == 200  # no next: someone switching accounts
