"""A gift return in Italian through a real browser (issue #18 item 7): the recipient types the order number and
the gift code from the slip, chooses store credit, and gets the emails; the buyer gets nothing."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from rma.access import gifts
from rma.cases.models import ReturnCase, StoreCreditEntry
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import violations
from tests.rma.factories import OrderFactory, OrderLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_gift_return_in_italian_gives_store_credit_and_tells_the_buyer_nothing(live_server, new_page, eu_policy):
    order = OrderFactory(customer__email="mario.buyer@example.com", customer__language="it")
    OrderLineFactory(order=order, name="Sciarpa di seta", quantity=1, unit_price="60.00")
    code = gifts.gift_code_text(gifts.gift_code_current(order=order))
    with translation.override("it"):
        t = {key: gettext(key) for key in (
            "Returning a gift? Use the gift code from the gift slip", "Order number (on the gift slip)", "Gift code",
            "Your name", "Your email address", "Continue", "Store credit", "Request the return", "Too small",
        )}  # fmt: skip
    page = new_page(locale="it-IT")
    page.goto(f"{live_server.url}/it/")
    page.get_by_role("link", name=t["Returning a gift? Use the gift code from the gift slip"]).click()
    page.wait_for_url("**/it/gift/")
    assert violations(page) == []
    page.get_by_label(t["Order number (on the gift slip)"]).fill(f"#{order.number}")
    page.get_by_label(t["Gift code"]).fill(code.lower())
    page.get_by_label(t["Your name"]).fill("Chiara Verdi")
    page.get_by_label(t["Your email address"]).fill("chiara@example.com")
    page.get_by_role("button", name=t["Continue"]).click()
    page.wait_for_url("**/it/gift/items/")
    assert violations(page) == []
    content = page.content()
    assert "Sciarpa di seta" in content and 'value="refund"' not in content  # never a refund to the buyer's card
    page.get_by_label("Sciarpa di seta").fill("1")
    page.get_by_label(t["Store credit"]).check()
    screenshot(page, "gift-return-it")
    page.get_by_role("button", name=t["Request the return"]).click()
    page.wait_for_url("**/it/cases/*/")
    case = ReturnCase.objects.get()
    assert case.gift and case.customer.email == "chiara@example.com" and case.rma_number in page.content()
    assert case.items.get().resolution == "store_credit"
    assert violations(page) == []
    assert mail.outbox and all(message.to == ["chiara@example.com"] for message in mail.outbox)
    assert not StoreCreditEntry.objects.filter(account__customer=order.customer).exists()
