"""Correcting the address a case's parcel leaves from, so its label can be made (audited on the timeline)."""

from django.db import transaction
from django.utils.translation import gettext as _

from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import CaseStatus, ReturnCase
from rma.cases.services.errors import CaseInvalid, CasePermissionDenied, CaseTransitionNotAllowed
from rma.cases.services.money import case_lock

ADDRESS_PERMISSION = "rma.correct_address"
ADDRESS_FIELDS = ("name", "street", "postcode", "city", "country", "phone")
ADDRESS_REQUIRED = ("name", "street", "city", "country")
# Until the label exists: a label already made keeps the address it was printed with.
ADDRESS_STATUSES = (CaseStatus.REQUESTED, CaseStatus.NEEDS_INFO, CaseStatus.APPROVED)


def case_return_address(case: ReturnCase) -> dict:
    """The address the parcel leaves from: as staff corrected it, else the order's shipping address (the order
    of the case's first item) and the customer's phone."""
    if case.return_address:
        return {name: case.return_address.get(name, "") for name in ADDRESS_FIELDS}
    item = case.items.select_related("order_line__order__customer").order_by("id").first()
    if item is None:
        return dict.fromkeys(ADDRESS_FIELDS, "")
    order = item.order_line.order
    return {
        "name": order.ship_name,
        "street": order.ship_street,
        "postcode": order.ship_postcode,
        "city": order.ship_city,
        "country": order.ship_country,
        "phone": order.customer.phone,
    }


def address_correctable(case: ReturnCase, user) -> bool:
    return case.status in ADDRESS_STATUSES and case.needs_shipment and user.has_perm(ADDRESS_PERMISSION)


@transaction.atomic
def case_address_correct(
    *, case: ReturnCase, actor: Staff, name: str, street: str, city: str, country: str, postcode: str = "",
    phone: str = "",
) -> ReturnCase:  # fmt: skip
    """Staff with the "correct addresses" permission fix the address the label is made from; the timeline keeps
    the address before and after. The order itself is the shop's and stays as imported."""
    if actor is None or not actor.has_perm(ADDRESS_PERMISSION):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    locked = case_lock(case)
    if locked.status not in ADDRESS_STATUSES or not locked.needs_shipment:
        raise CaseTransitionNotAllowed(_("The return address can only be corrected before the label is made."))
    given = {"name": name, "street": street, "postcode": postcode, "city": city, "country": country, "phone": phone}
    after = {key: (value or "").strip() for key, value in given.items()}
    after["country"] = after["country"].upper()
    if any(not after[key] for key in ADDRESS_REQUIRED):
        raise CaseInvalid(_("Enter at least the name, street, city and country."))
    before = case_return_address(locked)
    if after == before:
        return case
    ReturnCase.objects.filter(pk=case.pk).update(return_address=after)
    case.return_address = after
    events.publish(events.AddressCorrected(case=case, actor=actor, role="agent", before=before, after=after))
    return case
