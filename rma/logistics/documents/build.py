"""Builds the documents' plain data from a return case: the only part of the documents that reads the database."""

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.utils import timezone

from rma.logistics.documents.data import Address, DocumentLine, ReturnPurpose, ShipmentDocumentData
from rma.logistics.documents.errors import NoItems

# The default return center; policies will route by the customer's country (issue 6, routing).
RETURN_CENTER = {
    "name": "Returns Centre",
    "street": "Via dei Resi 1",
    "postcode": "20121",
    "city": "Milano",
    "country": "IT",
}


def address_from(value) -> Address:
    """An Address from an Address, a mapping like ``RETURN_CENTER``, None (the default return center), or a
    ``policies.ReturnCenter`` (name, multi-line ``address`` whose last line is "postcode city", country).
    """
    if value is None:
        value = RETURN_CENTER
    if isinstance(value, Address):
        return value
    if isinstance(value, Mapping):
        return Address.from_mapping(value)
    lines = [line.strip() for line in value.address.splitlines() if line.strip()]
    return Address(
        name=value.name, street="\n".join(lines[:-1]), city=lines[-1] if lines else "", country=value.country
    )


def shipment_data_from_case(
    *,
    case,
    return_center=None,
    tracking_number: str = "",
    carrier_name: str = "",
    purpose: ReturnPurpose = ReturnPurpose.REFUND,
    issued_on: datetime.date | None = None,
) -> ShipmentDocumentData:
    """The documents' data for a case: the customer's shipping address, the return center, its items.

    A case may hold lines from several orders of one customer; the sender is the address staff corrected
    on the case, else the shipping address of the order of its first item. Two queries, whatever the number of items.
    """
    items = list(case.items.select_related("order_line__order__customer").order_by("id"))
    if not items:
        raise NoItems(field="lines")
    order = items[0].order_line.order
    corrected = case.return_address or {}  # staff corrected it on the case (rma.cases.services.address)
    sender = (
        Address(**{name: corrected.get(name, "") for name in Address.REQUIRED + ("postcode", "phone")})
        if corrected
        else Address(
            name=order.ship_name,
            street=order.ship_street,
            postcode=order.ship_postcode,
            city=order.ship_city,
            country=order.ship_country,
            phone=order.customer.phone,
        )
    )
    lines = tuple(
        DocumentLine(
            description=item.order_line.name,
            quantity=item.quantity,
            unit_value=item.order_line.unit_price,
            currency=item.order_line.order.currency,
            sku=item.order_line.sku,
            hs_code=item.order_line.hs_code,
            weight_grams=item.order_line.weight_grams,
            origin_country=item.order_line.origin_country,
            order_number=item.order_line.order.number,
        )
        for item in items
    )
    return ShipmentDocumentData(
        rma_number=case.rma_number,
        language=case.language,
        sender=sender,
        recipient=address_from(return_center),
        lines=lines,
        issued_on=issued_on or timezone.localdate(),
        shop_name=settings.SHOP_NAME,
        carrier=carrier_name,
        tracking_number=tracking_number,
        order_numbers=tuple(dict.fromkeys(line.order_number for line in lines)),
        purpose=purpose,
    )
