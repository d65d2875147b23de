"""The return form in a real browser, in Italian and Japanese: a remedy the shop refuses after submit is shown
at its item with the photo kept, the error summary takes focus, a return of items from several orders, and
the step picker on a 390 px phone; axe-core checks each of these pages."""

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from rma.cases import services
from rma.cases.models import ReturnCase, ReturnItemPhoto
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import violations
from tests.policies.factories import PolicyRuleFactory
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = [("it", "it-IT"), ("ja", "ja-JP")]
SUBMIT = "main form.card button[type=submit]:not([name])"


def photo(tmp_path):
    path = tmp_path / "shirt.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 90, 160)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def settle(page):
    page.wait_for_timeout(400)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def sign_in(page, live_server, lang, order):
    page.goto(f"{live_server.url}/{lang}/")
    page.fill("#id_order_number", f"#{order.number}")  # as printed on the receipt, with the "#"
    page.fill("#id_email", order.customer.email)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/{lang}/verify/")
    page.fill("#id_code", sent_code(order.customer.email))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/return/")


def text(lang, message, **params):
    with translation.override(lang):
        return gettext(message) % params if params else gettext(message)


@pytest.fixture
def shop(eu_policy):
    eu_policy.resolutions = ["refund", "store_credit", "exchange"]
    eu_policy.save()
    return eu_policy


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_a_refused_remedy_is_shown_at_its_item_with_the_photo_kept(live_server, new_page, shop, tmp_path, lang, locale):
    # From a customer's second return on, the shop only refunds (an override rule of its policy).
    PolicyRuleFactory(policy=shop, min_previous_returns=1, resolutions=["refund"])
    order = OrderFactory(number="1001", customer__language=lang, customer__email=f"refused-{lang}@example.com")
    shirt = OrderLineFactory(order=order, name="Shirt", quantity=1, unit_price="40.00",
                             image_url="/static/img/demo-shirt.png")  # fmt: skip
    earlier = OrderLineFactory(order=OrderFactory(customer=order.customer), name="Scarf")
    page = new_page(locale=locale)
    sign_in(page, live_server, lang, order)
    assert page.locator(f"#item-{shirt.id} img.product-image").is_visible()
    page.fill(f"[name=qty_{shirt.id}]", "1")
    page.select_option(f"[name=reason_{shirt.id}]", "too_small")
    settle(page)
    resolution = page.locator(f"[name=resolution_{shirt.id}]")
    offered = resolution.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert offered == ["refund", "store_credit", "exchange"]  # repair and replacement are for faults only
    resolution.select_option("exchange")
    page.fill(f"[name=wish_{shirt.id}]", "M")
    page.set_input_files(f"[name=photos_{shirt.id}]", [photo(tmp_path)])
    settle(page)
    # Meanwhile another return is filed (another tab): the rule now applies to this request.
    services.case_open(customer=order.customer, language=lang,
                       items=[services.ItemRequest(order_line=earlier, quantity=1, reason="too_small")])  # fmt: skip
    page.locator(SUBMIT).click()
    page.wait_for_load_state()
    item = page.locator(f"#line-{shirt.id}")
    assert text(lang, "For this item and reason you can choose: %(choices)s.", choices="")[:6] in item.inner_text()
    assert text(lang, "Photo %(number)s: attached", number=1) in item.inner_text()
    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    page.wait_for_function("() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator(f"[name=qty_{shirt.id}]").input_value() == "1"  # nothing typed is lost
    assert page.locator(f"[name=wish_{shirt.id}]").input_value() == "M"
    screenshot(page, f"return-form-{lang}-refused-at-item")
    assert violations(page) == []
    # The summary's link leads to the field in error.
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.name") == f"resolution_{shirt.id}"
    page.locator(f"[name=resolution_{shirt.id}]").select_option("refund")
    page.locator(SUBMIT).click()
    page.wait_for_url("**/cases/*/")
    case = ReturnCase.objects.get(items__order_line=shirt)
    assert case.items.get().resolution == "refund"
    assert ReturnItemPhoto.objects.filter(item__case=case).count() == 1  # the photo sent once, before the error


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_items_from_two_orders_go_back_in_one_return(live_server, new_page, shop, lang, locale):
    order = OrderFactory(number="2001", customer__language=lang, customer__email=f"multi-{lang}@example.com")
    shirt = OrderLineFactory(order=order, name="Shirt", quantity=1, unit_price="40.00")
    second = OrderFactory(number="2002", customer=order.customer)
    scarf = OrderLineFactory(order=second, name="Scarf", quantity=2, unit_price="20.00")
    page = new_page(locale=locale)
    sign_in(page, live_server, lang, order)
    page.locator(f"a[href='/{lang}/return/']").first.click()
    page.wait_for_url(f"**/{lang}/return/")
    assert page.locator("h3.order-heading").count() == 2
    for line, reason in ((shirt, "too_small"), (scarf, "change_of_mind")):
        page.fill(f"[name=qty_{line.id}]", "1")
        page.select_option(f"[name=reason_{line.id}]", reason)
        settle(page)
        page.locator(f"[name=resolution_{line.id}]").select_option("refund")
    page.locator("input[name=return_method]").first.check()
    settle(page)
    summary = page.locator("#return-summary").inner_text()
    assert "Shirt" in summary and "Scarf" in summary
    assert violations(page) == []
    screenshot(page, f"return-form-{lang}-two-orders")
    page.locator(SUBMIT).click()
    page.wait_for_url("**/cases/*/")
    case = ReturnCase.objects.get()
    assert {item.order_line.order.number for item in case.items.all()} == {"2001", "2002"}


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_the_step_picker_on_a_phone(live_server, new_page, shop, lang, locale):
    order = OrderFactory(number="3001", customer__language=lang, customer__email=f"steps-{lang}@example.com")
    shirt = OrderLineFactory(order=order, name="Shirt", quantity=1, unit_price="40.00",
                             image_url="/static/img/demo-shirt.png")  # fmt: skip
    other = OrderLineFactory(order=order, name="Belt", quantity=1, unit_price="15.00")
    page = new_page(locale=locale, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(page, live_server, lang, order)
    progress = page.locator("[data-step-progress]")
    assert progress.is_visible() and "1" in progress.inner_text() and "4" in progress.inner_text()
    assert page.locator("#step-items").is_visible() and not page.locator("#step-reasons").is_visible()
    assert violations(page) == []
    # Next without an item stays on the first step and says why.
    page.locator("#step-items [data-step-next]").click()
    assert page.locator("#step-items").is_visible()
    page.fill(f"[name=qty_{shirt.id}]", "1")
    page.locator("#step-items [data-step-next]").click()
    assert page.locator("#step-reasons").is_visible() and not page.locator("#step-items").is_visible()
    assert page.evaluate("document.activeElement.id") == "step-reasons-title"
    assert page.locator(f"#line-{shirt.id}").is_visible() and not page.locator(f"#line-{other.id}").is_visible()
    page.select_option(f"[name=reason_{shirt.id}]", "too_small")
    settle(page)
    page.locator(f"[name=resolution_{shirt.id}]").select_option("store_credit")
    screenshot(page, f"return-form-{lang}-phone-step-2")
    page.locator("#step-reasons [data-step-next]").click()
    assert page.evaluate("document.activeElement.id") == "step-method-title"
    page.locator("input[name=return_method]").first.check()
    page.locator("#step-method [data-step-next]").click()
    settle(page)
    assert page.locator("#step-summary").is_visible() and "Shirt" in page.locator("#return-summary").inner_text()
    page.locator("#step-summary [data-step-back]").click()
    assert page.locator("#step-method").is_visible()
    page.locator("#step-method [data-step-next]").click()
    assert violations(page) == []
    screenshot(page, f"return-form-{lang}-phone-summary")
    page.locator(SUBMIT).click()
    page.wait_for_url("**/cases/*/")
    assert ReturnCase.objects.get().items.get().resolution == "store_credit"


def test_the_error_summary_takes_focus_on_a_phone_and_opens_the_step_of_the_field(live_server, new_page, shop):
    order = OrderFactory(number="4001", customer__language="ja", customer__email="summary@example.com")
    shirt = OrderLineFactory(order=order, name="Shirt", quantity=1, unit_price="40.00")
    page = new_page(locale="ja-JP", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(page, live_server, "ja", order)
    page.fill(f"[name=qty_{shirt.id}]", "1")
    page.locator("#step-items [data-step-next]").click()
    page.locator("#step-reasons [data-step-next]").click()
    page.locator("#step-method [data-step-next]").click()
    page.locator(SUBMIT).click()  # no reason given
    page.wait_for_load_state()
    page.wait_for_function("() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert text("ja", "Tell us why you are returning this item.") in page.locator("[data-error-summary]").inner_text()
    assert violations(page) == []
    page.locator("[data-error-summary] a").first.click()
    assert page.locator("#step-reasons").is_visible()
    assert page.evaluate("document.activeElement.name") == f"reason_{shirt.id}"
