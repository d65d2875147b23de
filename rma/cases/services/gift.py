"""Gift returns: the recipient of a gift returns it with the order number and the gift code (rma.access.gifts).

The recipient becomes the case's customer (found or added by the email they give), so every message, link
and store credit goes to them and nothing to the buyer. They get store credit or an exchange, never money
back to the buyer's payment method (``case_open`` and ``case_refund`` refuse it).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rma.cases.models import ReturnCase
from rma.cases.services import cases
from rma.cases.services.errors import CaseInvalid
from rma.orders.models import Customer, Order


def gift_recipient(*, order: Order, email: str, name: str, language: str) -> Customer:
    """The recipient as a customer: the one with this email, or a new one in the country the gift went to."""
    email = email.strip().lower()
    if not email or not name.strip():
        raise CaseInvalid(_("Give your name and your email address: we write to you, not to the buyer."))
    if email == order.customer.email.lower():
        return order.customer  # the buyer returning their own gift order
    try:
        with transaction.atomic():
            return Customer.objects.get_or_create(
                email__iexact=email,
                defaults={"email": email, "name": name.strip(), "language": language, "country": order.ship_country},
            )[0]
    except IntegrityError:  # another request added the same email meanwhile
        return Customer.objects.get(email__iexact=email)


def gift_return_open(
    *,
    order: Order,
    email: str,
    name: str,
    items: list[cases.ItemRequest],
    language: str,
    return_method: str | None = None,
) -> ReturnCase:
    """File the recipient's return of items of ``order`` (whose gift code the caller has checked)."""
    recipient = gift_recipient(order=order, email=email, name=name, language=language)
    return cases.case_open(customer=recipient, items=items, language=language, return_method=return_method,
                           gift_order=order)  # fmt: skip
