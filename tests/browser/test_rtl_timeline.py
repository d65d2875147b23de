"""Arabic case page: the timeline dots sit beside each entry's first letter, never on it (logical CSS)."""

import pytest

from rma.cases.models import ReturnCase
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where each timeline dot is and where its entry's text starts, measured in the page.
MEASURE = """() => [...document.querySelectorAll('ol.timeline li')].map(li => {
    const box = li.getBoundingClientRect(), dot = getComputedStyle(li, '::before');
    const rtl = getComputedStyle(li).direction === 'rtl';
    const offset = parseFloat(rtl ? dot.right : dot.left), width = parseFloat(dot.width);
    const start = rtl ? box.right - offset - width : box.left + offset;  // the dot's left edge
    const text = li.querySelector('strong').getBoundingClientRect();
    return {rtl, dotLeft: start, dotRight: start + width, textLeft: text.left, textRight: text.right};
})"""


@pytest.mark.parametrize("language", ["ar", "it"])
def test_timeline_dots_do_not_cover_the_text(live_server, new_page, eu_policy, language):
    order = OrderFactory(customer__email=f"rtl-{language}@example.com")
    line = OrderLineFactory(order=order, name="Jacket", quantity=1)
    page = new_page(viewport={"width": 800, "height": 900})
    page.goto(f"{live_server.url}/{language}/")
    page.fill("#id_order_number", order.number)
    page.fill("#id_email", order.customer.email)
    page.locator(".card form button[type=submit]").click()
    page.wait_for_url(f"**/{language}/verify/")
    page.fill("#id_code", sent_code(order.customer.email))
    page.locator(".card form button[type=submit]").click()
    page.wait_for_url(f"**/orders/{order.number}/return/")
    page.fill(f"#id_qty_{line.id}", "1")
    page.select_option(f"#id_reason_{line.id}", "too_small")
    page.locator("form.card button[type=submit]:not([name])").click()
    page.wait_for_url("**/cases/*/")
    assert ReturnCase.objects.get().language == language
    entries = page.evaluate(MEASURE)
    assert len(entries) >= 2
    for entry in entries:
        assert entry["rtl"] == (language == "ar")
        if entry["rtl"]:
            assert entry["textRight"] <= entry["dotLeft"], entry  # text ends before the dot on its right
        else:
            assert entry["textLeft"] >= entry["dotRight"], entry
    timeline = page.locator("ol.timeline")
    timeline.scroll_into_view_if_needed()
    screenshot(page, f"timeline-{language}")
    timeline.screenshot(path=str(ARTIFACTS / f"timeline-{language}-close.png"))
