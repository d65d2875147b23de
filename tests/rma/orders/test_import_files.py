"""import_orders on real-looking files: a Shopify export, bad data reported by line and field, re-imports in place,
orders with returns protected, dry runs."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rma.cases import services
from rma.orders.models import Order, OrderLine

pytestmark = pytest.mark.django_db
SHOPIFY = Path(__file__).resolve().parents[2] / "data" / "shopify_orders_export.csv"
HEADER = ("order_number,email,customer_name,language,country,currency,ordered_on,delivered_on,ship_street,"
          "ship_postcode,ship_city,sku,product_name,category,quantity,unit_price")  # fmt: skip
ROW = (
    'IT-1,anna@example.com,Anna Bianchi,it,IT,EUR,2026-11-01,2026-11-05,"Via Po 3, int. 2",10123,Torino,'
    "{sku},{name},apparel,{qty},59.90"
)


def _write(tmp_path, text, name="orders.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _problems(capsys):
    return capsys.readouterr().err


def test_a_shopify_export_imports_as_is(tmp_path, capsys):
    mapping = _write(tmp_path, json.dumps({
        "default_category": "apparel",
        "category_by_sku_prefix": {"MUG": "home", "BOOK": "books", "HEAD": "electronics"},
        "language_by_country": {"IT": "it", "DE": "de", "FR": "fr", "CN": "zh-hans", "JP": "ja", "ES": "es",
                                "RO": "ro", "AE": "ar"},
    }), "mapping.json")  # fmt: skip
    call_command("import_orders", str(SHOPIFY), "--format", "shopify", "--mapping", str(mapping))
    assert Order.objects.count() == 24
    us = Order.objects.get(number="1007")
    assert us.customer.country == "US-CA" and us.ship_street == "1 Market St, Suite 200" and us.currency == "USD"
    cn = Order.objects.get(number="1004")
    assert cn.customer.name == "李雷" and cn.customer.language == "zh-hans" and cn.ship_city == "上海市"
    assert Order.objects.get(number="1005").currency == "JPY"
    assert set(OrderLine.objects.filter(sku__startswith="MUG").values_list("category", flat=True)) <= {"home"}
    assert (
        OrderLine.objects.filter(name='Rain jacket "Storm", L').exists()
        or not OrderLine.objects.filter(sku="JKT-RAIN-L").exists()
    )
    unfulfilled = Order.objects.get(number="1001")  # row 0 of the export: not fulfilled yet
    assert unfulfilled.delivered_on is None
    fulfilled = Order.objects.get(number="1002")
    assert (fulfilled.delivered_on - fulfilled.ordered_on).days == 1 + 3  # fulfilled the next day, +3 days' transit
    ids = sorted(OrderLine.objects.values_list("id", flat=True))
    call_command("import_orders", str(SHOPIFY), "--format", "shopify", "--mapping", str(mapping))
    assert sorted(OrderLine.objects.values_list("id", flat=True)) == ids  # in place, ids kept
    assert "24 unchanged" in capsys.readouterr().out


def test_bom_crlf_and_semicolons(tmp_path):
    text = (
        (HEADER + "\r\n" + ROW.format(sku="A", name="Maglia", qty=1) + "\r\n")
        .replace(",", ";")
        .replace('"Via Po 3; int. 2"', '"Via Po 3, int. 2"')
    )
    call_command("import_orders", str(_write(tmp_path, text, encoding="utf-8-sig")))
    assert Order.objects.get(number="IT-1").ship_street == "Via Po 3, int. 2"


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ((",EUR,", ",XYZ,"), "line 2: currency: 'XYZ' is not an ISO 4217 code"),
        ((",EUR,", ",€,"), "line 2: currency: '€' is not an ISO 4217 code"),
        ((",IT,EUR", ",Italy,EUR"), "line 2: country: 'Italy' is not an ISO 3166-1 alpha-2 country code"),
        ((",IT,EUR", ",ITA,EUR"), "line 2: country: 'ITA' is not an ISO 3166-1"),
        ((",IT,EUR", ",US-XX,EUR"), "line 2: country: 'US-XX' is not a subdivision of US; valid: US-AK"),
        (("anna@example.com", "anna.example.com"), "line 2: email: 'anna.example.com' is not an email address"),
        (("2026-11-05", "2026-10-05"), "line 2: delivered_on: 2026-10-05 is before the order day 2026-11-01"),
        ((",59.90", ",59.999"), "line 2: unit_price: 59.999 has more decimals than EUR allows (2)"),
        ((",apparel,1,", ",apparel,zwei,"), "line 2: quantity: must be a whole number, not 'zwei'"),
    ],
)
def test_bad_fields_are_named_with_their_line(tmp_path, capsys, replace, expected):
    text = HEADER + "\n" + ROW.format(sku="A", name="Maglia", qty=1).replace(*replace) + "\n"
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_orders", str(_write(tmp_path, text)))
    assert expected in _problems(capsys)
    assert not Order.objects.exists()


def test_every_problem_is_collected_in_one_report(tmp_path, capsys):
    rows = [
        ROW.format(sku="A", name="Maglia", qty=1),
        ROW.format(sku="B", name="Sciarpa", qty=1).replace("Anna Bianchi", "Anna B."),  # conflicting duplicate
        "IT-2,x@example.com,X,it,IT,EUR,2026-11-01",  # a short row
        ROW.format(sku="C", name="Cappello", qty=1).replace("IT-1,", "IT-3,").replace(",EUR,", ",XYZ,"),
    ]
    with pytest.raises(CommandError, match="3 problem"):
        call_command("import_orders", str(_write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")))
    report = _problems(capsys)
    assert "line 3: customer_name: 'Anna B.' differs from 'Anna Bianchi' on line 2" in report
    assert "line 4: has 7 columns, the header has 16" in report
    assert "line 5: currency: 'XYZ'" in report


def test_json_lines_shapes_are_named_not_tracebacks(tmp_path, capsys):
    good = {"order_number": 1001, "email": "li@example.com", "customer_name": "李雷", "country": "CN",
            "currency": "CNY", "ordered_on": "2026-11-01", "ship_street": "人民路1号", "ship_city": "上海市",
            "lines": [{"sku": "A", "product_name": "茶", "category": "perishable", "quantity": 1,
                       "unit_price": 88}]}  # fmt: skip
    lines = [json.dumps(good, ensure_ascii=False), json.dumps({**good, "order_number": "X", "lines": {"sku": "A"}}),
             json.dumps({**good, "order_number": "Y", "lines": ["A"]}), "[1, 2]", "{not json"]  # fmt: skip
    with pytest.raises(CommandError, match="4 problem"):
        call_command("import_orders", str(_write(tmp_path, "\n".join(lines) + "\n", "orders.jsonl")))
    report = _problems(capsys)
    assert "line 2: lines: must be a list of order lines" in report
    assert "line 3: lines: every order line must be a JSON object" in report
    assert "line 4: is not a JSON object" in report and "line 5: not valid JSON" in report
    path = _write(tmp_path, lines[0] + "\n", "one.jsonl")
    call_command("import_orders", str(path))
    assert Order.objects.get(number="1001").lines.get().unit_price == 88


def test_re_import_of_an_order_with_a_return_needs_force_and_shows_the_deadline_move(tmp_path, capsys, eu_policy):
    from django.utils import timezone

    delivered = timezone.localdate().isoformat()
    base = HEADER + "\n" + ROW.format(sku="A", name="Maglia", qty=2).replace("2026-11-05", delivered) + "\n"
    call_command("import_orders", str(_write(tmp_path, base.replace("2026-11-01", delivered))))
    line = OrderLine.objects.get()
    services.case_open(customer=line.order.customer, language="it",
                       items=[services.ItemRequest(order_line=line, quantity=1, reason="change_of_mind")])  # fmt: skip
    moved = HEADER + "\n" + ROW.format(sku="A", name="Maglia", qty=2).replace("2026-11-05", "2099-01-01").replace(
        "2026-11-01", delivered
    ) + "\n" + ROW.format(sku="B", name="Sciarpa", qty=1).replace("2026-11-05", "2099-01-01").replace(
        "2026-11-01", delivered
    ) + "\n"  # fmt: skip
    path = _write(tmp_path, moved, "moved.csv")
    with pytest.raises(CommandError, match="--force"):
        call_command("import_orders", str(path))
    report = _problems(capsys)
    assert "order IT-1 has returns; this import changes: delivered_on, lines" in report
    assert f"delivered_on {delivered} → 2099-01-01 moves the return deadlines" in report
    assert OrderLine.objects.count() == 1  # nothing changed
    call_command("import_orders", str(path), "--force")
    assert OrderLine.objects.count() == 2 and OrderLine.objects.filter(pk=line.pk).exists()


def test_dry_run_counts_and_writes_nothing(tmp_path, capsys):
    text = HEADER + "\n" + ROW.format(sku="A", name="Maglia", qty=1) + "\n"
    call_command("import_orders", str(_write(tmp_path, text)), "--dry-run")
    assert "Would import 1 new" in capsys.readouterr().out
    assert not Order.objects.exists()


def test_re_import_updates_lines_in_place_and_removes_dropped_ones(tmp_path):
    first = HEADER + "\n" + "\n".join(ROW.format(sku=s, name=s, qty=1) for s in ("A", "B", "C")) + "\n"
    call_command("import_orders", str(_write(tmp_path, first)))
    ids = {line.sku: line.pk for line in OrderLine.objects.all()}
    second = HEADER + "\n" + "\n".join(ROW.format(sku=s, name=s + "!", qty=1) for s in ("A", "C")) + "\n"
    call_command("import_orders", str(_write(tmp_path, second)))
    assert {line.sku: line.pk for line in OrderLine.objects.all()} == {"A": ids["A"], "C": ids["C"]}
    assert OrderLine.objects.get(sku="A").name == "A!"
