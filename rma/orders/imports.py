"""Importing the shop's orders (docs/import-orders.md): read, check every field, then write all or nothing.

1. ``import_readers.read`` turns a file (our CSV, JSON Lines or a Shopify orders export) into records, each with
   the file line it came from.
2. ``import_checks.records_check`` checks every field of every record and collects every problem.
3. ``orders_write`` writes the clean records in one transaction with bulk statements in batches: nothing is
   written when any record is wrong or any conflict is unforced, and ``dry_run`` rolls the transaction back after
   counting what would change. A re-import updates orders, customers and lines in place (line ids are kept). An
   order with returns is never changed silently: each change is a conflict, with the deadlines that would move,
   and is written only with ``force``. Lines already in a return are never deleted.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from rma.orders import catalog, events
from rma.orders.import_checks import records_check
from rma.orders.import_readers import FORMATS, Mapping, Problem, read
from rma.orders.models import Customer, Order, OrderLine

BATCH = 2000
CUSTOMER_FIELDS = ("name", "language", "requested_language", "country", "phone", "time_zone")
ORDER_HEADER = ("currency", "ordered_on", "delivered_on", "ship_name", "ship_street", "ship_postcode", "ship_city",
                "ship_country")  # fmt: skip
LINE_VALUES = (
    "name", "category", "quantity", "unit_price", "hs_code", "weight_grams", "origin_country", "tags", "image_url",
)  # fmt: skip

__all__ = ["FORMATS", "ImportResult", "Mapping", "OrderImportError", "orders_import", "orders_write", "read"]


class OrderImportError(Exception):
    """Records that cannot be imported; ``problems`` names each line and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:20]) + (" …" if len(problems) > 20 else ""))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    lines_created: int = 0
    lines_updated: int = 0
    lines_deleted: int = 0
    conflicts: list[str] = field(default_factory=list)  # orders with returns that this import changes
    deadline_moves: list[str] = field(default_factory=list)
    kept_lines: list[str] = field(default_factory=list)  # lines gone from the file but in a return: kept
    dry_run: bool = False


class _Rollback(Exception):
    pass


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _line_keys(lines) -> list[tuple[str, int]]:
    """A line's identity within its order: its SKU and which occurrence of that SKU it is."""
    seen: dict[str, int] = defaultdict(int)
    keys = []
    for line in lines:
        sku = line["sku"] if isinstance(line, dict) else line.sku
        seen[sku] += 1
        keys.append((sku, seen[sku]))
    return keys


def _order_values(record: dict) -> dict:
    country = record["country"]
    return {
        "currency": record["currency"], "ordered_on": record["ordered_on"], "delivered_on": record["delivered_on"],
        "ship_name": record["customer_name"], "ship_street": record["ship_street"],
        "ship_postcode": record["ship_postcode"], "ship_city": record["ship_city"], "ship_country": country,
    }  # fmt: skip


def _customer_values(record: dict) -> dict:
    return {name: record[name] if name != "name" else record["customer_name"] for name in CUSTOMER_FIELDS}


def _changes(instance, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(instance, name) != value]


