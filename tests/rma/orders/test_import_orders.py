"""manage.py import_orders with CSV and JSON Lines."""

import json

import pytest
from django.core.management import CommandError, call_command

from rma.orders.models import Customer, Order

pytestmark = pytest.mark.django_db

CSV = """order_number,email,customer_name,language,country,currency,ordered_on,delivered_on,ship_street,ship_postcode,ship_city,sku,product_name,category,quantity,unit_price
IT-5001,anna@example.com,Anna Bianchi,it,IT,EUR,2026-11-01,2026-11-05,Via Po 3,10123,Torino,SKU-1,Maglione,apparel,1,59.90
IT-5001,anna@example.com,Anna Bianchi,it,IT,EUR,2026-11-01,2026-11-05,Via Po 3,10123,Torino,SKU-2,Sciarpa,apparel,2,19.00
"""


def test_csv_import_groups_rows_into_orders_and_is_repeatable(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    call_command("import_orders", str(path))
    call_command("import_orders", str(path))
    order = Order.objects.get(number="IT-5001")
    assert order.lines.count() == 2 and order.customer.language == "it"
    assert Customer.objects.count() == 1


def test_jsonl_import(tmp_path):
    record = {
        "order_number": "CN-7",
        "email": "li@example.com",
        "customer_name": "李雷",
        "language": "zh-hans",
        "country": "CN",
        "currency": "CNY",
        "ordered_on": "2026-11-01",
        "delivered_on": "2026-11-04",
        "ship_street": "人民路1号",
        "ship_postcode": "200000",
        "ship_city": "上海市",
        "lines": [{"sku": "A", "product_name": "茶", "category": "perishable", "quantity": 1, "unit_price": "88"}],
    }
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n")
    call_command("import_orders", str(path))
    assert Order.objects.get(number="CN-7").lines.get().name == "茶"


def test_a_bad_record_imports_nothing_and_says_where(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(CSV.replace(",apparel,2,", ",spaceships,2,"))
    with pytest.raises(CommandError, match="line 3: category: unknown 'spaceships'"):
        call_command("import_orders", str(path))
    assert not Order.objects.exists()


def test_tags_are_imported_and_matched_by_policy_rules(tmp_path, eu_policy):
    from django.utils import timezone

    from policies.models import PolicyRule
    from rma.cases import services
    from rma.orders.models import OrderLine

    delivered = timezone.localdate().isoformat()
    path = tmp_path / "orders.csv"
    path.write_text(
        CSV.replace("2026-11-05", delivered)
        .replace(",apparel,1,59.90", ",apparel,1,59.90,Final-Sale; bulky")
        .replace("unit_price\n", "unit_price,tags\n")
        .replace(",apparel,2,19.00", ",apparel,2,19.00,")
    )
    call_command("import_orders", str(path))
    sweater = OrderLine.objects.get(sku="SKU-1")
    assert sweater.tags == ["bulky", "final-sale"]
    PolicyRule.objects.create(policy=eu_policy, priority=1, name="Final sale", tags=["final-sale"], window_days=0)
    _policy, decision = services.item_decision(order_line=sweater, reason="change_of_mind", country="IT")
    scarf = OrderLine.objects.get(sku="SKU-2")
    _policy, other = services.item_decision(order_line=scarf, reason="change_of_mind", country="IT")
    assert decision.basis == "statutory_withdrawal" and other.basis == "merchant_policy"  # the law still applies
