"""Reads for the portal and the agent workspace."""

from django.db.models import Count, Prefetch

from .models import CaseEvent, Customer, Order, ReturnCase, ReturnItem


def order_find_for_lookup(*, number: str, email: str) -> Order | None:
    """The order if the number and the email match; None otherwise (never says which was wrong)."""
    return (
        Order.objects.select_related("customer")
        .filter(number__iexact=number.strip(), customer__email__iexact=email.strip())
        .first()
    )


def customer_get(*, customer_id: int) -> Customer | None:
    return Customer.objects.filter(pk=customer_id).first()


def order_get_for_customer(*, customer_id: int, number: str) -> Order | None:
    return (
        Order.objects.select_related("customer")
        .prefetch_related("lines")
        .filter(customer_id=customer_id, number=number)
        .first()
    )


def case_get_for_customer(*, customer_id: int, rma_number: str) -> ReturnCase | None:
    """A case only if it belongs to this customer: the portal never shows anyone else's."""
    return _case_detail_qs().filter(customer_id=customer_id, rma_number=rma_number).first()


def case_get_for_agent(*, rma_number: str) -> ReturnCase | None:
    return _case_detail_qs().filter(rma_number=rma_number).first()


def _case_detail_qs():
    return ReturnCase.objects.select_related("customer", "policy__region").prefetch_related(
        Prefetch(
            "items",
            queryset=ReturnItem.objects.select_related("order_line__order", "inspection").prefetch_related(
                "deductions", "inspection__photos"
            ),
        ),
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        "refunds",
    )


def case_list_for_customer(*, customer: Customer):
    return ReturnCase.objects.filter(customer=customer).annotate(item_count=Count("items")).order_by("-created_at")


def case_list_for_queue(*, status: str | None = None, limit: int = 100):
    qs = ReturnCase.objects.select_related("customer").annotate(item_count=Count("items")).order_by("created_at")
    qs = qs.filter(status=status) if status else qs.exclude(status__in=["closed", "cancelled"])
    return qs[:limit]


def customer_history(*, customer, exclude=None) -> dict:
    """The customer's earlier cases and what they were refunded: a signal of abuse, or of a loyal customer."""
    from django.db.models import Sum

    from .models import Refund

    cases = ReturnCase.objects.filter(customer=customer)
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    refunded = (
        Refund.objects.filter(case__in=cases, status=Refund.Status.PAID)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return {"count": cases.count(), "refunded": list(refunded)}
