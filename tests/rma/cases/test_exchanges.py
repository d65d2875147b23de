"""Exchanges from the catalogue (#18 item 5): the choices offered, stock reserved at filing and released on
cancel, reject or expiry, never below zero, the price difference settled in EUR and JPY, instant exchange."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from rma.cases import services
from rma.cases.models import ExchangeOrder, Refund, ReturnCase, StockReservation
from rma.integrations.models import LocalPayment
from rma.orders.models import Variant
from tests.rma.factories import CustomerFactory, OrderFactory, OrderLineFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def bought(*, price="129.00", currency="EUR", quantity=1, customer=None):
    """An order line for the medium blue jacket, and the jacket's other variants."""
    product, price = ProductFactory(name="Giacca in lana"), Decimal(price)
    own = VariantFactory(product=product, sku=f"{product.handle}-M-BLU", options={"size": "M", "colour": "Blu"},
                         price=price, currency=currency)  # fmt: skip
    order = OrderFactory(currency=currency, **({"customer": customer} if customer else {}))
    line = OrderLineFactory(order=order, sku=own.sku, variant=own, unit_price=price, quantity=quantity)
    return line, product


def file_exchange(line, variant, quantity=1):
    return services.case_open(
        customer=line.order.customer, language="it",
        items=[services.ItemRequest(line, quantity, "too_small", resolution="exchange", exchange_variant=variant)],
    )  # fmt: skip


def inspected(case, agent):
    case = fresh(case)
    services.case_mark_received(case=case, actor=agent)  # approved at filing, the label issued on commit
    for item in fresh(case).items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock", deductions=[])
    return fresh(case)


def test_the_choices_are_other_variants_of_the_product_in_stock_and_in_the_order_currency(eu_policy):
    line, product = bought()
    large = VariantFactory(product=product, options={"size": "L", "colour": "Blu"}, price="129.00")
    green = VariantFactory(product=product, options={"size": "M", "colour": "Verde"}, price="139.00")
    VariantFactory(product=product, options={"size": "S"}, stock=0)
    VariantFactory(product=product, options={"size": "XL"}, stock=2, reserved=2)  # all held by other exchanges
    VariantFactory(product=product, options={"size": "L"}, currency="JPY", price="20000")
    cheaper_other = VariantFactory(price="59.00")  # another product, up to the same value
    VariantFactory(price="150.00")  # another product, worth more
    options = services.exchange_options(order_line=line, policy=eu_policy)
    assert [o.variant for o in options] == [large, green]
    assert [o.difference for o in options] == [Decimal("0.00"), Decimal("10.00")]
    eu_policy.exchange_other_products = True
    options = services.exchange_options(order_line=line, policy=eu_policy)
    assert [o.variant for o in options] == [large, green, cheaper_other]
    assert options[2].difference == Decimal("-70.00") and not options[2].same_product


def test_filing_reserves_the_units_and_cancelling_releases_them(eu_policy):
    line, product = bought(quantity=2)
    large = VariantFactory(product=product, options={"size": "L"}, price="139.00", stock=3)
    case = file_exchange(line, large, quantity=2)
    item = case.items.get()
    assert item.exchange_variant == large and item.exchange_difference == Decimal("20.00")
    assert item.exchange_wish == str(large)  # the agent reads the choice in words too
    assert fresh(large).reserved == 2 and fresh(large).available == 1
    assert item.reservation.status == StockReservation.Status.HELD
    services.case_cancel(case=fresh(case), customer_id=case.customer_id)
    assert fresh(large).reserved == 0 and fresh(large).stock == 3
    assert fresh(item.reservation).status == StockReservation.Status.RELEASED
    assert services.stock_release(case=fresh(case)) == 0  # a second release gives nothing back twice


def test_a_rejected_case_releases_its_units(eu_policy, supervisor):
    eu_policy.auto_approve = False
    eu_policy.save()
    line, product = bought()
    large = VariantFactory(product=product, options={"size": "L"}, stock=1)
    case = file_exchange(line, large)
    assert fresh(case).status == "requested" and fresh(large).reserved == 1
    services.case_reject(case=fresh(case), actor=supervisor, reason="Worn")
    assert fresh(large).reserved == 0


def test_the_last_unit_goes_to_one_filing_only(eu_policy):
    line, product = bought()
    last = VariantFactory(product=product, options={"size": "L"}, stock=1)
    file_exchange(line, last)
    other_line, _ = bought()
    other_line.variant = VariantFactory(product=product, options={"size": "M", "colour": "Nero"})
    other_line.save()
    with pytest.raises(services.CaseInvalid, match="no longer in stock"):
        file_exchange(other_line, last)
    assert fresh(last).reserved == 1 and ReturnCase.objects.count() == 1


def test_a_variant_of_another_product_needs_the_policy_and_the_same_value(eu_policy):
    line, _product = bought()
    dearer = VariantFactory(price="150.00")
    cheaper = VariantFactory(price="99.00")
    with pytest.raises(services.CaseInvalid, match="cannot be chosen"):
        file_exchange(line, cheaper)
    eu_policy.exchange_other_products = True
    eu_policy.save()
    with pytest.raises(services.CaseInvalid, match="cannot be chosen"):
        file_exchange(line, dearer)
    case = file_exchange(line, cheaper)
    assert case.items.get().exchange_difference == Decimal("-30.00")


