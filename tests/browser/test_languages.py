"""The same smoke test in every shipped language; Arabic pages are mirrored right to left."""

import pytest
from django.conf import settings

from rma.cases.models import ReturnCase
from tests.browser.conftest import screenshot
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_find_an_order_and_file_a_return(live_server, new_page, eu_policy, language):
    order = OrderFactory(customer__email=f"smoke-{language}@example.com")
    line = OrderLineFactory(order=order, name="Jacket", quantity=1, unit_price="1234.50")
    page = new_page(locale="en-US", viewport={"width": 360, "height": 780})  # a small phone
    page.goto(f"{live_server.url}/{language}/")
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    page.fill("#id_order_number", order.number)
    page.fill("#id_email", order.customer.email)
    page.locator(".card form button[type=submit]").click()
    page.wait_for_url(f"**/{language}/verify/")
    page.fill("#id_code", sent_code(order.customer.email))
    page.locator(".card form button[type=submit]").click()
    page.wait_for_url(f"**/{language}/orders/{order.number}/return/")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # On a phone the form goes step by step: items, reasons, method, summary.
    page.fill(f"#id_qty_{line.id}", "1")
    page.locator("#step-items [data-step-next]").click()
    page.select_option(f"#id_reason_{line.id}", "too_small")
    screenshot(page, f"smoke-{language}-order")
    page.locator("#step-reasons [data-step-next]").click()
    page.locator("#step-method [data-step-next]").click()
    page.locator("form.card button[type=submit]:not([name])").click()
    page.wait_for_url("**/cases/*/")
    case = ReturnCase.objects.get()
    assert case.language == language and case.rma_number in page.content()
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > 361).slice(0, 5)
        .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    screenshot(page, f"smoke-{language}-case")
