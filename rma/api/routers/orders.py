"""Orders: read one with what is still returnable, and create or update many at once."""

import re

from django.shortcuts import get_object_or_404
from ninja import Header, Router

from rma.api.auth import Scope, require
from rma.api.idempotency import idempotent
from rma.api.problems import ERRORS, ERRORS_404, ApiProblem
from rma.api.schemas import OrderOut, OrdersBulkIn, OrdersBulkOut
from rma.cases import services as case_services
from rma.orders.imports import OrderImportError, orders_import
from rma.orders.models import Order

router = Router()


@router.post("/bulk", response={200: OrdersBulkOut, **ERRORS}, summary="Create or update orders (all or none)")
@idempotent
def orders_bulk(request, body: OrdersBulkIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """The same rules as ``manage.py import_orders`` (docs/import-orders.md): one invalid order imports none."""
    require(request, Scope.ORDERS_WRITE)
    records = []
    for index, order in enumerate(body.orders):
        record = order.dict()
        record["_row"] = index
        record["ordered_on"] = order.ordered_on.isoformat()
        record["delivered_on"] = order.delivered_on.isoformat() if order.delivered_on else ""
        records.append(record)
    try:
        result = orders_import(records)
    except OrderImportError as exc:
        errors = []
        for problem in exc.problems:
            found = re.search(r"record (\d+)", str(problem.line))
            where = f"body.orders.{found.group(1)}" if found else "body.orders"
            errors.append({"path": f"{where}.{problem.field}" if problem.field else where, "message": problem.message})
        raise ApiProblem(422, "invalid", "Invalid request", str(exc), errors) from None
    return {"created": result["created"], "updated": result["updated"]}


@router.get("/{number}", response={200: OrderOut, **ERRORS_404}, summary="Get an order")
def order_get(request, number: str):
    require(request, Scope.ORDERS_WRITE, Scope.CASES_READ)
    order = get_object_or_404(Order.objects.select_related("customer").prefetch_related("lines"), number=number)
    return {
        "number": order.number,
        "email": order.customer.email,
        "customer_name": order.customer.name,
        "currency": order.currency,
        "ordered_on": order.ordered_on,
        "delivered_on": order.delivered_on,
        "ship_country": order.ship_country,
        "lines": [
            {
                "id": line.pk, "sku": line.sku, "name": line.name, "category": line.category,
                "quantity": line.quantity, "unit_price": str(line.unit_price),
                "returnable_quantity": case_services.returnable_quantity(line),
            }
            for line in order.lines.all()
        ],
    }  # fmt: skip