def test_a_dearer_variant_in_euros_is_charged_and_the_stock_leaves_when_the_exchange_ships(
    eu_policy, agent, supervisor
):
    line, product = bought()
    green = VariantFactory(product=product, options={"size": "M", "colour": "Verde"}, price="139.00", stock=2)
    case = inspected(file_exchange(line, green), agent)
    order = services.case_exchange(case=case, actor=supervisor)
    assert order.price_difference == Decimal("10.00") and order.currency == "EUR"
    assert "Verde" in order.description and green.sku in order.description
    assert fresh(case).status == "exchanged" and not Refund.objects.exists()
    green = fresh(green)
    assert (green.stock, green.reserved) == (1, 0)
    assert fresh(order).payment_reference  # the local payment provider charged the 10.00 after the commit


def test_a_cheaper_variant_in_yen_is_refunded_in_whole_yen(eu_policy, agent, supervisor):
    line, product = bought(price="3900", currency="JPY", quantity=2)
    small = VariantFactory(product=product, options={"サイズ": "S"}, price="3500", currency="JPY", stock=2)
    case = inspected(file_exchange(line, small, quantity=2), agent)
    assert case.items.get().exchange_difference == Decimal("-800")
    order = services.case_exchange(case=case, actor=supervisor)
    assert order.price_difference == Decimal("-800")
    refund = Refund.objects.get(case=case)
    assert refund.amount == Decimal("800") and refund.currency == "JPY" and refund.kind == "exchange_difference"
    assert fresh(small).stock == 0 and fresh(small).reserved == 0


def test_an_instant_exchange_ships_at_approval_and_records_the_shops_cover(eu_policy, agent, supervisor):
    eu_policy.instant_exchange = "merchant_risk"
    eu_policy.save()
    line, product = bought()
    green = VariantFactory(product=product, options={"colour": "Verde"}, price="139.00", stock=1)
    case = fresh(file_exchange(line, green))
    assert case.status == "label_issued" and case.instant_exchange == "merchant_risk"
    order = ExchangeOrder.objects.get(case=case)
    assert order.shipped_early and order.price_difference == Decimal("10.00")
    assert (fresh(green).stock, fresh(green).reserved) == (0, 0)  # shipped before the jacket is back
    assert case.events.filter(kind="exchange").exists()
    with pytest.raises(services.CaseConflict, match="already been sent"):
        services.case_cancel(case=case, customer_id=case.customer_id)
    settled = services.case_exchange(case=inspected(case, agent), actor=supervisor)
    assert settled.pk == order.pk and fresh(case).status == "exchanged"
    assert ExchangeOrder.objects.count() == 1


def test_an_instant_exchange_against_an_authorisation_holds_the_new_items_price_until_the_item_is_back(
    eu_policy, agent, supervisor
):
    eu_policy.instant_exchange = "authorisation"
    eu_policy.auto_approve = False
    eu_policy.save()
    line, product = bought()
    large = VariantFactory(product=product, options={"size": "L"}, price="119.00", stock=1)
    case = file_exchange(line, large)
    assert fresh(case).instant_exchange == "authorisation" and not ExchangeOrder.objects.exists()
    services.case_approve(case=fresh(case), actor=supervisor)
    order = ExchangeOrder.objects.get(case=case)
    assert order.shipped_early and fresh(large).stock == 0
    assert order.hold_amount == Decimal("119.00") and order.hold_reference  # placed after the commit
    hold = LocalPayment.objects.get(kind="hold")
    assert hold.amount == Decimal("119.00") and hold.reference == order.hold_reference
    services.case_exchange(case=inspected(case, agent), actor=supervisor)
    order = fresh(order)
    assert order.hold_released_at is not None and LocalPayment.objects.filter(kind="void").count() == 1
    assert Refund.objects.get(case=case).amount == Decimal("10.00")  # the cheaper jacket's difference, now


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_customers_filing_for_the_last_unit_at_the_same_moment_get_it_once(eu_policy):
    product = ProductFactory()
    last = VariantFactory(product=product, options={"size": "L"}, stock=1)
    lines = []
    for _ in range(2):
        own = VariantFactory(product=product)
        lines.append(OrderLineFactory(order=OrderFactory(customer=CustomerFactory()), sku=own.sku, variant=own,
                                      unit_price=own.price))  # fmt: skip
    barrier = threading.Barrier(2)
    outcomes = []

    def press(line):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            file_exchange(line, Variant.objects.get(pk=last.pk))
            outcomes.append("filed")
        except services.CaseError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(line,)) for line in lines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["CaseInvalid", "filed"]
    last = fresh(last)
    assert (last.stock, last.reserved) == (1, 1) and StockReservation.objects.count() == 1
    assert connection.vendor == "postgresql"


def test_the_agent_sees_the_chosen_variant_and_sends_it_without_retyping(client, eu_policy, agent, supervisor):
    line, product = bought()
    green = VariantFactory(product=product, options={"size": "M", "colour": "Verde"}, price="139.00", stock=2)
    case = inspected(file_exchange(line, green), agent)
    client.force_login(supervisor)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert green.sku in page and "M · Verde" in page and "The customer pays €10.00 more" in page
    response = client.post(
        f"/agent/cases/{case.rma_number}/action/",
        {"action": "exchange", "seen_status": "inspected", "exchange-description": "", "exchange-price_difference": ""},
    )
    assert response.status_code in (200, 302)
    order = ExchangeOrder.objects.get(case=case)
    assert order.price_difference == Decimal("10.00") and green.sku in order.description
    assert fresh(case).status == "exchanged" and fresh(green).stock == 1
