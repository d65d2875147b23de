"""Recent real claims for the policy simulator: the source ``POLICY_SIMULATION_SOURCE`` points to.

policies never imports rma; the simulator loads this function by its dotted path and gets plain
``policies.rules.Claim`` objects: one per item of the latest cases (with its real reason and filing
date) and one change-of-mind claim as of today per line of the latest orders not yet returned.
"""

from decimal import Decimal

from django.db.models import Count, F, Sum
from django.utils import timezone

from policies.rules import Claim
from rma.cases.models import ReturnItem
from rma.orders.models import Order


def _order_values(order_ids) -> dict:
    rows = Order.objects.filter(pk__in=order_ids).annotate(
        total=Sum(F("lines__unit_price") * F("lines__quantity"), default=Decimal(0))
    )
    return {row.pk: row.total for row in rows}


def recent_claims(*, countries: list[str], limit: int) -> list[Claim]:
    countries = [c.upper() for c in countries]
    claims: list[Claim] = []
    items = (
        ReturnItem.objects.filter(case__country__in=countries)
        .select_related("case", "order_line__order__customer")
        .order_by("-case__created_at", "-pk")[:limit]
    )
    items = list(items)
    returned_line_ids = {item.order_line_id for item in items}
    remaining = max(limit - len(items), 0)
    orders = list(
        Order.objects.filter(customer__country__in=countries)
        .select_related("customer")
        .prefetch_related("lines")
        .annotate(earlier_cases=Count("customer__cases", distinct=True))
        .order_by("-ordered_on", "-pk")[:remaining]
    )
    values = _order_values({i.order_line.order_id for i in items} | {o.pk for o in orders})
    for item in items:
        line, order, case = item.order_line, item.order_line.order, item.case
        claims.append(
            _claim(
                line,
                order,
                country=case.country,
                reason=item.reason,
                claimed_on=timezone.localtime(case.created_at).date(),
                order_value=values.get(order.pk),
                reference=f"{case.rma_number} · {line.sku}",
            )
        )
    today = timezone.localdate()
    for order in orders:
        for line in order.lines.all():
            if line.pk in returned_line_ids or len(claims) >= limit:
                continue
            claims.append(
                _claim(
                    line,
                    order,
                    country=order.customer.country,
                    reason="change_of_mind",
                    claimed_on=today,
                    order_value=values.get(order.pk),
                    reference=f"{order.number} · {line.sku}",
                    previous_returns=order.earlier_cases,
                )
            )
    return claims


def _claim(line, order, *, country, reason, claimed_on, order_value, reference, previous_returns=0) -> Claim:
    return Claim(
        country=country,
        category=line.category,
        reason=reason,
        delivered_on=order.delivered_on,
        claimed_on=claimed_on,
        ordered_on=order.ordered_on,
        sku=line.sku,
        item_value=line.unit_price * line.quantity,
        order_value=order_value,
        currency=order.currency,
        previous_returns=previous_returns,
        reference=reference,
    )
