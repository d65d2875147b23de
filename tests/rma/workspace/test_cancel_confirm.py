"""Cancelling a return from the case page takes two steps, without JavaScript: a confirmation page, then the cancel."""

import re

import pytest

from tests.rma.workspace.test_agent_queue import make_case

pytestmark = pytest.mark.django_db


def confirm_form_fields(page: str) -> dict:
    """The fields the confirmation form posts: its hidden inputs and its submit button (without the CSRF token)."""
    form = page.split('id="confirm-action"', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form))
    fields.pop("csrfmiddlewaretoken", None)
    fields.update(re.findall(r'<button type="submit" name="([a-z_]+)" value="([a-z_]+)"', form))
    return fields


def test_cancel_shows_a_confirmation_page_and_only_the_confirmed_post_cancels(client, agent):
    case = make_case(status="label_issued")
    client.force_login(agent)
    url = f"/agent/cases/{case.rma_number}/action/"
    first = client.post(url, {"action": "cancel", "seen_status": "label_issued"})
    assert first.status_code == 200
    case.refresh_from_db()
    assert case.status == "label_issued"  # nothing happened yet
    page = first.content.decode()
    assert "Cancel return" in page and case.rma_number in page and "The customer is told" in page
    fields = confirm_form_fields(page)
    assert fields == {"action": "cancel", "seen_status": "label_issued", "confirmed": "yes"}
    assert f'href="/agent/cases/{case.rma_number}/"' in page  # the way back, keeping the case
    second = client.post(url, fields)
    assert second.status_code == 302
    case.refresh_from_db()
    assert case.status == "cancelled"


def test_the_confirmation_of_a_case_changed_meanwhile_is_refused(client, agent):
    case = make_case(status="label_issued")
    client.force_login(agent)
    url = f"/agent/cases/{case.rma_number}/action/"
    fields = confirm_form_fields(client.post(url, {"action": "cancel", "seen_status": "label_issued"}).content.decode())
    type(case).objects.filter(pk=case.pk).update(status="in_transit")  # the parcel was scanned meanwhile
    response = client.post(url, fields)
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == "in_transit"


def test_other_actions_run_at_once(client, agent):
    case = make_case(status="requested")
    client.force_login(agent)
    response = client.post(f"/agent/cases/{case.rma_number}/action/", {"action": "claim"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == agent
