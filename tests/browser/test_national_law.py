"""A customer follows the portal's link to the FAQ and reads the law of their own country, marked as theirs."""

import pytest

from tests.policies.factories import RegionCountryFactory
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_portuguese_customer_reads_the_three_year_guarantee_of_portugal(live_server, new_page, eu_policy):
    RegionCountryFactory(region=eu_policy.region, country="PT")
    order = OrderFactory(customer__language="en", customer__country="PT", customer__email="ana@example.com")
    OrderLineFactory(order=order, name="Kettle", category="electronics", quantity=1, unit_price="40.00")

    page = new_page()
    page.goto(f"{live_server.url}/en/")
    page.fill("#id_order_number", order.number)
    page.fill("#id_email", order.customer.email)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/en/verify/")
    page.fill("#id_code", sent_code(order.customer.email))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/return/")

    page.get_by_role("link", name="Questions about returning? Read the answers for your region.").click()
    page.wait_for_url("**/policies/**/faq/?country=PT")
    faults = page.locator("#faq-faults")
    faults.locator("summary").click()
    first_part = faults.locator(".faq-source", has_text="Under the law of").first  # the customer's country first
    assert "Portugal" in first_part.inner_text() and "Your country" in first_part.inner_text()
    assert "36 months" in faults.inner_text() and "DL 84/2021 Art. 12" in faults.inner_text()
