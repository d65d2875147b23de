"""Every model of the ``rma`` app, gathered so that Django finds them.

The models live with the package that owns them (``rma.orders.models``, ``rma.cases.models``,
``rma.messaging.models``...). Application code imports them from there, never from this module.
"""

from .access.models import LookupCode, ThrottleHit, ThrottleKey
from .cases.models import *  # noqa: F403
from .integrations.models import LocalPayment, LocalSms
from .logistics.models import Shipment, TrackingEvent
from .messaging.models import CannedReply, CannedReplyText, Message, Notification
from .orders.models import Customer, Order, OrderLine, Product, Variant

__all__ = [  # noqa: PLE0604
    "CannedReply",
    "CannedReplyText",
    "Customer",
    "LocalPayment",
    "LocalSms",
    "LookupCode",
    "Message",
    "Notification",
    "Order",
    "OrderLine",
    "Product",
    "Shipment",
    "ThrottleHit",
    "ThrottleKey",
    "TrackingEvent",
    "Variant",
]
