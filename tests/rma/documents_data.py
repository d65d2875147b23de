"""Sample document data for the documents tests: plain dataclasses, no database."""

import datetime
from dataclasses import replace
from decimal import Decimal

from rma.logistics.documents import Address, DocumentLine, ShipmentDocumentData

MILAN = Address(name="Returns Centre", street="Via dei Resi 1", postcode="20121", city="Milano", country="IT")
ROME = Address(name="Giulia Rossi", street="Via Roma 1", postcode="00184", city="Roma", country="IT")
SHANGHAI = Address(name="王芳", street="南京东路100号", postcode="200001", city="上海市", country="CN")
RIYADH = Address(name="أحمد علي", street="شارع الملك فهد 12", postcode="11564", city="الرياض", country="SA")


def line(n: int = 1, **changes) -> DocumentLine:
    base = DocumentLine(
        description=f"Giacca invernale {n}",
        quantity=n,
        unit_value=Decimal("49.90"),
        currency="EUR",
        sku=f"SKU-{n}",
        hs_code="6201.40",
        weight_grams=850,
        origin_country="VN",
        order_number="IT-1001",
    )
    return replace(base, **changes)


def shipment(*, sender: Address = ROME, recipient: Address = MILAN, lines=None, **changes) -> ShipmentDocumentData:
    base = ShipmentDocumentData(
        rma_number="R0123456789",
        language="it",
        sender=sender,
        recipient=recipient,
        lines=tuple(lines) if lines is not None else (line(1), line(2)),
        issued_on=datetime.date(2026, 7, 1),
        shop_name="Demo Shop",
        carrier="Returns Post",
        tracking_number="RP1234567890ABIT",
        order_numbers=("IT-1001",),
    )
    return replace(base, **changes)
