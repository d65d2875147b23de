"""Reading order files into plain records: our CSV and JSON Lines formats and Shopify's orders export.

Every reader tolerates a UTF-8 byte-order mark, CRLF line ends and (CSV) a ``;`` separator. Each record and line
keeps the file line it came from (``_line``), so every error can name it. Readers only reshape; the checks are in
``rma.orders.import_checks``.
"""

import csv
import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

ORDER_FIELDS = (
    "order_number", "email", "customer_name", "language", "country", "currency", "ordered_on", "delivered_on",
    "ship_street", "ship_postcode", "ship_city", "phone", "time_zone",
)  # fmt: skip
LINE_FIELDS = (
    "sku", "product_name", "category", "quantity", "unit_price", "hs_code", "weight_grams", "origin_country", "tags",
    "image_url",
)  # fmt: skip


@dataclass
class Problem:
    line: int | str  # the file line (or "record N" for records given directly)
    field: str
    message: str

    def __str__(self):
        where = f"line {self.line}" if isinstance(self.line, int) else str(self.line)
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Mapping:
    """How to fill what a shop's export lacks (docs/import-orders.md, "Mapping file")."""

    default_category: str = ""
    category_by_tag: dict[str, str] = field(default_factory=dict)
    category_by_sku_prefix: dict[str, str] = field(default_factory=dict)
    language_by_country: dict[str, str] = field(default_factory=dict)
    default_language: str = "en"
    # Shopify's export has the day the parcel left, not the day it arrived.
    delivery_days_after_fulfilment: int | None = 3

    @classmethod
    def from_json(cls, text: str) -> "Mapping":
        data = json.loads(text)
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown keys {', '.join(sorted(unknown))}; known: {', '.join(cls.__dataclass_fields__)}")
        return cls(**data)


def text_of(data: bytes) -> str:
    """The file's text: UTF-8 with or without a byte-order mark (Excel adds one)."""
    return data.decode("utf-8-sig")


def _rows(text: str) -> Iterator[tuple[int, dict]]:
    """CSV rows as dicts with the file line each starts on; the separator (``,`` or ``;``) is read from the header."""
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    names = None
    line = 1
    for row in reader:
        start, line = line, reader.line_num + 1
        if names is None:
            names = [name.strip() for name in row]
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield start, {"_error": f"has {len(row)} columns, the header has {len(names)}"}
            continue
        yield start, dict(zip(names, row, strict=True))


def read_csv(text: str) -> tuple[list[dict], list[Problem]]:
    """Our CSV: one row per order line; rows with the same order number form one order and repeat its fields."""
    orders: dict[str, dict] = {}
    problems: list[Problem] = []
    for line, row in _rows(text):
        if "_error" in row:
            problems.append(Problem(line, "", row["_error"]))
            continue
        number = (row.get("order_number") or "").strip()
        if not number:
            problems.append(Problem(line, "order_number", "is empty"))
            continue
        fields = {name: row.get(name, "") for name in ORDER_FIELDS}
        order = orders.get(number)
        if order is None:
            order = orders[number] = {**fields, "_line": line, "lines": []}
        else:
            for name, value in fields.items():
                if (value or "").strip() != (order.get(name) or "").strip():
                    problems.append(Problem(line, name, (
                        f"{value!r} differs from {order.get(name)!r} on line {order['_line']} of the same order"
                    )))  # fmt: skip
        order["lines"].append({**{name: row.get(name, "") for name in LINE_FIELDS}, "_line": line})
    return list(orders.values()), problems


def read_jsonl(text: str) -> tuple[list[dict], list[Problem]]:
    records, problems = [], []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(line, "", f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(line, "", "is not a JSON object"))
            continue
        lines = record.get("lines")
        if not isinstance(lines, list):
            problems.append(Problem(line, "lines", "must be a list of order lines"))
            continue
        if not all(isinstance(item, dict) for item in lines):
            problems.append(Problem(line, "lines", "every order line must be a JSON object"))
            continue
        record["_line"] = line  # its lines share it: errors name them as lines[N]
        records.append(record)
    return records, problems


