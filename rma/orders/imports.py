"""Importing the shop's orders from CSV or JSON Lines (format in docs/import-orders.md)."""

import csv
import datetime
import io
import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from policies.taxonomy import Category
from rma.orders import catalog, events
from rma.orders.models import Customer, Order, OrderLine

ORDER_OPTIONAL_FIELDS = ["phone", "time_zone"]
ORDER_FIELDS = [
    "order_number",
    "email",
    "customer_name",
    "language",
    "country",
    "currency",
    "ordered_on",
    "delivered_on",
    "ship_street",
    "ship_postcode",
    "ship_city",
]
LINE_FIELDS = ["sku", "product_name", "category", "quantity", "unit_price"]
LINE_OPTIONAL_FIELDS = ["hs_code", "weight_grams", "origin_country", "tags"]
OPTIONAL = {"delivered_on", "ship_postcode", "language", "phone", "time_zone"}


class OrderImportError(Exception):
    """A record that cannot be imported; the message names the record and the field."""


def _records_from_csv(text: str):
    """CSV has one row per order line; rows with the same order number form one order."""
    orders: dict[str, dict] = {}
    for row_number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        number = (row.get("order_number") or "").strip()
        if not number:
            raise OrderImportError(f"row {row_number}: order_number is empty")
        order = orders.setdefault(
            number, {k: row.get(k, "") for k in ORDER_FIELDS + ORDER_OPTIONAL_FIELDS} | {"lines": []}
        )
        order.setdefault("_row", row_number)
        order["lines"].append({k: row.get(k, "") for k in LINE_FIELDS + LINE_OPTIONAL_FIELDS})
    return list(orders.values())


def _records_from_jsonl(text: str):
    records = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise OrderImportError(f"line {line_number}: not valid JSON ({exc.msg})") from None
        record["_row"] = line_number
        records.append(record)
    return records


def parse(text: str, fmt: str) -> list[dict]:
    if fmt == "csv":
        return _records_from_csv(text)
    if fmt in {"jsonl", "ndjson"}:
        return _records_from_jsonl(text)
    raise OrderImportError(f"unknown format {fmt!r}: use csv or jsonl")


def _date(value, field, where):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise OrderImportError(f"{where}: {field} must be a date as YYYY-MM-DD, got {value!r}") from None


def _tags(value) -> list[str]:
    """Tags as a list (JSON Lines) or separated by commas or semicolons (CSV)."""
    items = value if isinstance(value, list) else str(value or "").replace(";", ",").split(",")
    return sorted({str(tag).strip().lower() for tag in items if str(tag).strip()})


def _require(record, fields, where):
    for name in fields:
        if name not in OPTIONAL and str(record.get(name, "")).strip() == "":
            raise OrderImportError(f"{where}: {name} is missing")


@transaction.atomic
def orders_import(records: list[dict]) -> dict:
    """Create or update orders, their customers and lines. All or nothing: one bad record imports none."""
    languages = {code for code, _name in settings.LANGUAGES}
    created = updated = 0
    for record in records:
        where = f"record {record.get('_row', '?')} (order {record.get('order_number', '?')})"
        _require(record, ORDER_FIELDS, where)
        if not record.get("lines"):
            raise OrderImportError(f"{where}: an order needs at least one line")
        language = (record.get("language") or "en").strip().lower()
        customer, _ = Customer.objects.update_or_create(
            email=record["email"].strip().lower(),
            defaults={
                "name": record["customer_name"].strip(),
                # A language the shop does not ship: English for now, and the admin sees what was asked for.
                "language": language if language in languages else "en",
                "requested_language": "" if language in languages else language,
                "country": record["country"].strip().upper(),
                "phone": (record.get("phone") or "").strip(),
                "time_zone": (record.get("time_zone") or "").strip(),
            },
        )
        number = record["order_number"].strip()
        before = Order.objects.filter(number=number).values_list("ordered_on", flat=True).first()
        order, was_created = Order.objects.update_or_create(
            number=number,
            defaults={
                "customer": customer,
                "currency": record["currency"].strip().upper(),
                "ordered_on": _date(record["ordered_on"], "ordered_on", where),
                "delivered_on": _date(record.get("delivered_on"), "delivered_on", where),
                "ship_name": record["customer_name"].strip(),
                "ship_street": record["ship_street"].strip(),
                "ship_postcode": (record.get("ship_postcode") or "").strip(),
                "ship_city": record["ship_city"].strip(),
                "ship_country": record["country"].strip().upper(),
            },
        )
        created += was_created
        updated += not was_created
        if not was_created:
            events.publish(events.OrderReimported(order_id=order.pk, days=frozenset({before, order.ordered_on})))
        if not was_created and order.lines.filter(return_items__isnull=False).exists():
            continue  # lines already in a return are kept as they were sold
        order.lines.all().delete()
        for index, line in enumerate(record["lines"], start=1):
            line_where = f"{where} line {index}"
            _require(line, LINE_FIELDS, line_where)
            if line["category"] not in Category.values:
                raise OrderImportError(
                    f"{line_where}: unknown category {line['category']!r}; valid: {', '.join(Category.values)}"
                )
            try:
                quantity, price = int(line["quantity"]), Decimal(str(line["unit_price"]))
                weight = int(line["weight_grams"]) if str(line.get("weight_grams") or "").strip() else None
            except (ValueError, InvalidOperation):
                raise OrderImportError(
                    f"{line_where}: quantity and weight_grams must be whole numbers and unit_price a number"
                ) from None
            order_line = OrderLine(
                order=order,
                sku=line["sku"],
                name=line["product_name"],
                category=line["category"],
                quantity=quantity,
                unit_price=price,
                hs_code=str(line.get("hs_code") or "").strip(),
                weight_grams=weight,
                origin_country=str(line.get("origin_country") or "").strip().upper(),
                tags=_tags(line.get("tags")),
                variant=catalog.variant_for_sku(str(line["sku"]).strip()),
            )
            try:
                order_line.full_clean()
            except ValidationError as exc:
                raise OrderImportError(f"{line_where}: {'; '.join(exc.messages)}") from None
            order_line.save()
    return {"created": created, "updated": updated}
