"""axe-core (vendored from the npm registry) finds no serious or critical violation on any portal page,
in any shipped language."""

import pytest
from django.conf import settings

from rma.access import gifts
from rma.cases import services
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page) -> list[str]:
    # From the site's own static files, as a script tag with a src: the CSP refuses an inline copy.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_portal_pages_have_no_serious_accessibility_violations(live_server, new_page, eu_policy, language):
    order = OrderFactory(customer__email=f"a11y-{language}@example.com")
    line = OrderLineFactory(order=order, name="Jacket", quantity=2)
    case = services.case_open(customer=order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language=language)  # fmt: skip
    page = new_page()
    found = {}
    page.goto(f"{live_server.url}/{language}/")
    found["lookup"] = violations(page)
    page.fill("#id_order_number", order.number)
    page.fill("#id_email", order.customer.email)
    page.locator(".card form button[type=submit]").click()
    page.wait_for_url("**/verify/")
    found["verify"] = violations(page)
    page.fill("#id_code", sent_code(order.customer.email))
    page.locator(".card form button[type=submit]").click()
    page.wait_for_url("**/return/")
    found["order"] = violations(page)
    page.goto(f"{live_server.url}/{language}/cases/{case.rma_number}/")
    found["case"] = violations(page)
    page.goto(f"{live_server.url}/{language}/withdraw/")
    found["withdraw"] = violations(page)
    page.goto(f"{live_server.url}/{language}/gift/")
    found["gift"] = violations(page)
    page.fill("#id_order_number", order.number)
    page.fill("#id_gift_code", gifts.gift_code_text(gifts.gift_code_current(order=order)))
    page.fill("#id_name", "Chiara")
    page.fill("#id_email", f"gift-{language}@example.com")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/gift/items/")
    found["gift_items"] = violations(page)
    page.goto(f"{live_server.url}/{language}/preferences/")
    found["preferences"] = violations(page)
    page.goto(f"{live_server.url}/{language}/policies/{eu_policy.region.code}/faq/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # check the answers too
    found["faq"] = violations(page)
    assert {name: v for name, v in found.items() if v} == {}
