"""The summary before filing: return method, fees, refund and credit amounts, and that the case keeps them."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from rma.cases import services
from rma.cases.models import ReturnCase
from tests.policies.factories import ReturnCenterFactory
from tests.rma.factories import OrderFactory, OrderLineFactory, UserFactory
from tests.rma.portal.test_portal import lookup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def policy(eu_policy):
    """Customer pays a 6.00 label; 10 % restocking fee once the 14 statutory days are over; 20 % credit bonus."""
    eu_policy.return_label_fee = Decimal("6.00")
    eu_policy.currency = "EUR"
    eu_policy.restocking_fee_percent = Decimal(10)
    eu_policy.store_credit_bonus_percent = 20
    eu_policy.refund_days = 5
    eu_policy.return_methods = ["mail_label", "drop_off_qr", "return_center"]
    eu_policy.save()
    ReturnCenterFactory(name="Centro resi Milano", address="Via Industria 1\n20100 Milano", countries_served=["IT"])
    return eu_policy


def late_order(days_ago=20):
    """Delivered after the 14 statutory days but inside the shop's 30: the merchant policy (and its fee) applies."""
    order = OrderFactory(delivered_on=timezone.localdate() - datetime.timedelta(days=days_ago))
    line = OrderLineFactory(order=order, quantity=2, unit_price=Decimal("50.00"), name="Wool jacket")
    return order, line


def file(order, line, *, method, resolution="refund", quantity=2):
    return services.case_open(
        customer=order.customer,
        items=[services.ItemRequest(order_line=line, quantity=quantity, reason="too_small", resolution=resolution)],
        language="en",
        return_method=method,
    )


def test_label_fee_and_restocking_fee_are_frozen_on_the_case_and_kept_back_from_the_refund(policy):
    order, line = late_order()
    case = file(order, line, method="mail_label")
    item = case.items.get()
    # 2 × 50.00 = 100.00; restocking 10 % = 10.00; label 6.00 paid wholly by the customer.
    assert item.restocking_fee == Decimal("10.00") and case.shipping_fee == Decimal("6.00")
    assert services.fees_total(case) == Decimal("16.00")
    assert services.amount_due(case) == Decimal("84.00")
    quote = services.quote_for_case(case)
    assert quote.refund_amount == Decimal("84.00") and quote.items_total == Decimal("100.00")
    # A later policy change does not change what this case was quoted.
    policy.return_label_fee = Decimal("9.00")
    policy.save()
    assert services.amount_due(ReturnCase.objects.get(pk=case.pk)) == Decimal("84.00")


def test_bringing_it_to_a_return_centre_costs_no_label_fee(policy):
    order, line = late_order()
    case = file(order, line, method="return_center")
    assert case.return_method == "return_center" and case.shipping_fee == 0
    assert services.amount_due(case) == Decimal("90.00")


def test_within_the_statutory_days_there_is_no_restocking_fee(policy):
    order, line = late_order(days_ago=3)
    case = file(order, line, method="drop_off_qr")
    assert case.items.get().restocking_fee == 0 and case.shipping_fee == Decimal("6.00")
    assert services.amount_due(case) == Decimal("94.00")


