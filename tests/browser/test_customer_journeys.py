"""The customer journey in three languages through a real browser: a damage claim with photos, an exchange
with its live summary, and a cancellation. Screenshots of each step land in test-artifacts/."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from policies.models import ReturnPolicy
from rma.cases.models import ReturnCase
from tests.browser.conftest import screenshot
from tests.policies.factories import ReturnCenterFactory
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# language, browser locale, customer country, the 5.90 label fee and a 90.00 refund in that locale
JOURNEYS = [
    ("de", "de-DE", "DE", "5,90\xa0€", "90,00\xa0€"),
    ("ja", "ja-JP", "IT", "€5.90", "€90.00"),
    ("ar", "ar-EG", "FR", "5.90\xa0€", "90.00\xa0€"),
]


def photo(tmp_path):
    path = tmp_path / "parcel.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 40, 40)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def settle(page):
    """Let the summary's HTMX request (sent 300 ms after a change) finish before the next step."""
    page.wait_for_timeout(400)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


@pytest.mark.parametrize(("lang", "locale", "country", "fee", "refund"), JOURNEYS)
def test_damage_claim_with_photos_exchange_and_cancellation(
    live_server, new_page, eu_policy, tmp_path, lang, locale, country, fee, refund
):
    ReturnPolicy.objects.filter(pk=eu_policy.pk).update(
        return_label_fee=Decimal("5.90"), currency="EUR", auto_approve=False,
        return_methods=["mail_label", "drop_off_qr", "return_center"],
    )  # fmt: skip
    ReturnCenterFactory(name="Returns Centre Milano", countries_served=["IT", "DE", "FR"])
    order = OrderFactory(customer__language=lang, customer__country=country, customer__email=f"{lang}@example.com")
    vase = OrderLineFactory(order=order, name="Vase", category="home", quantity=1, unit_price="90.00")
    shirt = OrderLineFactory(order=order, name="Shirt", quantity=1, unit_price="40.00")

    page = new_page(locale=locale)
    page.goto(f"{live_server.url}/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.fill("#id_order_number", order.number)
    page.fill("#id_email", order.customer.email)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/{lang}/verify/")
    page.fill("#id_code", sent_code(order.customer.email))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/return/")
    url = page.url

    # 1. The vase arrived broken: a photo is required; the summary updates live as the form changes.
    page.fill(f"[name=qty_{vase.id}]", "1")
    page.select_option(f"[name=reason_{vase.id}]", "damaged_in_transit")
    page.locator(f"[name=resolution_{vase.id}]").select_option("refund")
    page.locator("input[name=return_method][value=drop_off_qr]").check()
    summary = page.locator("#return-summary table.quote")
    summary.wait_for()  # HTMX swapped the summary in, without a reload
    settle(page)
    assert page.url == url and "Vase" in page.locator("#return-summary").inner_text()
    assert refund in page.locator("#return-summary").inner_text()  # the shop pays shipping for damage
    page.locator("main form.card button[type=submit]:not([name])").click()  # no photo yet
    with translation.override(lang):
        missing_photo = gettext("Add at least one photo of the parcel and the item.")
    assert missing_photo in page.locator(f"#line-{vase.id}").inner_text()
    assert page.locator(f"[name=qty_{vase.id}]").input_value() == "1"  # nothing typed is lost
    page.set_input_files(f"[name=photos_{vase.id}]", [photo(tmp_path)])
    settle(page)
    screenshot(page, f"journey-{lang}-1-damage-claim")
    page.locator("main form.card button[type=submit]:not([name])").click()
    page.wait_for_url("**/cases/*/")
    claim = ReturnCase.objects.get(kind="delivery")
    assert claim.items.get().photos.count() == 1 and claim.language == lang
    screenshot(page, f"journey-{lang}-2-claim-filed")

    # 2. The shirt is too small. As a refund the customer would pay the label; as an exchange, nothing.
    page.goto(url)
    page.fill(f"[name=qty_{shirt.id}]", "1")
    page.select_option(f"[name=reason_{shirt.id}]", "too_small")
    page.locator("#return-summary table.quote").wait_for()
    settle(page)
    assert fee in page.locator("#return-summary").inner_text()
    page.select_option(f"[name=resolution_{shirt.id}]", "exchange")
    page.fill(f"[name=wish_{shirt.id}]", "L")
    page.locator("input[name=return_method][value=drop_off_qr]").check()
    settle(page)
    page.locator("button[name=review]").click()
    settle(page)
    assert "Shirt" in page.locator("#return-summary").inner_text()
    assert fee not in page.locator("#return-summary").inner_text()
    screenshot(page, f"journey-{lang}-3-exchange-summary")
    page.locator("main form.card button[type=submit]:not([name])").click()
    page.wait_for_url("**/cases/*/")
    exchange = ReturnCase.objects.get(kind="exchange")
    assert exchange.items.get().exchange_wish == "L" and exchange.return_method == "drop_off_qr"
    assert exchange.shipping_fee == 0  # an exchange brings no money back: no label fee

    # 3. The customer changes their mind and cancels the exchange before sending anything.
    page.locator("form[action$='/cancel/'] button").click()
    page.wait_for_load_state()
    exchange.refresh_from_db()
    assert exchange.status == "cancelled"
    with translation.override(lang):
        assert gettext("You cancelled this return.") in page.locator("main").inner_text()
    screenshot(page, f"journey-{lang}-4-cancelled")

    # The damage claim's refund, as the summary promised it, in the customer's own number format.
    page.goto(f"{live_server.url}/{lang}/cases/{claim.rma_number}/")
    assert refund in page.locator("main").inner_text()
