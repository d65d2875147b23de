"""An agent takes over a colleague's case, and fixes a return address then makes the label again, by clicking
the case page's visible controls (#17 items 5 and 6)."""

import pytest

from rma.access import roles
from rma.cases import services
from rma.cases.models import CaseEvent, ReturnCase
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import violations
from tests.browser.test_agent_queue import log_in
from tests.rma.factories import OrderFactory, OrderLineFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def file(line):
    return services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )


def test_an_agent_takes_over_a_colleagues_case_then_decides_it(live_server, new_page, eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    UserFactory(username="alex", first_name="Alex", role=roles.AGENT)
    chris = UserFactory(username="chris", first_name="Chris", role=roles.AGENT)
    case = file(OrderLineFactory())
    services.case_claim(case=ReturnCase.objects.get(pk=case.pk), actor=chris)

    page = new_page()
    log_in(page, live_server.url, username="alex")
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")
    actions = page.locator("#case-actions")
    assert actions.get_by_role("button", name="Approve", exact=True).count() == 0  # Chris's to decide
    assert violations(page) == []
    with page.expect_navigation():
        actions.get_by_role("button", name="Take over this case").click()
    assert "taken over by Alex from Chris" in page.locator("#case-assignment").inner_text()
    screenshot(page, "case-taken-over")
    with page.expect_navigation():
        page.locator("#case-actions").get_by_role("button", name="Approve", exact=True).click()
    case.refresh_from_db()
    assert case.assignee.username == "alex" and case.status in {"approved", "label_issued"}
    assert CaseEvent.objects.filter(case=case, kind="assignment", data__how="takeover", actor__username="alex")


def test_an_agent_corrects_the_return_address_and_makes_the_label_again(live_server, new_page, eu_policy):
    UserFactory(username="alex", first_name="Alex", role=roles.AGENT)
    order = OrderFactory(ship_street="Via Roma 1 🏠")  # a character the label's fonts cannot print
    case = file(OrderLineFactory(order=order))
    assert ReturnCase.objects.get(pk=case.pk).document_problems

    page = new_page()
    log_in(page, live_server.url, username="alex")
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")
    assert "cannot show these characters" in page.content()
    page.locator("summary", has_text="Correct the return address").click()
    street = page.get_by_label("Street and number")
    assert street.input_value() == "Via Roma 1 🏠"  # the address the label is made from now
    street.fill("Via Roma 1")
    assert violations(page) == []
    with page.expect_navigation():
        page.locator("#case-actions").get_by_role("button", name="Correct the return address", exact=True).click()
    assert CaseEvent.objects.get(case=case, kind="address").data["after"]["street"] == "Via Roma 1"
    assert "Return address corrected" in page.content()
    with page.expect_navigation():
        page.locator("#case-actions").get_by_role("button", name="Make the label again").click()
    screenshot(page, "case-label-made-after-address-fix")
    case.refresh_from_db()
    assert case.status == "label_issued" and case.document_problems == []
    assert case.shipment.tracking_number in page.content()
