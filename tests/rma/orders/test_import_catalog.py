"""manage.py import_catalog: CSV and JSON Lines, a BOM and CRLF, errors by line and field, updates by SKU,
and order lines linked to their variants (#18 item 4)."""

import json

import pytest
from django.core.management import CommandError, call_command

from rma.orders.models import OrderLine, Product, Variant
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "product_id,product_name,category,product_image_url,sku,option_size,option_colour,image_url,price,currency,stock"
)
CSV_ROWS = [
    HEADER,
    "JKT,Giacca in lana,apparel,/static/catalog/jacket.svg,JKT-M-BLU,M,Blu,,129.00,EUR,4",
    "JKT,Giacca in lana,apparel,/static/catalog/jacket.svg,JKT-L-BLU,L,Blu,https://cdn.shop.example/l.jpg,129.00,EUR,0",
    'JKT,Giacca in lana,apparel,/static/catalog/jacket.svg,JKT-M-VER,M,"Verde, bosco",,139.00,EUR,2',
]


def write(tmp_path, name: str, text: str, *, bom: bool = False):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_a_csv_with_a_bom_and_crlf_creates_the_product_and_its_variants(tmp_path):
    path = write(tmp_path, "catalog.csv", "\r\n".join(CSV_ROWS) + "\r\n", bom=True)
    call_command("import_catalog", str(path))
    product = Product.objects.get(handle="JKT")
    assert product.name == "Giacca in lana" and product.category == "apparel"
    variants = {v.sku: v for v in product.variants.all()}
    assert set(variants) == {"JKT-M-BLU", "JKT-L-BLU", "JKT-M-VER"}
    green = variants["JKT-M-VER"]
    assert green.options == {"size": "M", "colour": "Verde, bosco"} and green.stock == 2
    assert str(green.price) == "139.00" and green.currency == "EUR"
    assert variants["JKT-L-BLU"].image == "https://cdn.shop.example/l.jpg"
    assert variants["JKT-M-BLU"].image == "/static/catalog/jacket.svg"  # the product's image stands in


def test_json_lines_import_in_yen(tmp_path):
    records = [
        {"product_id": "TEE", "product_name": "Tシャツ", "sku": f"TEE-{size}", "options": {"サイズ": size},
         "price": 3900, "currency": "JPY", "stock": 5}
        for size in ("S", "M")
    ]  # fmt: skip
    path = write(tmp_path, "catalog.jsonl", "\r\n".join(json.dumps(r, ensure_ascii=False) for r in records), bom=True)
    call_command("import_catalog", str(path))
    assert Variant.objects.get(sku="TEE-M").options == {"サイズ": "M"}
    assert Variant.objects.filter(currency="JPY").count() == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("JKT,Giacca,apparel,,JKT-S,S,Blu,,abc,EUR,1", "line 3, field price: must be a number"),
        ("JKT,Giacca,apparel,,JKT-S,S,Blu,,12.345,EUR,1", "line 3, field price: must be an amount"),
        ("JKT,Giacca,apparel,,JKT-S,S,Blu,,12.00,EUR,-1", "line 3, field stock: must be a whole number"),
        ("JKT,Giacca,apparel,,JKT-S,S,Blu,,12.00,EUX,1", "line 3, field currency: 'EUX' is not"),
        ("JKT,Giacca,apparel,,,S,Blu,,12.00,EUR,1", "line 3, field sku: is missing"),
        ("JKT,Giacca,shoes,,JKT-S,S,Blu,,12.00,EUR,1", "line 3, field category: unknown category 'shoes'"),
        ("JKT,Giacca,apparel,,JKT-S,S,Blu,ftp://x/y.jpg,12.00,EUR,1", "line 3, field image_url: must be an http"),
        ("JKT,Giacca,apparel,,JKT-M-BLU,S,Blu,,12.00,EUR,1", "line 3, field sku: 'JKT-M-BLU' is already on line 2"),
    ],
)
def test_a_bad_line_imports_nothing_and_names_its_line_and_field(tmp_path, line, message):
    path = write(tmp_path, "catalog.csv", "\n".join([*CSV_ROWS[:2], line]) + "\n")
    with pytest.raises(CommandError) as error:
        call_command("import_catalog", str(path))
    assert message in str(error.value) and "Nothing was imported" in str(error.value)
    assert not Product.objects.exists() and not Variant.objects.exists()


def test_bad_json_names_its_line(tmp_path):
    good = json.dumps({"product_id": "A", "product_name": "A", "sku": "A-1", "price": "1", "currency": "EUR",
                       "stock": 1})  # fmt: skip
    path = write(tmp_path, "catalog.jsonl", good + "\n{not json\n")
    with pytest.raises(CommandError, match="line 2: not valid JSON"):
        call_command("import_catalog", str(path))
    assert not Variant.objects.exists()


def test_a_reimport_updates_variants_in_place_by_sku(tmp_path):
    call_command("import_catalog", str(write(tmp_path, "a.csv", "\n".join(CSV_ROWS))))
    first_id = Variant.objects.get(sku="JKT-M-BLU").pk
    changed = [HEADER, "JKT,Giacca in lana merino,apparel,,JKT-M-BLU,M,Blu,,119.00,EUR,9"]
    call_command("import_catalog", str(write(tmp_path, "b.csv", "\n".join(changed))))
    variant = Variant.objects.get(sku="JKT-M-BLU")
    assert variant.pk == first_id and variant.stock == 9 and str(variant.price) == "119.00"
    assert variant.product.name == "Giacca in lana merino"
    assert Variant.objects.count() == 3 and Product.objects.count() == 1  # missing variants are kept


def test_a_reimport_cannot_put_stock_below_what_exchanges_hold(tmp_path):
    call_command("import_catalog", str(write(tmp_path, "a.csv", "\n".join(CSV_ROWS))))
    Variant.objects.filter(sku="JKT-M-BLU").update(reserved=3)
    changed = [HEADER, "JKT,Giacca in lana,apparel,,JKT-M-BLU,M,Blu,,129.00,EUR,2"]
    with pytest.raises(CommandError, match="line 2, field stock: 3 units of JKT-M-BLU are reserved"):
        call_command("import_catalog", str(write(tmp_path, "b.csv", "\n".join(changed))))
    assert Variant.objects.get(sku="JKT-M-BLU").stock == 4


def test_order_lines_link_to_variants_at_catalogue_import_and_at_order_import(tmp_path):
    before = OrderLineFactory(sku="JKT-M-BLU")
    call_command("import_catalog", str(write(tmp_path, "a.csv", "\n".join(CSV_ROWS))))
    assert OrderLine.objects.get(pk=before.pk).variant.sku == "JKT-M-BLU"
    orders = (
        "order_number,email,customer_name,language,country,currency,ordered_on,delivered_on,ship_street,"
        "ship_postcode,ship_city,sku,product_name,category,quantity,unit_price\n"
        "IT-9,anna@example.com,Anna,it,IT,EUR,2026-11-01,2026-11-05,Via Po 3,10123,Torino,"
        "JKT-M-VER,Giacca,apparel,1,139\n"
        "IT-9,anna@example.com,Anna,it,IT,EUR,2026-11-01,2026-11-05,Via Po 3,10123,Torino,"
        "OTHER,Sciarpa,apparel,1,19\n"
    )
    call_command("import_orders", str(write(tmp_path, "orders.csv", orders)))
    lines = {line.sku: line.variant for line in OrderLine.objects.filter(order__number="IT-9")}
    assert lines["JKT-M-VER"].sku == "JKT-M-VER" and lines["OTHER"] is None
