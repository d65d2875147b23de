"""What analytics does on events from elsewhere: a re-imported order has both its old and new day recounted."""

from returns_portal import events as bus
from rma.analytics.services import sales_recount_mark
from rma.orders import events as order_events


def on_order_reimported(event: order_events.OrderReimported) -> None:
    sales_recount_mark(days=event.days)


def register() -> None:
    bus.subscribe(order_events.OrderReimported, on_order_reimported)