def _shopify_day(value: str) -> str:
    """Shopify writes "2026-11-01 10:23:45 +0100": the day in the shop's time."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z").date().isoformat()
    except ValueError:
        return value[:10]


def _category(mapping: Mapping, sku: str, tags: list[str]) -> str:
    for tag in tags:
        if tag in mapping.category_by_tag:
            return mapping.category_by_tag[tag]
    for prefix, category in sorted(mapping.category_by_sku_prefix.items(), key=lambda item: -len(item[0])):
        if sku.startswith(prefix):
            return category
    return mapping.default_category


def read_shopify(text: str, mapping: Mapping) -> tuple[list[dict], list[Problem]]:
    """Shopify's "Export orders" CSV. An order's first row holds the order's fields; the next rows of the same
    ``Name`` may leave them empty and only give the line (``Lineitem …``). Missing fields come from ``mapping``:
    the category from tags or SKU prefixes, the language from the country, the delivery day from the fulfilment
    day plus ``delivery_days_after_fulfilment`` (no delivery day while unfulfilled)."""
    orders: dict[str, dict] = {}
    problems: list[Problem] = []
    for line, row in _rows(text):
        if "_error" in row:
            problems.append(Problem(line, "", row["_error"]))
            continue
        name = (row.get("Name") or "").strip()
        if not name:
            problems.append(Problem(line, "Name", "is empty"))
            continue
        order = orders.get(name)
        if order is None:
            country = (row.get("Shipping Country") or row.get("Billing Country") or "").strip().upper()
            province = (row.get("Shipping Province") or "").strip().upper()
            fulfilled = _shopify_day(row.get("Fulfilled at", ""))
            delivered = ""
            if fulfilled and mapping.delivery_days_after_fulfilment is not None:
                day = datetime.date.fromisoformat(fulfilled) if len(fulfilled) == 10 and fulfilled[4] == "-" else None
                if day:
                    delivered = (day + datetime.timedelta(days=mapping.delivery_days_after_fulfilment)).isoformat()
            tags = [t.strip().lower() for t in (row.get("Tags") or "").split(",") if t.strip()]
            street = ", ".join(
                part for part in ((row.get("Shipping Address1") or row.get("Shipping Street") or "").strip(),
                                  (row.get("Shipping Address2") or "").strip()) if part
            )  # fmt: skip
            order = orders[name] = {
                "order_number": name.lstrip("#"),
                "email": row.get("Email", ""),
                "customer_name": (row.get("Shipping Name") or row.get("Billing Name") or "").strip(),
                "language": mapping.language_by_country.get(country, mapping.default_language),
                # A state, province or prefecture decides the law in some countries (US states): keep it.
                "country": f"{country}-{province}" if country == "US" and province else country,
                "currency": row.get("Currency", ""),
                "ordered_on": _shopify_day(row.get("Created at", "")),
                "delivered_on": delivered,
                "ship_street": street,
                "ship_postcode": (row.get("Shipping Zip") or "").strip().lstrip("'"),
                "ship_city": row.get("Shipping City", ""),
                "phone": (row.get("Shipping Phone") or row.get("Phone") or "").strip().lstrip("'"),
                "time_zone": "",
                "_line": line,
                "_tags": tags,
                "lines": [],
            }
        sku = (row.get("Lineitem sku") or "").strip()
        order["lines"].append({
            "sku": sku,
            "product_name": row.get("Lineitem name", ""),
            "category": _category(mapping, sku, order["_tags"]),
            "quantity": row.get("Lineitem quantity", ""),
            "unit_price": row.get("Lineitem price", ""),
            "hs_code": "", "weight_grams": "", "origin_country": "",
            "tags": order["_tags"],
            "_line": line,
        })  # fmt: skip
    return list(orders.values()), problems


FORMATS = ("csv", "jsonl", "shopify")


def read(data: bytes, fmt: str, mapping: Mapping | None = None) -> tuple[list[dict], list[Problem]]:
    text = text_of(data)
    if fmt == "csv":
        return read_csv(text)
    if fmt in ("jsonl", "ndjson"):
        return read_jsonl(text)
    if fmt == "shopify":
        return read_shopify(text, mapping or Mapping())
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
