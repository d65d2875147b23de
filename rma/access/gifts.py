"""Gift codes: the recipient of a gift returns it with the order number and the code on the gift packing slip.

A code is an HMAC of the order number and the code's serial under the server's secret, shown in groups of
four from Crockford's base32 (no I, L, O, U; typing them by mistake still works). Checking one is throttled
per client and per order number like the lookup, and the answer is the same for an unknown order and a
wrong code.
"""

import base64

from django.db import transaction
from django.db.models import Max
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from rma.access import throttles
from rma.access.models import GiftCode
from rma.orders.models import Order

GIFT_SALT = "rma.gift-code"
_STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPOS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V", "-": None, " ": None})


class GiftCodeInvalid(Exception):
    """No order with this number and code (the message never says which of the two was wrong)."""


def gift_code_text(gift: GiftCode) -> str:
    """The code as printed: 12 characters in three groups (60 bits)."""
    digest = salted_hmac(GIFT_SALT, f"{gift.order.number}:{gift.serial}", algorithm="sha256").digest()
    plain = base64.b32encode(digest).decode()[:12].translate(str.maketrans(_STANDARD, _CROCKFORD))
    return "-".join(plain[i : i + 4] for i in range(0, 12, 4))


def _normal(code: str) -> str:
    return (code or "").strip().upper().translate(_TYPOS)


@transaction.atomic
def gift_code_issue(*, order: Order, actor=None) -> GiftCode:
    """A new gift code for the order (the older ones keep working until revoked)."""
    Order.objects.select_for_update().get(pk=order.pk)
    serial = (order.gift_codes.aggregate(n=Max("serial"))["n"] or 0) + 1
    return GiftCode.objects.create(order=order, serial=serial, created_by=actor)


def gift_code_current(*, order: Order) -> GiftCode:
    """The code a gift packing slip prints: the newest one still valid, made now if there is none."""
    gift = order.gift_codes.filter(revoked_at__isnull=True).order_by("-serial").first()
    return gift or gift_code_issue(order=order)


def gift_code_verify(*, number: str, code: str, client: str | None) -> Order:
    """The order a gift code opens; throttled per client and order number, whatever the details matched."""
    number = (number or "").strip().lstrip("#").strip()
    throttles.throttle_take(action="gift_code", subjects={"client": client, "order": throttles.subject_normal(number)})
    typed = _normal(code)
    order = Order.objects.filter(number__iexact=number).first()
    gifts = list(order.gift_codes.filter(revoked_at__isnull=True)) if order else []
    matched = False
    for gift in gifts:
        matched |= constant_time_compare(_normal(gift_code_text(gift)), typed)
    if not matched:
        raise GiftCodeInvalid(
            _("We could not find a gift with this order number and gift code. Check both on the gift slip.")
        )
    return order
