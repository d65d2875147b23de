"""What a case looks like to the shop's systems: the one representation the REST API returns and the outbound
webhooks carry, so a receiver can store either the same way."""

from decimal import Decimal

from rma.cases.models import CaseEvent, ReturnCase
from rma.cases.services import money


def _amount(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def case_representation(case: ReturnCase) -> dict:
    """The case as plain JSON values. Reads the case, its items with their order lines, and the last label row;
    callers that list many cases prefetch ``items__order_line__order`` and ``customer``."""
    items = list(case.items.all())
    orders = sorted({item.order_line.order.number for item in items})
    label = next(
        (e for e in sorted(case.events.all(), key=lambda e: e.pk, reverse=True) if e.kind == CaseEvent.Kind.LABEL),
        None,
    )
    return {
        "id": case.rma_number,
        "status": case.status,
        "kind": case.kind,
        "resolution": items[0].resolution if items else None,
        "order_numbers": orders,
        "customer": {"email": case.customer.email, "name": case.customer.name, "country": case.country},
        "language": case.language,
        "currency": case.currency,
        "return_method": case.return_method,
        "amount_due": _amount(money.amount_due(case)) if items else None,
        "refunded": _amount(money.refunded_total(case)),
        "tracking": (
            {"carrier": label.data.get("carrier", ""), "number": label.data.get("tracking_number", "")}
            if label
            else None
        ),
        "items": [
            {
                "sku": item.order_line.sku,
                "name": item.order_line.name,
                "order_number": item.order_line.order.number,
                "quantity": item.quantity,
                "reason": item.reason,
                "resolution": item.resolution,
                "eligible": item.eligible,
                "status": item.status,
            }
            for item in items
        ],
        "created_at": case.created_at.isoformat(),
        "updated_at": case.updated_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
    }
