"""The local adapters, the defaults: a payment ledger, a simulated carrier and an SMS log, all in the database.

They implement the interfaces of ``rma.integrations.ports`` with no account anywhere, so the embedded
default and the tests run the whole flow; a real provider's adapter replaces one in the settings.
"""

import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from rma.integrations.models import LocalPayment, LocalSms
from rma.integrations.ports import LabelBooking, PaymentResult


class LocalPaymentProvider:
    """Records refunds in its own table; the same idempotency key always returns the first payment."""

    name = "local"

    def refund(self, *, idempotency_key: str, amount: Decimal, currency: str, order_number: str) -> PaymentResult:
        return self._record("refund", idempotency_key, amount, currency)

    def charge(self, *, idempotency_key: str, amount: Decimal, currency: str, order_number: str) -> PaymentResult:
        return self._record("charge", idempotency_key, amount, currency)

    def authorise(self, *, idempotency_key: str, amount: Decimal, currency: str, order_number: str) -> PaymentResult:
        return self._record("hold", idempotency_key, amount, currency)

    def void(self, *, idempotency_key: str, reference: str) -> PaymentResult:
        held = LocalPayment.objects.get(reference=reference, kind="hold")
        return self._record("void", idempotency_key, held.amount, held.currency)

    def _record(self, kind, idempotency_key, amount, currency) -> PaymentResult:
        try:
            with transaction.atomic():
                payment = LocalPayment.objects.create(
                    idempotency_key=idempotency_key,
                    kind=kind,
                    amount=amount,
                    currency=currency,
                    reference="LP-" + secrets.token_hex(8).upper(),
                )
        except IntegrityError:
            payment = LocalPayment.objects.get(idempotency_key=idempotency_key)
        return PaymentResult(reference=payment.reference)


class LocalCarrier:
    """A simulated carrier: issues tracking numbers derived from the RMA number (stable on retries)."""

    name = "local"
    display_name = "Returns Post"

    def book_return(self, *, rma_number: str, from_country: str, to_country: str) -> LabelBooking:
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{rma_number}".encode()).hexdigest()[:12].upper()
        return LabelBooking(carrier=self.display_name, tracking_number=f"RP{digest}{to_country[:2]}")


class LocalSmsGateway:
    """Records text messages in its own table instead of sending them; one record per idempotency key."""

    name = "local"

    def send(self, *, to: str, body: str, idempotency_key: str) -> None:
        LocalSms.objects.get_or_create(idempotency_key=idempotency_key, defaults={"phone": to, "body": body})


def local_tracking_event(*, tracking_number: str, status: str, location: str = "") -> dict:
    """What the simulated carrier sends to the tracking webhook for one scan."""
    return {
        "event_id": f"{tracking_number}:{status}:{secrets.token_hex(4)}",
        "tracking_number": tracking_number,
        "status": status,
        "occurred_at": timezone.now().isoformat(),
        "location": location,
    }
