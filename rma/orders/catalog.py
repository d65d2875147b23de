"""The product catalogue: importing products and variants from CSV or JSON Lines (format in docs/catalog.md)."""

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision, is_currency
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, Subquery

from policies.taxonomy import Category
from rma.orders.models import OrderLine, Product, Variant

REQUIRED = ("product_id", "product_name", "sku", "price", "currency", "stock")
OPTIONAL = ("category", "product_image_url", "image_url", "options")
OPTION_PREFIX = "option_"  # CSV: one column per option, such as option_size and option_colour


class CatalogImportError(Exception):
    """A line that cannot be imported; the message names the line and the field."""


@dataclass
class VariantRecord:
    line: int
    product_id: str
    product_name: str
    sku: str
    price: Decimal
    currency: str
    stock: int
    category: str = ""
    product_image_url: str = ""
    image_url: str = ""
    options: dict = field(default_factory=dict)


def _fail(line: int, name: str, problem: str) -> CatalogImportError:
    return CatalogImportError(f"line {line}, field {name}: {problem}")


def _text(raw: dict, name: str, line: int, *, required: bool, max_length: int = 200) -> str:
    value = raw.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise _fail(line, name, "is missing")
    if len(value) > max_length:
        raise _fail(line, name, f"is longer than {max_length} characters")
    return value


def _url(raw: dict, name: str, line: int) -> str:
    value = _text(raw, name, line, required=False, max_length=500)
    if value and not (value.startswith("/") and not value.startswith("//")):
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise _fail(line, name, f"must be an http(s) address or a path on this site, got {value!r}") from None
    return value


def _record(raw: dict, line: int) -> VariantRecord:
    currency = _text(raw, "currency", line, required=True, max_length=3).upper()
    if not is_currency(currency):
        raise _fail(line, "currency", f"{currency!r} is not an ISO 4217 currency code")
    try:
        price = Decimal(_text(raw, "price", line, required=True, max_length=20))
    except InvalidOperation:
        raise _fail(line, "price", f"must be a number, got {raw.get('price')!r}") from None
    digits = get_currency_precision(currency)
    if not price.is_finite() or price < 0 or price != price.quantize(Decimal(1).scaleb(-digits)):
        raise _fail(line, "price", f"must be an amount of 0 or more with at most {digits} decimals in {currency}")
    stock_text = _text(raw, "stock", line, required=True, max_length=12)
    if not stock_text.isdigit():
        raise _fail(line, "stock", f"must be a whole number of 0 or more, got {stock_text!r}")
    category = _text(raw, "category", line, required=False, max_length=32)
    if category and category not in Category.values:
        raise _fail(line, "category", f"unknown category {category!r}; valid: {', '.join(Category.values)}")
    options = raw.get("options") or {}
    if not isinstance(options, dict) or any(not str(v).strip() for v in options.values()):
        raise _fail(line, "options", 'must be an object of option names and values, such as {"size": "M"}')
    return VariantRecord(
        line=line,
        product_id=_text(raw, "product_id", line, required=True, max_length=64),
        product_name=_text(raw, "product_name", line, required=True),
        sku=_text(raw, "sku", line, required=True, max_length=64),
        price=price,
        currency=currency,
        stock=int(stock_text),
        category=category,
        product_image_url=_url(raw, "product_image_url", line),
        image_url=_url(raw, "image_url", line),
        options={str(k).strip(): str(v).strip() for k, v in options.items()},
    )


def _rows_from_csv(text: str):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        options = {
            key[len(OPTION_PREFIX) :]: value.strip()
            for key, value in row.items()
            if key and key.startswith(OPTION_PREFIX) and value and value.strip()
        }
        yield reader.line_num, {**row, "options": options}


def _rows_from_jsonl(text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CatalogImportError(f"line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(raw, dict):
            raise CatalogImportError(f"line {number}: each line must be one JSON object")
        yield number, raw


def catalog_parse(text: str, fmt: str) -> list[VariantRecord]:
    """Check every line of a catalogue file; the first problem raises, naming its line and field."""
    text = text.removeprefix("\ufeff")  # a UTF-8 byte order mark, as spreadsheet programs write it
    if fmt == "csv":
        rows = _rows_from_csv(text)
    elif fmt in {"jsonl", "ndjson"}:
        rows = _rows_from_jsonl(text)
    else:
        raise CatalogImportError(f"unknown format {fmt!r}: use csv or jsonl")
    records, seen = [], {}
    for line, raw in rows:
        record = _record(raw, line)
        if record.sku in seen:
            raise _fail(line, "sku", f"{record.sku!r} is already on line {seen[record.sku]}")
        seen[record.sku] = line
        records.append(record)
    if not records:
        raise CatalogImportError("the file has no variants")
    return records


@transaction.atomic
def catalog_import(records: list[VariantRecord]) -> dict:
    """Create or update products and variants by product id and SKU, then link order lines with the same SKU.
    All or nothing: one bad line imports none. Variants missing from the file are left as they are."""
    products: dict[str, Product] = {}
    counts = {"products": 0, "created": 0, "updated": 0, "lines_linked": 0}
    # Locked in id order, as the exchange services lock them: an exchange filed meanwhile changes ``reserved``
    # under the same locks, and neither waits for the other in a circle.
    skus, ids = sorted({r.sku for r in records}), []
    for start in range(0, len(skus), 500):  # within every database's limit of query parameters
        ids += Variant.objects.filter(sku__in=skus[start : start + 500]).values_list("pk", flat=True)
    ids.sort()
    existing = {}
    for start in range(0, len(ids), 500):
        rows = Variant.objects.select_for_update().filter(pk__in=ids[start : start + 500]).order_by("pk")
        existing.update({v.sku: v for v in rows})
    for record in records:
        product = products.get(record.product_id)
        if product is None:
            product, _created = Product.objects.update_or_create(
                handle=record.product_id,
                defaults={
                    "name": record.product_name,
                    "category": record.category,
                    "image_url": record.product_image_url,
                },
            )
            products[record.product_id] = product
            counts["products"] += 1
        variant = existing.get(record.sku)
        if variant is not None and record.stock < variant.reserved:
            raise _fail(
                record.line, "stock", f"{variant.reserved} units of {record.sku} are reserved for exchanges already"
            )
        variant = variant or Variant(sku=record.sku)
        counts["updated" if variant.pk else "created"] += 1
        variant.product = product
        variant.options = record.options
        variant.image_url = record.image_url
        variant.price = record.price
        variant.currency = record.currency
        variant.stock = record.stock
        variant.save()
        counts["lines_linked"] += (
            OrderLine.objects.filter(sku=record.sku).exclude(variant=variant).update(variant=variant)
        )
    return counts


def order_lines_link(*, order_ids: list[int]) -> int:
    """Point these orders' lines to the catalogue's variant with their SKU, or to none (order import calls it):
    one statement for the whole batch."""
    variant = Variant.objects.filter(sku=OuterRef("sku")).values("pk")[:1]
    return OrderLine.objects.filter(order_id__in=order_ids).update(variant=Subquery(variant))