def orders_write(
    records: list[dict], *, force: bool = False, dry_run: bool = False, progress: Callable[[int, int], None] = None
) -> ImportResult:
    """Write checked records (``import_checks.records_check``). Raises ``OrderImportError`` on unforced conflicts."""
    result = ImportResult(dry_run=dry_run)
    progress = progress or (lambda done, total: None)
    try:
        with transaction.atomic():
            _write(records, result, force=force, progress=progress)
            if result.conflicts and not force:
                raise OrderImportError(
                    [Problem("order", "returns", c) for c in result.conflicts + result.deadline_moves]
                )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _write(records: list[dict], result: ImportResult, *, force: bool, progress) -> None:
    total = len(records)
    customers: dict[str, Customer] = {}
    for chunk in _chunks(sorted({r["email"] for r in records})):
        customers.update({c.email: c for c in Customer.objects.select_for_update().filter(email__in=chunk)})
    new_customers, changed_customers = [], []
    for record in records:
        values = _customer_values(record)
        customer = customers.get(record["email"])
        if customer is None:
            customer = customers[record["email"]] = Customer(email=record["email"], **values)
            new_customers.append(customer)
        elif _changes(customer, values):
            for name, value in values.items():
                setattr(customer, name, value)
            changed_customers.append(customer)
    Customer.objects.bulk_create(new_customers, batch_size=BATCH)
    Customer.objects.bulk_update(list({id(c): c for c in changed_customers}.values()), CUSTOMER_FIELDS,
                                 batch_size=BATCH)  # fmt: skip

    done = 0
    for chunk in _chunks(records):
        numbers = [r["number"] for r in chunk]
        orders = {o.number: o for o in Order.objects.select_for_update().filter(number__in=numbers)}
        lines: dict[int, list[OrderLine]] = defaultdict(list)
        for line in OrderLine.objects.filter(order__in=orders.values()).order_by("order_id", "id"):
            lines[line.order_id].append(line)
        returned = set(
            OrderLine.objects.filter(order__in=orders.values(), return_items__isnull=False).values_list("id", flat=True)
        )
        new_orders, changed_orders, new_lines, changed_lines, gone_lines, moved = [], [], [], [], [], []
        for record in chunk:
            values = {**_order_values(record), "customer": customers[record["email"]]}
            order = orders.get(record["number"])
            if order is None:
                order = Order(number=record["number"], **values)
                new_orders.append((order, record))
                continue
            header = [n for n in _changes(order, values) if n != "customer"] + (
                ["customer"] if order.customer_id != values["customer"].pk else []
            )
            old = dict(zip(_line_keys(lines[order.pk]), lines[order.pk], strict=True))
            wanted = dict(zip(_line_keys(record["lines"]), record["lines"], strict=True))
            line_updates, line_news, line_gone = [], [], []
            for key, data in wanted.items():
                current = old.get(key)
                line_values = {n: data[n] for n in LINE_VALUES}
                if current is None:
                    line_news.append(OrderLine(order=order, sku=data["sku"], **line_values))
                elif _changes(current, line_values):
                    for name, value in line_values.items():
                        setattr(current, name, value)
                    line_updates.append(current)
            for key, current in old.items():
                if key not in wanted:
                    line_gone.append(current)
            if not (header or line_updates or line_news or line_gone):
                result.unchanged += 1
                continue
            has_returns = any(line.pk in returned for line in lines[order.pk])
            if has_returns:
                what = sorted(set(header) | ({"lines"} if line_updates or line_news or line_gone else set()))
                result.conflicts.append(f"order {order.number} has returns; this import changes: {', '.join(what)}")
                for name in ("ordered_on", "delivered_on"):
                    if name in header:
                        result.deadline_moves.append(
                            f"order {order.number}: {name} {getattr(order, name)} → {values[name]} moves the "
                            "return deadlines of its items"
                        )
            if header and "ordered_on" in header:
                moved.append((order.pk, frozenset({order.ordered_on, values["ordered_on"]})))
            for name, value in values.items():
                setattr(order, name, value)
            changed_orders.append(order)
            new_lines += line_news
            changed_lines += line_updates
            for line in line_gone:
                if line.pk in returned:
                    result.kept_lines.append(f"order {order.number}: {line.sku} is in a return and was kept")
                else:
                    gone_lines.append(line.pk)
        Order.objects.bulk_create([o for o, _r in new_orders], batch_size=BATCH)
        for order, record in new_orders:
            new_lines += [
                OrderLine(order=order, sku=d["sku"], **{n: d[n] for n in LINE_VALUES}) for d in record["lines"]
            ]
        Order.objects.bulk_update(changed_orders, [*ORDER_HEADER, "customer"], batch_size=BATCH)
        OrderLine.objects.bulk_create(new_lines, batch_size=BATCH)
        OrderLine.objects.bulk_update(changed_lines, list(LINE_VALUES), batch_size=BATCH)
        if gone_lines:
            OrderLine.objects.filter(pk__in=gone_lines).delete()
        # Each line points to the catalogue's variant with its SKU, if there is one (docs/catalog.md).
        catalog.order_lines_link(order_ids=[o.pk for o in orders.values()] + [o.pk for o, _r in new_orders])
        result.created += len(new_orders)
        result.updated += len(changed_orders)
        result.lines_created += len(new_lines)
        result.lines_updated += len(changed_lines)
        result.lines_deleted += len(gone_lines)
        for order_id, days in moved:
            events.publish(events.OrderReimported(order_id=order_id, days=days))
        done += len(chunk)
        progress(done, total)


def orders_import(records: list[dict], *, force: bool = False, dry_run: bool = False, today=None) -> dict:
    """Check and write records given directly (the API). ``_row`` names a record in errors ("record 3")."""
    for record in records:
        if "_row" in record and "_line" not in record:
            record["_line"] = f"record {record['_row']}"
    clean, problems = records_check(records, today=today or timezone.localdate())
    if problems:
        raise OrderImportError(problems)
    result = orders_write(clean, force=force, dry_run=dry_run)
    return {"created": result.created, "updated": result.updated + result.unchanged}


def file_import(
    data: bytes, fmt: str, *, mapping: Mapping | None = None, force: bool = False, dry_run: bool = False,
    progress=None, today: datetime.date | None = None,
) -> ImportResult:  # fmt: skip
    """Read, check and write a whole file; raises ``OrderImportError`` with every problem found."""
    records, problems = read(data, fmt, mapping)
    clean, more = records_check(records, today=today or timezone.localdate())
    problems += more
    if problems:
        raise OrderImportError(sorted(problems, key=lambda p: (str(type(p.line)), p.line)))
    return orders_write(clean, force=force, dry_run=dry_run, progress=progress)
