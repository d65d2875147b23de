"""A customer files a return in Italian through the real pages; an agent processes it to refunded."""

import pytest

from rma.access import roles
from rma.cases.models import ReturnCase
from tests.browser.conftest import screenshot
from tests.rma.factories import OrderFactory, OrderLineFactory, UserFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_italian_customer_files_a_return_and_an_agent_refunds_it(live_server, new_page, eu_policy):
    order = OrderFactory(customer__language="it", customer__email="giulia@example.com")
    OrderLineFactory(order=order, name="Giacca in lana", quantity=1, unit_price="129.00")
    OrderLineFactory(order=order, name="Tazza personalizzata", category="personalised", quantity=1)
    UserFactory(username="alex", role=roles.AGENT)

    page = new_page(locale="it-IT")
    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/it/")
    page.get_by_label("Numero d'ordine").fill(order.number)
    page.get_by_label("Indirizzo email").fill("nobody@example.com")
    page.get_by_role("button", name="Trova").click()
    assert page.locator(".errorlist").first.is_visible()  # generic message, typed order number kept
    assert page.get_by_label("Numero d'ordine").input_value() == order.number
    page.get_by_label("Indirizzo email").fill("giulia@example.com")
    page.get_by_role("button", name="Trova").click()
    page.wait_for_url("**/it/verify/")
    page.fill("#id_code", sent_code("giulia@example.com"))
    page.locator(".card form button[type=submit]").click()

    page.wait_for_url("**/return/")
    assert "129,00\xa0€" in page.locator("main").inner_text()
    # A personalised mug cannot go back for a change of mind, only if faulty: the page says so in red.
    # The form asks for the items first, then why and what the customer would like for each.
    mug = page.locator(".item-pick", has_text="Tazza personalizzata")
    assert mug.locator("p.ineligible").count() == 1
    page.locator(".item-pick", has_text="Giacca in lana").get_by_label("Quantità").fill("1")
    page.locator("fieldset", has_text="Giacca in lana").get_by_label("Motivo").select_option("too_small")
    screenshot(page, "portal-it-order")
    page.locator("form.card button[type=submit]:not([name])").click()

    page.wait_for_url("**/cases/*/")
    case = ReturnCase.objects.get()
    assert case.rma_number in page.content() and case.language == "it"
    with page.expect_download() as download:
        page.locator("a.button[href$='label.pdf']").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    screenshot(page, "portal-it-case")

    agent = new_page(locale="en-GB")
    agent.goto(f"{live_server.url}/agent/")
    agent.get_by_label("Username").fill("alex")
    agent.get_by_label("Password").fill("pw-for-tests")
    agent.get_by_role("button", name="Log in").click()
    agent.get_by_role("link", name=case.rma_number).click()
    agent.get_by_role("button", name="Mark as received", exact=True).click()
    inspection = agent.locator(".card", has_text="Inspect:")
    inspection.get_by_label("Condition").select_option("good")
    inspection.get_by_label("Disposition").select_option("restock")
    inspection.get_by_role("button", name="Save the inspection").click()
    refund = agent.locator("details.action-form").filter(has=agent.get_by_text("Refund", exact=True))
    refund.locator("summary").click()
    refund.get_by_role("button", name="Refund", exact=True).click()
    agent.get_by_role("button", name="Close", exact=True).click()
    agent.wait_for_load_state()
    assert agent.locator(".badge").first.inner_text() == "Closed"
    timeline = agent.locator("ol.timeline").inner_text()
    assert "Refund of €129.00 paid" in timeline
    screenshot(agent, "agent-case-closed")
    assert ReturnCase.objects.get().status == "closed"

    page.reload()
    assert "Il Suo rimborso" in page.content() or "rimborso" in page.content().lower()
