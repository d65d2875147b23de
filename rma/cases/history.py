"""Reads for the agent case page: the customer's earlier cases (with their outcome) and orders, and the
agent's next case."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from rma.cases.models import OPEN_STATUSES, QUEUE_SORT, Refund, ReturnCase, ReturnItem, refund_unpaid_annotation
from rma.orders.models import Order, OrderLine

HISTORY_LIMIT = 10  # rows of each list; the rest are one search away (the queue finds a customer by email)
_MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class CustomerHistory:
    """``cases``: the other cases of the customer, newest first, each with ``refunded`` (paid, in the case's
    currency) and ``item_count``. ``orders``: the customer's orders, newest first, each with ``value``,
    ``line_count`` and ``case_count`` (how many cases returned something of it). ``refunded``: the paid
    refunds of the other cases, per currency. The counts are of all rows, the lists hold ``HISTORY_LIMIT``."""

    cases: list
    case_count: int
    orders: list
    order_count: int
    refunded: list


def _refunded_subquery():
    paid = Refund.objects.filter(case=OuterRef("pk"), status=Refund.Status.PAID).order_by().values("case")
    return Coalesce(
        Subquery(paid.annotate(total=Sum("amount")).values("total")[:1], output_field=_MONEY),
        Value(Decimal(0)),
        output_field=_MONEY,
    )


def customer_history_for_case(*, case: ReturnCase, limit: int = HISTORY_LIMIT) -> CustomerHistory:
    """What the customer did before and besides this case: a signal of abuse, or of a loyal customer.

    Five queries whatever the customer's history holds."""
    others = ReturnCase.objects.filter(customer_id=case.customer_id).exclude(pk=case.pk)
    items = ReturnItem.objects.filter(case=OuterRef("pk")).order_by().values("case")
    cases = list(
        others.annotate(
            refunded=_refunded_subquery(),
            refund_unpaid=refund_unpaid_annotation(),  # the status badge says "refund on its way" from it
            item_count=Subquery(items.annotate(n=Count("id")).values("n")[:1]),
        )
        .only("id", "rma_number", "status", "kind", "currency", "created_at", "resolved_at")
        .order_by("-created_at", "-id")[:limit]
    )
    lines = OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order")
    returned = ReturnItem.objects.filter(order_line__order=OuterRef("pk")).order_by().values("order_line__order")
    orders = list(
        Order.objects.filter(customer_id=case.customer_id)
        .annotate(
            value=Subquery(
                lines.annotate(total=Sum(F("quantity") * F("unit_price"))).values("total")[:1], output_field=_MONEY
            ),
            line_count=Subquery(lines.annotate(n=Count("id")).values("n")[:1]),
            case_count=Subquery(returned.annotate(n=Count("case", distinct=True)).values("n")[:1]),
        )
        .only("id", "number", "currency", "ordered_on", "delivered_on")
        .order_by("-ordered_on", "-id")[:limit]
    )
    refunded = list(
        Refund.objects.filter(case__in=others, status=Refund.Status.PAID)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return CustomerHistory(
        cases=cases,
        case_count=others.count() if len(cases) == limit else len(cases),
        orders=orders,
        order_count=Order.objects.filter(customer_id=case.customer_id).count() if len(orders) == limit else len(orders),
        refunded=refunded,
    )


def case_next_for_agent(*, user, after: str) -> str | None:
    """The RMA number of the agent's next case after ``after``, in the queue's order (the running deadline):
    their own open cases, wrapping round to the first; with none left, the most urgent unassigned case."""
    open_cases = (
        ReturnCase.objects.filter(status__in=OPEN_STATUSES)
        .exclude(rma_number=after)
        .annotate(queue_sort=QUEUE_SORT)
        .order_by("queue_sort", "id")
    )
    mine = open_cases.filter(assignee=user)
    current = (
        ReturnCase.objects.filter(rma_number=after, assignee=user, status__in=OPEN_STATUSES)
        .annotate(queue_sort=QUEUE_SORT)
        .values("queue_sort", "id")
        .first()
    )
    if current is not None:
        later = Q(queue_sort__gt=current["queue_sort"]) | Q(queue_sort=current["queue_sort"], id__gt=current["id"])
        following = mine.filter(later).values_list("rma_number", flat=True).first()
        if following is not None:
            return following
    return (
        mine.values_list("rma_number", flat=True).first()
        or open_cases.filter(assignee__isnull=True).values_list("rma_number", flat=True).first()
    )
