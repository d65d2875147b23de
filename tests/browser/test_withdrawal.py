"""The EU withdrawal function in a real browser: the form acts on nothing; the emailed link opens the return."""

import re

import pytest
from django.core import mail

from rma.cases.models import ReturnCase
from tests.browser.test_accessibility import violations
from tests.rma.factories import OrderFactory, OrderLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_withdrawal_opens_its_return_only_from_the_emailed_link(live_server, new_page, eu_policy):
    order = OrderFactory(customer__email="maria@example.com")
    OrderLineFactory(order=order, name="Wool jacket", quantity=1)
    OrderLineFactory(order=order, name="Silk scarf", quantity=1)
    page = new_page()
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Withdraw from contract here").click()
    page.get_by_label("Your name").fill("Maria Rossi")
    page.get_by_label("Order number").fill(order.number)
    page.get_by_label("Email address used for the order").fill("maria@example.com")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/withdraw/confirm/")
    assert "Wool jacket" not in page.content()
    page.get_by_role("button", name="Confirm withdrawal here").click()
    page.get_by_role("heading", name="Withdrawal sent").wait_for()
    assert "Wool jacket" not in page.content() and not ReturnCase.objects.exists()

    ack = next(m for m in mail.outbox if "Acknowledgement of your withdrawal" in m.subject)
    link = re.search(r"(https?://\S+/withdraw/items/\S+/)", ack.body).group(1)
    other = new_page()  # the link works on another device, with no session
    other.goto(live_server.url + link[link.index("/en/") :])
    other.get_by_role("heading", name="Choose the items you send back").wait_for()
    assert violations(other) == []
    other.get_by_label("Silk scarf (up to 1)").fill("0")
    other.get_by_role("button", name="Open my return").click()
    other.wait_for_url("**/cases/*/")
    case = ReturnCase.objects.get()
    assert [item.order_line.name for item in case.items.all()] == ["Wool jacket"]
    assert case.rma_number in other.content()
    other.get_by_role("button", name="Sign out").click()
    other.goto(f"{live_server.url}/en/cases/{case.rma_number}/")
    assert "Wool jacket" not in other.content()
