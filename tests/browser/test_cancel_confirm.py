"""An agent cancels a return by clicking: the case page's button opens a confirmation page; going back keeps the
case, confirming cancels it. Plain forms and links: it works the same without JavaScript."""

import pytest
from playwright.sync_api import expect

from rma.access import roles
from rma.cases.models import ReturnCase
from tests.browser.conftest import screenshot
from tests.browser.test_agent_queue import log_in
from tests.rma.factories import UserFactory
from tests.rma.workspace.test_agent_queue import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False])
def test_cancel_asks_first_and_going_back_keeps_the_case(live_server, new_page, javascript):
    agent = UserFactory(username="alex", role=roles.AGENT)
    case = make_case(status="label_issued", assignee=agent)
    page = new_page(java_script_enabled=javascript)
    log_in(page, live_server.url, username="alex")
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")

    question = page.get_by_text(f"Cancel return {case.rma_number}? The customer is told")
    page.get_by_role("button", name="Cancel the return").click()
    expect(question).to_be_visible()
    screenshot(page, f"cancel-confirm-js-{javascript}")
    page.get_by_role("link", name="No, back to the case").click()
    page.wait_for_url(f"**/agent/cases/{case.rma_number}/")
    assert ReturnCase.objects.get(pk=case.pk).status == "label_issued"

    page.get_by_role("button", name="Cancel the return").click()
    expect(question).to_be_visible()
    page.get_by_role("button", name="Cancel the return").click()
    expect(page.get_by_text("Done: Cancel the return.")).to_be_visible()
    assert ReturnCase.objects.get(pk=case.pk).status == "cancelled"
