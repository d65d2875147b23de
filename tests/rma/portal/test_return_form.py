"""The return form through the test client: only what can be granted, errors at the item with photos kept,
the error summary, items from several orders, and order numbers typed with or without "#"."""

import datetime
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from rma.cases import services
from rma.cases.models import PendingPhoto, ReturnCase, ReturnItemPhoto
from rma.privacy import services as privacy
from tests.policies.factories import PolicyRuleFactory
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import lookup

pytestmark = pytest.mark.django_db(transaction=True)


def photo(name="damage.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue())


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, flags=re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def fieldset(html: str, line) -> str:
    return re.search(rf'<fieldset class="line item-details"\s+id="line-{line.id}".*?</fieldset>', html,
                     flags=re.S).group(0)  # fmt: skip


@pytest.fixture
def shop(eu_policy):
    eu_policy.resolutions = ["refund", "store_credit"]
    eu_policy.store_credit_bonus_percent = 10
    eu_policy.save()
    order = OrderFactory(number="1001")
    line = OrderLineFactory(order=order, name="Linen shirt", unit_price="40.00", image_url="/static/img/demo-shirt.png")
    return order, line


def test_each_item_offers_only_what_its_policy_and_reason_allow_with_what_each_means(client, shop):
    order, line = shop
    lookup(client, order)
    page = client.get(f"/en/orders/{order.number}/return/").content.decode()
    # No reason yet: what any eligible reason allows; exchange is never offered by this policy.
    assert "exchange" not in options(page, f"resolution_{line.id}")
    assert "Credit to spend in the shop, with a bonus of 10%." in page
    assert 'src="/static/img/demo-shirt.png"' in page
    change_of_mind = client.post(f"/en/orders/{order.number}/return/",
                                 {f"reason_{line.id}": "too_small", "review": "1"}).content.decode()  # fmt: skip
    assert options(change_of_mind, f"resolution_{line.id}") == ["refund", "store_credit"]
    assert "Repair and replacement are only for faulty, damaged or wrong items." in change_of_mind
    fault = client.post(f"/en/orders/{order.number}/return/",
                        {f"reason_{line.id}": "defective", "review": "1"}).content.decode()  # fmt: skip
    assert {"repair", "replacement"} <= set(options(fault, f"resolution_{line.id}"))


def test_changing_the_reason_refreshes_that_items_choices_alone(client, shop):
    order, line = shop
    lookup(client, order)
    response = client.post(
        f"/en/orders/{order.number}/return/",
        {f"reason_{line.id}": "defective", "review": "1", "remedy_for": str(line.id)},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.strip().startswith('<div class="remedy" id="remedy-') and "<form" not in html
    assert "repair" in options(html, f"resolution_{line.id}")


def test_a_refused_remedy_is_shown_at_its_item_in_the_summary_and_photos_are_kept(client, shop):
    order, line = shop
    lookup(client, order)
    url = f"/en/orders/{order.number}/return/"
    response = client.post(url, {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small",
                                 f"resolution_{line.id}": "exchange", f"photos_{line.id}": [photo()]})  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and not ReturnCase.objects.exists()
    message = "For this item and reason you can choose: a refund to the original payment method and store credit."
    assert message in fieldset(html, line)
    summary = re.search(r'<div class="error-summary".*?</div>', html, flags=re.S).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert f'href="#id_resolution_{line.id}"' in summary and "Linen shirt" in summary
    # The photo is held for this session and shown as attached, with a control to remove it.
    kept = PendingPhoto.objects.get()
    assert "Photo 1: attached" in fieldset(html, line) and f'value="{kept.pk}"' in html
    # The next submit uses it, without sending it again.
    response = client.post(url, {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small",
                                 f"resolution_{line.id}": "store_credit"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert ReturnItemPhoto.objects.filter(item__case__customer=order.customer).count() == 1
    assert not PendingPhoto.objects.exists()


def test_an_attached_photo_can_be_removed_without_filing(client, shop):
    order, line = shop
    lookup(client, order)
    url = f"/en/orders/{order.number}/return/"
    client.post(url, {f"qty_{line.id}": "1", f"reason_{line.id}": "damaged_in_transit",
                      f"resolution_{line.id}": "refund", "review": "1", f"photos_{line.id}": [photo()]})  # fmt: skip
    kept = PendingPhoto.objects.get()
    response = client.post(url, {f"qty_{line.id}": "1", f"reason_{line.id}": "damaged_in_transit",
                                 f"resolution_{line.id}": "refund", "remove_photo": str(kept.pk)})  # fmt: skip
    assert response.status_code == 200 and not ReturnCase.objects.exists()
    assert not PendingPhoto.objects.exists()
    # Damage needs a photo: with none left, the request is refused at the photo field.
    response = client.post(url, {f"qty_{line.id}": "1", f"reason_{line.id}": "damaged_in_transit",
                                 f"resolution_{line.id}": "refund"})  # fmt: skip
    assert "Add at least one photo" in fieldset(response.content.decode(), line)


def test_abandoned_photos_are_purged_after_a_day(client, shop):
    order, line = shop
    lookup(client, order)
    client.post(f"/en/orders/{order.number}/return/", {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small",
                f"resolution_{line.id}": "exchange", f"photos_{line.id}": [photo()]})  # fmt: skip
    assert services.pending_photos_purge() == 0
    assert services.pending_photos_purge(now=timezone.now() + datetime.timedelta(days=2)) == 1
    assert not PendingPhoto.objects.exists()


def test_the_shops_refusal_names_the_item_and_lists_choices_the_chinese_way(shop, eu_policy):
    order, line = shop
    eu_policy.resolutions = ["refund", "store_credit", "exchange"]
    eu_policy.save()
    # Repair is for faults: for a change of mind the shop offers its three other choices.
    request = services.ItemRequest(order_line=line, quantity=1, reason="too_small", resolution="repair")
    with translation.override("zh-hans"), pytest.raises(services.CaseInvalid) as refused:
        services.case_open(customer=order.customer, items=[request], language="zh-hans")
    assert refused.value.order_line_id == line.pk and refused.value.item_field == "resolution"
    assert "、" in str(refused.value) and ", " not in str(refused.value)


def test_a_rule_that_applies_after_the_page_was_shown_is_refused_at_the_item(client, shop, eu_policy):
    order, line = shop
    eu_policy.resolutions = ["refund", "store_credit", "exchange"]
    eu_policy.save()
    PolicyRuleFactory(policy=eu_policy, min_previous_returns=1, resolutions=["refund"])
    lookup(client, order)
    url = f"/en/orders/{order.number}/return/"
    page = client.post(url, {f"reason_{line.id}": "too_small", "review": "1"}).content.decode()
    assert "exchange" in options(page, f"resolution_{line.id}")
    other = OrderLineFactory(order=OrderFactory(customer=order.customer))
    services.case_open(customer=order.customer, language="en",
                       items=[services.ItemRequest(order_line=other, quantity=1, reason="too_small")])  # fmt: skip
    response = client.post(url, {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small",
                                 f"resolution_{line.id}": "exchange", f"wish_{line.id}": "Size M"})  # fmt: skip
    assert "For this item and reason you can choose" in fieldset(response.content.decode(), line)


def test_items_from_several_orders_go_back_in_one_case(client, shop):
    order, line = shop
    second = OrderFactory(customer=order.customer, number="1002")
    other = OrderLineFactory(order=second, name="Wool scarf", unit_price="25.00")
    lookup(client, order)
    page = client.get("/en/").content.decode()
    assert page.index("Your orders") < page.index("Find another order")
    assert "/en/return/" in page
    form = client.get("/en/return/").content.decode()
    assert "Order 1001" in form and "Order 1002" in form
    response = client.post("/en/return/", {
        f"qty_{line.id}": "1", f"reason_{line.id}": "too_small", f"resolution_{line.id}": "refund",
        f"qty_{other.id}": "1", f"reason_{other.id}": "change_of_mind", f"resolution_{other.id}": "refund",
        "return_method": "mail_label",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    case = ReturnCase.objects.get()
    assert {i.order_line.order.number for i in case.items.all()} == {"1001", "1002"}


def test_items_paid_in_different_currencies_are_split_and_the_split_is_explained(client, shop):
    order, line = shop
    dollars = OrderLineFactory(order=OrderFactory(customer=order.customer, currency="USD", number="2001"))
    lookup(client, order)
    data = {
        f"qty_{line.id}": "1", f"reason_{line.id}": "too_small", f"resolution_{line.id}": "refund",
        f"qty_{dollars.id}": "1", f"reason_{dollars.id}": "too_small", f"resolution_{dollars.id}": "refund",
    }  # fmt: skip
    summary = client.post("/en/return/", {**data, "review": "1"}).content.decode()
    assert "These items go back in 2 separate returns" in summary
    assert "USD, order numbers 2001" in summary and "EUR, order numbers 1001" in summary
    response = client.post("/en/return/", data)
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert ReturnCase.objects.count() == 2
    assert sorted(ReturnCase.objects.values_list("currency", flat=True)) == ["EUR", "USD"]


@pytest.mark.parametrize(("stored", "typed"), [("1001", "#1001"), ("1001", " 1001 "), ("#1002", "1002")])
def test_an_order_number_is_found_with_or_without_the_hash(client, eu_policy, stored, typed):
    order = OrderFactory(number=stored)
    OrderLineFactory(order=order)
    response = client.post("/en/", {"order_number": typed, "email": order.customer.email})
    assert response.status_code == 302 and response["Location"] == "/en/verify/"


def test_repair_under_the_legal_guarantee_is_said_to_be_free(client, shop):
    order, line = shop
    order.delivered_on = timezone.localdate() - datetime.timedelta(days=200)  # past every return window
    order.save()
    lookup(client, order)
    page = client.post(f"/en/orders/{order.number}/return/",
                       {f"reason_{line.id}": "defective", "review": "1"}).content.decode()  # fmt: skip
    assert "free of charge under the legal guarantee" in page
    assert options(page, f"resolution_{line.id}")[0] != "" and "store_credit" not in options(
        page, f"resolution_{line.id}"
    )


def test_erasing_a_customer_deletes_the_photos_of_a_request_never_filed(client, shop, supervisor):
    order, line = shop
    lookup(client, order)
    client.post(f"/en/orders/{order.number}/return/", {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small",
                f"resolution_{line.id}": "exchange", f"photos_{line.id}": [photo()]})  # fmt: skip
    stored = PendingPhoto.objects.get().image.name
    assert default_storage.exists(stored)
    privacy.customer_erase(customer=order.customer, actor=supervisor, reason="Asked by email")
    assert not PendingPhoto.objects.exists() and not default_storage.exists(stored)
