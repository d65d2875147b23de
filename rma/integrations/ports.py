"""The interfaces of the outside world the app talks to (payments, carrier, SMS), and where each comes from.

Each is a ``typing.Protocol``: a real provider's adapter implements it and is named in the settings
(``PAYMENT_PROVIDER``, ``CARRIER_ADAPTER``, ``SMS_GATEWAY``); the local adapters in
``rma.integrations.local`` are the defaults and need no account anywhere.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class ProviderError(Exception):
    """A transient failure at a provider (timeout, 5xx): the caller retries with the same key."""


class PaymentDeclined(Exception):
    """The provider refused the payment for good (closed card, refund window over): no retry can help, so the
    payment is parked for a supervisor with the provider's message."""


@dataclass(frozen=True)
class PaymentResult:
    reference: str


@dataclass(frozen=True)
class LabelBooking:
    carrier: str
    tracking_number: str


class PaymentProvider(Protocol):
    """Moves money for a case. The same idempotency key always means the same payment, however often sent."""

    name: str

    def refund(self, *, idempotency_key: str, amount: Decimal, currency: str, order_number: str) -> PaymentResult: ...

    def charge(self, *, idempotency_key: str, amount: Decimal, currency: str, order_number: str) -> PaymentResult: ...

    def authorise(self, *, idempotency_key: str, amount: Decimal, currency: str, order_number: str) -> PaymentResult:
        """Hold an amount on the customer's card without taking it (an instant exchange's cover)."""
        ...

    def void(self, *, idempotency_key: str, reference: str) -> PaymentResult:
        """Release a hold placed by ``authorise``."""
        ...


class Carrier(Protocol):
    """Books a return parcel; booking the same RMA number twice gives the same tracking number."""

    name: str
    display_name: str

    def book_return(self, *, rma_number: str, from_country: str, to_country: str) -> LabelBooking: ...


class SmsGateway(Protocol):
    """Sends one text message; the same idempotency key is sent once."""

    name: str

    def send(self, *, to: str, body: str, idempotency_key: str) -> None: ...


def payment_provider() -> PaymentProvider:
    return import_string(settings.PAYMENT_PROVIDER)()


def carrier() -> Carrier:
    return import_string(settings.CARRIER_ADAPTER)()


def sms_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()
