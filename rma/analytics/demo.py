"""Demo data for analytics: what a label costs with the demo carrier, and the summary tables built."""

import datetime
from decimal import Decimal

from .models import LabelRate
from .services import analytics_refresh

# The local carrier's price of one return label, per currency of the demo shop's orders.
DEMO_LABEL_PRICES = {"EUR": "5.90", "RON": "29.00", "USD": "7.50", "JPY": "900", "CHF": "8.50", "CNY": "45.00"}


def analytics_demo_load() -> dict:
    """Safe to run twice: prices are created once, and the refresh only reads what changed."""
    for currency, amount in DEMO_LABEL_PRICES.items():
        LabelRate.objects.get_or_create(
            carrier="Returns Post", currency=currency, valid_from=datetime.date(2026, 1, 1),
            defaults={"amount": Decimal(amount)},
        )  # fmt: skip
    return analytics_refresh()
