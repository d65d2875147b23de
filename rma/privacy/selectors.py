"""Reads of the privacy app: finding a customer, their exports and erasures, and the staff access log."""

import datetime

from django.db.models import Q

from rma.orders.models import Customer
from rma.privacy.models import CaseAccess, DataExport, Erasure


def customer_search(*, query: str, limit: int = 20) -> list[Customer]:
    """Customers by exact email, order number or RMA number, or by part of the name."""
    query = query.strip()
    if not query:
        return []
    found = Customer.objects.filter(
        Q(email__iexact=query)
        | Q(orders__number__iexact=query)
        | Q(cases__rma_number__iexact=query)
        | Q(name__icontains=query)
    )
    return list(found.distinct().order_by("name", "pk")[:limit])


def customer_get(*, customer_id: int) -> Customer | None:
    return Customer.objects.filter(pk=customer_id).first()


def export_list_for_customer(*, customer: Customer):
    return DataExport.objects.filter(customer=customer).select_related("requested_by").order_by("-created_at")[:20]


def export_get(*, export_id: int) -> DataExport | None:
    return DataExport.objects.filter(pk=export_id).select_related("customer").first()


def erasure_for_customer(*, customer: Customer) -> Erasure | None:
    return Erasure.objects.filter(customer=customer).select_related("actor").first()


def access_log(*, customer_id: int | None = None, since: datetime.datetime | None = None):
    """Who opened which customer's case and when, newest first (the CSV and the page read it)."""
    rows = CaseAccess.objects.select_related("user", "case")
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    if since is not None:
        rows = rows.filter(opened_at__gte=since)
    return rows.order_by("-opened_at", "-id")
