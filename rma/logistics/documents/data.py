"""The plain data every shipping document is rendered from: no models, no database."""

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rma.logistics.documents.places import crosses_customs_border


class PageFormat(enum.StrEnum):
    A6 = "a6"  # 105 × 148 mm, four to an A4 sheet or a label printer's A6 roll
    THERMAL_4X6 = "4x6"  # 4 × 6 in, the common thermal label
    A4 = "a4"


# CSS page sizes; one place, so the tests and the stylesheets agree.
PAGE_SIZES = {PageFormat.A6: "105mm 148mm", PageFormat.THERMAL_4X6: "4in 6in", PageFormat.A4: "210mm 297mm"}


class ReturnPurpose(enum.StrEnum):
    """Why the goods cross the border, as the commercial invoice states it."""

    REFUND = "refund"  # the goods go back to the seller, who refunds or credits the price
    REPAIR = "repair"  # repair or replacement under guarantee: no change in commercial value


@dataclass(frozen=True)
class Address:
    """A postal address in the script it is written in. ``street`` may hold several lines."""

    name: str
    street: str
    city: str
    country: str  # ISO 3166-1 alpha-2, optionally with a subdivision: "US-CA"
    postcode: str = ""
    region: str = ""
    company: str = ""
    phone: str = ""

    # The fields validation checks, in the order they are printed.
    FIELDS = ("name", "company", "street", "postcode", "city", "region", "country", "phone")
    REQUIRED = ("name", "street", "city", "country")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str]) -> "Address":
        """An address from a dict such as ``RETURN_CENTER``; unknown keys are refused, so typos show."""
        return cls(**dict(mapping))


@dataclass(frozen=True)
class DocumentLine:
    """One returned product: what customs and the warehouse need to know about it."""

    description: str
    quantity: int
    unit_value: Decimal  # the price paid per unit, in ``currency``
    currency: str
    sku: str = ""
    hs_code: str = ""
    weight_grams: int | None = None  # net weight of one unit
    origin_country: str = ""
    order_number: str = ""

    @property
    def value(self) -> Decimal:
        return self.unit_value * self.quantity

    @property
    def net_weight_grams(self) -> int | None:
        return None if not self.weight_grams else self.weight_grams * self.quantity


@dataclass(frozen=True)
class ShipmentDocumentData:
    """Everything the label, packing slip, customs declaration and commercial invoice print."""

    rma_number: str
    language: str  # the customer's language: documents are rendered in it
    sender: Address  # the customer, where the parcel comes from
    recipient: Address  # the return center
    lines: tuple[DocumentLine, ...]
    issued_on: datetime.date
    shop_name: str = ""
    carrier: str = ""
    tracking_number: str = ""
    order_numbers: tuple[str, ...] = ()
    purpose: ReturnPurpose = ReturnPurpose.REFUND

    @property
    def is_cross_border(self) -> bool:
        """The parcel leaves the customs territory it starts in: CN23 and a commercial invoice go with it."""
        return crosses_customs_border(self.sender.country, self.recipient.country)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total_weight_grams(self) -> int | None:
        """Net weight of all items, or None when a line's weight is not known."""
        weights = [line.net_weight_grams for line in self.lines]
        return None if not weights or None in weights else sum(weights)

    @property
    def totals_by_currency(self) -> tuple[tuple[str, Decimal], ...]:
        """Total value per currency, in order of first appearance (a case may span orders)."""
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.currency] = totals.get(line.currency, Decimal("0")) + line.value
        return tuple(totals.items())