def test_store_credit_gets_the_bonus_on_what_remains_after_the_fees(policy):
    order, line = late_order()
    case = file(order, line, method="mail_label", resolution="store_credit")
    quote = services.quote_for_case(case)
    # (100.00 − 10.00 − 6.00) = 84.00, plus 20 % = 16.80.
    assert quote.credit_base == Decimal("84.00") and quote.credit_bonus == Decimal("16.80")
    assert quote.credit_amount == Decimal("100.80")
    agent = UserFactory(username="ag", role="Agents")
    case.refresh_from_db()
    services.case_mark_received(case=case, actor=agent)
    services.item_inspect(item=case.items.get(), actor=agent, grade="new", disposition="restock")
    services.case_credit(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    assert sum(e.amount for e in case.credits.all()) == Decimal("100.80")  # what the summary promised


def test_an_exchange_is_not_charged_a_label_fee(policy):
    order, line = late_order()
    case = services.case_open(
        customer=order.customer,
        items=[
            services.ItemRequest(
                order_line=line, quantity=1, reason="too_small", resolution="exchange", exchange_wish="Size L"
            )
        ],  # fmt: skip
        language="en",
        return_method="mail_label",
    )
    assert case.shipping_fee == 0


def test_a_method_the_policy_does_not_offer_is_refused(eu_policy):
    order, line = late_order(days_ago=3)
    with pytest.raises(services.CaseInvalid):
        file(order, line, method="return_center")  # the default policy offers the mail label only
    assert not ReturnCase.objects.exists()


def test_the_summary_is_shown_in_the_customers_locale_before_anything_is_filed(client, policy):
    order, line = late_order()
    lookup(client, order, lang="de")
    url = f"/de/orders/{order.number}/return/"
    data = {f"qty_{line.id}": "2", f"reason_{line.id}": "too_small", f"resolution_{line.id}": "refund",
            "return_method": "mail_label", "review": "1"}  # fmt: skip
    page = client.post(url, data).content.decode()
    assert not ReturnCase.objects.exists()
    assert "84,00\xa0€" in page and "6,00\xa0€" in page and "10,00\xa0€" in page  # German formatting
    assert "Centro resi Milano" in page  # the return centre option names the place
    # Everything typed is kept on the page.
    assert f'name="qty_{line.id}" value="2"' in page and 'value="mail_label" id="id_return_method_0" checked' in page
    # HTMX asks for the summary alone.
    partial = client.post(url, {**data, "return_method": "return_center"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "<section" not in partial and 'class="quote"' in partial
    assert "90,00\xa0€" in partial


def test_the_review_does_not_require_photos_but_filing_does(client, policy):
    order, line = late_order(days_ago=3)
    lookup(client, order)
    url = f"/en/orders/{order.number}/return/"
    data = {f"qty_{line.id}": "1", f"reason_{line.id}": "damaged_in_transit", f"resolution_{line.id}": "refund",
            "return_method": "mail_label"}  # fmt: skip
    review = client.post(url, {**data, "review": "1"}).content.decode()
    assert "Refund to your original payment method" in review and "Add at least one photo" not in review
    filing = client.post(url, data).content.decode()
    assert "Add at least one photo" in filing and not ReturnCase.objects.exists()


def test_the_case_page_confirms_the_method_and_the_summary(client, policy):
    order, line = late_order()
    lookup(client, order)
    url = f"/en/orders/{order.number}/return/"
    response = client.post(url, {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small",
                                 f"resolution_{line.id}": "refund", "return_method": "return_center"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "bring the parcel to our return centre" in page and "Via Industria 1<br>20100 Milano" in page
    assert "Your summary" in page and "€45.00" in page  # 50.00 − 5.00 restocking fee, no label fee


def test_one_resolution_per_request(policy, client):
    order, line = late_order()
    other = OrderLineFactory(order=order, quantity=1, unit_price=Decimal("30.00"), name="Scarf")
    with pytest.raises(services.CaseInvalid):
        services.case_open(
            customer=order.customer,
            items=[services.ItemRequest(order_line=line, quantity=1, reason="too_small", resolution="refund"),
                   services.ItemRequest(order_line=other, quantity=1, reason="too_small", resolution="exchange",
                                        exchange_wish="Blue")],
            language="en",
        )  # fmt: skip
    lookup(client, order)
    page = client.post(f"/en/orders/{order.number}/return/", {
        f"qty_{line.id}": "1", f"reason_{line.id}": "too_small", f"resolution_{line.id}": "refund",
        f"qty_{other.id}": "1", f"reason_{other.id}": "too_small", f"resolution_{other.id}": "store_credit",
    }).content.decode()  # fmt: skip
    assert "Choose the same resolution for every item" in page and not ReturnCase.objects.exists()


def test_a_fee_kept_back_at_filing_cannot_be_deducted_again_at_inspection(policy):
    order, line = late_order()
    case = file(order, line, method="mail_label")
    agent = UserFactory(username="ag", role="Agents")
    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    item = case.items.get()
    for reason in ("restocking_fee", "return_shipping_fee"):
        with pytest.raises(services.CaseInvalid, match="already kept back"):
            services.item_inspect(item=item, actor=agent, grade="new", disposition="restock",
                                  deductions=[(reason, Decimal("5.00"))])  # fmt: skip
    assert services.amount_due(ReturnCase.objects.get(pk=case.pk)) == Decimal("84.00")


def test_no_label_fee_that_would_eat_the_refund_nor_in_another_currency(policy):
    cheap_order = OrderFactory(delivered_on=timezone.localdate() - datetime.timedelta(days=3))
    cheap = OrderLineFactory(order=cheap_order, quantity=1, unit_price=Decimal("5.00"))
    assert file(cheap_order, cheap, method="mail_label", quantity=1).shipping_fee == 0
    lei_order = OrderFactory(currency="RON", delivered_on=timezone.localdate() - datetime.timedelta(days=3))
    lei = OrderLineFactory(order=lei_order, quantity=1, unit_price=Decimal("250.00"))
    assert file(lei_order, lei, method="mail_label", quantity=1).shipping_fee == 0  # the fee is set in EUR


def test_the_eu_withdrawal_works_when_the_policy_offers_no_prepaid_label(policy):
    policy.return_methods = ["drop_off_qr"]
    policy.save()
    order, _line = late_order(days_ago=3)
    statement = services.withdrawal_submit(order=order, name="Giulia", email=order.customer.email, language="it")
    assert services.withdrawal_case_open(statement=statement).return_method == "drop_off_qr"
