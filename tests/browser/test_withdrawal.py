"""The EU withdrawal function in a real browser: the form acts on nothing; the emailed link opens the return."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from returns_portal.formatting import format_date
from rma.access import tokens
from rma.cases import services
from rma.cases.models import ReturnCase, WithdrawalStatement
from tests.browser.conftest import screenshot
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


def test_a_late_withdrawal_in_japanese_is_told_plainly_with_the_guarantee_left(live_server, new_page, eu_policy):
    """Issue #18 item 3: a customer in Germany who reads Japanese withdraws 60 days after delivery."""
    order = OrderFactory(customer__email="yuki@example.com", customer__language="ja", customer__country="DE",
                         delivered_on=timezone.localdate() - datetime.timedelta(days=60))  # fmt: skip
    OrderLineFactory(order=order, name="電気ケトル", quantity=1, category="electronics")
    with translation.override("ja"):
        t = {key: gettext(key) for key in ("Withdraw from contract here", "Your name", "Order number",
                                           "Email address used for the order", "Continue",
                                           "Confirm withdrawal here", "Withdrawal sent",
                                           "Your withdrawal arrived after the withdrawal period",
                                           "Report a fault on our returns page", "Open my return")}  # fmt: skip
    page = new_page(locale="ja-JP")
    page.goto(f"{live_server.url}/ja/")
    page.get_by_role("link", name=t["Withdraw from contract here"]).click()
    page.get_by_label(t["Your name"]).fill("田中 由紀")
    page.get_by_label(t["Order number"]).fill(order.number)
    page.get_by_label(t["Email address used for the order"]).fill("yuki@example.com")
    page.get_by_role("button", name=t["Continue"]).click()
    page.get_by_role("button", name=t["Confirm withdrawal here"]).click()
    page.get_by_role("heading", name=t["Withdrawal sent"]).wait_for()
    assert "電気ケトル" not in page.content()  # nothing about the order before the emailed link

    ack = next(m for m in mail.outbox if order.number in m.subject)
    link = re.search(r"(https?://\S+/withdraw/items/\S+/)", ack.body)
    assert link is None  # nothing can be chosen: the email explains instead of sending a link that leads nowhere
    statement = WithdrawalStatement.objects.get()
    items = new_page(locale="ja-JP")
    items.goto(f"{live_server.url}/ja/withdraw/items/{tokens.withdrawal_link_token(statement)}/")
    items.get_by_role("heading", name=t["Your withdrawal arrived after the withdrawal period"]).wait_for()
    assessment = services.withdrawal_assess(statement=statement)
    with translation.override("ja"):
        ended, guarantee = (format_date(d, "long") for d in (assessment.period_ended_on, assessment.guarantee_until))
    text = items.inner_text("main")
    assert ended in text and guarantee in text
    assert items.get_by_role("button", name=t["Open my return"]).count() == 0  # nothing to open
    assert violations(items) == []
    screenshot(items, "withdrawal-late-ja")
    items.get_by_role("link", name=t["Report a fault on our returns page"]).click()
    items.wait_for_url("**/ja/")
    assert not ReturnCase.objects.exists()
