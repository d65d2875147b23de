"""The audit trail: every timeline row of every case in a period, for the supervisors' CSV export."""

import datetime
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from django.utils import timezone

from rma.cases.models import CaseEvent

CHUNK = 2000  # rows read from the database at a time: the export streams, whatever the period's size


def currency_amount(amount, currency: str) -> str:
    """An amount as plain text with its currency's digits (12.50 EUR, 1650 JPY): no grouping, no symbol, so
    a spreadsheet reads it as a number."""
    if amount in (None, "") or not currency:
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    digits = get_currency_precision(currency)
    return str(value.quantize(Decimal(1).scaleb(-digits)))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events(*, start: datetime.date, end: datetime.date) -> Iterator[CaseEvent]:
    """The timeline rows from ``start`` to ``end`` (both whole days, in the shop's time zone), oldest first,
    read in chunks with their case and actor."""
    rows = (
        CaseEvent.objects.filter(
            created_at__gte=_local_midnight(start), created_at__lt=_local_midnight(end + datetime.timedelta(days=1))
        )
        .select_related("case", "actor")
        .order_by("created_at", "id")
    )
    return rows.iterator(chunk_size=CHUNK)
