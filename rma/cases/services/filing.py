"""Filing items from several orders at once: one case per place the goods go back to, in one transaction."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from rma.cases.models import ReturnCase
from rma.cases.services.cases import ItemRequest, case_open
from rma.cases.services.errors import CaseInvalid
from rma.orders.models import Customer


@dataclass(frozen=True)
class CaseGroup:
    """Items that travel together: one case, one parcel, one label.

    The policy and the return centre follow the customer's country, so every order of a customer goes
    back to the same place under the same policy; what splits a request is the money (a case is settled
    in one currency).
    """

    currency: str
    items: tuple[ItemRequest, ...]

    @property
    def order_numbers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.order_line.order.number for i in self.items))


def case_groups(items: list[ItemRequest]) -> list[CaseGroup]:
    """The cases a request becomes, in the order its items were listed."""
    grouped: dict[str, list[ItemRequest]] = defaultdict(list)
    for item in items:
        grouped[item.order_line.order.currency].append(item)
    return [CaseGroup(currency=currency, items=tuple(group)) for currency, group in grouped.items()]


def cases_open(
    *, customer: Customer, items: list[ItemRequest], language: str, return_method: str | None = None
) -> list[ReturnCase]:
    """File one case per group (``case_groups``); all of them or none. Each is checked as ``case_open`` does,
    under the customer's row lock, so limits and quantities hold across the groups too."""
    if not items:
        raise CaseInvalid(_("Choose at least one item to return."))
    with transaction.atomic():
        return [
            case_open(customer=customer, items=list(group.items), language=language, return_method=return_method)
            for group in case_groups(items)
        ]
