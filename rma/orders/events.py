"""Order events: what the orders package tells others about changes to orders (analytics recounts sales)."""

import datetime
from dataclasses import dataclass

from returns_portal import events as bus


@dataclass(frozen=True, kw_only=True)
class OrderReimported:
    """An order already known was imported again; its order day may have moved."""

    order_id: int
    days: frozenset[datetime.date]  # the order's day before and after


def publish(event: OrderReimported) -> None:
    bus.publish(event)
