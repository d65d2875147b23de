"""A variant exchange from the catalogue, clicked through in Italian and Chinese (#18 item 5): the customer
picks another colour in stock, sees the price difference in their own money format, the unit is held for
them at filing and given back when they cancel."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from rma.cases.models import ReturnCase, StockReservation
from rma.orders.models import Variant
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import violations
from tests.browser.test_customer_journeys import settle
from tests.rma.factories import OrderFactory, OrderLineFactory, ProductFactory, VariantFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# language, browser locale, the 10.00 EUR difference in that locale
JOURNEYS = [("it", "it-IT", "10,00\xa0€"), ("zh-hans", "zh-CN", "€10.00")]


@pytest.mark.parametrize(("lang", "locale", "difference"), JOURNEYS)
def test_a_variant_exchange_from_the_catalogue_by_clicking(live_server, new_page, eu_policy, lang, locale, difference):
    jacket = ProductFactory(name="Giacca in lana", image_url="/static/catalog/demo/blue.svg")
    blue = VariantFactory(product=jacket, options={"size": "M", "colour": "Blu"}, price="129.00")
    green = VariantFactory(product=jacket, options={"size": "M", "colour": "Verde"}, price="139.00", stock=1,
                           image_url="/static/catalog/demo/green.svg")  # fmt: skip
    sold_out = VariantFactory(product=jacket, options={"size": "L", "colour": "Blu"}, price="129.00", stock=0)
    order = OrderFactory(customer__language=lang, customer__country="IT", customer__email=f"{lang}@example.com")
    line = OrderLineFactory(order=order, name="Giacca in lana", sku=blue.sku, variant=blue, quantity=1,
                            unit_price="129.00")  # fmt: skip

    page = new_page(locale=locale)
    page.goto(f"{live_server.url}/{lang}/")
    page.fill("#id_order_number", order.number)
    page.fill("#id_email", order.customer.email)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/{lang}/verify/")
    page.fill("#id_code", sent_code(order.customer.email))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/return/")

    picker = page.locator(f"#exchange-{line.id}")
    assert "Verde" in picker.inner_text() and difference in picker.inner_text()
    assert page.locator(f"input[name=variant_{line.id}][value='{sold_out.pk}']").count() == 0  # only in stock
    assert picker.locator("img").first.evaluate("img => img.naturalWidth") > 0  # the product image loads
    page.fill(f"[name=qty_{line.id}]", "1")
    page.select_option(f"[name=reason_{line.id}]", "too_small")
    settle(page)  # the item's choices are fetched again for the reason (HTMX)
    page.select_option(f"[name=resolution_{line.id}]", "exchange")
    settle(page)
    picker.locator("label", has_text="Verde").click()
    assert page.locator(f"input[name=variant_{line.id}][value='{green.pk}']").is_checked()
    screenshot(page, f"catalog-exchange-{lang}-1-picker")
    assert violations(page) == []  # axe: the picker's radios, images and labels
    page.locator("main form.card button[type=submit]:not([name])").click()
    page.wait_for_url("**/cases/*/")

    case = ReturnCase.objects.get()
    item = case.items.get()
    assert case.kind == "exchange" and item.exchange_variant == green
    assert item.exchange_difference == 10 and item.reservation.status == StockReservation.Status.HELD
    assert Variant.objects.get(pk=green.pk).available == 0  # the last unit is kept for this customer
    assert "Verde" in page.locator("main").inner_text() and difference in page.locator("main").inner_text()
    screenshot(page, f"catalog-exchange-{lang}-2-filed")

    page.locator("form[action$='/cancel/'] button").click()
    page.wait_for_load_state()
    with translation.override(lang):
        assert gettext("You cancelled this return.") in page.locator("main").inner_text()
    assert Variant.objects.get(pk=green.pk).available == 1  # given back
    assert StockReservation.objects.get().status == StockReservation.Status.RELEASED
