"""Shipping documents rendered with WeasyPrint: return label, packing slip, CN23 customs declaration, invoice.

Renderers are pure functions over the frozen dataclasses in ``data``; ``shipment_data_from_case`` builds
that data from a case. Every renderer validates first and raises a ``DocumentError`` subclass that says,
translated, what is wrong and where. See docs/documents.md.
"""

from collections.abc import Mapping

from rma.logistics.documents.build import RETURN_CENTER, address_from, shipment_data_from_case
from rma.logistics.documents.codes import (
    code128_svg,
    dropoff_code_sign,
    dropoff_code_verify,
    dropoff_qr_png,
    dropoff_qr_svg,
    qr_svg,
)
from rma.logistics.documents.data import Address, DocumentLine, PageFormat, ReturnPurpose, ShipmentDocumentData
from rma.logistics.documents.errors import (
    DocumentError,
    DropOffCodeExpired,
    DropOffCodeInvalid,
    IncompleteAddress,
    MalformedHsCode,
    MissingCustomsData,
    NoItems,
    UnknownCountry,
    UnknownCurrency,
    UnprintableAddress,
    UnprintableItem,
    problems_describe,
)
from rma.logistics.documents.places import crosses_customs_border
from rma.logistics.documents.render import (
    RENDERERS,
    render_commercial_invoice,
    render_customs_declaration,
    render_label,
    render_packing_slip,
)
from rma.logistics.documents.validation import (
    DocumentKind,
    document_problems,
    document_validate,
    documents_required,
    shipment_problems,
)

__all__ = [
    "RENDERERS",
    "RETURN_CENTER",
    "Address",
    "DocumentError",
    "DocumentKind",
    "DocumentLine",
    "DropOffCodeExpired",
    "DropOffCodeInvalid",
    "IncompleteAddress",
    "MalformedHsCode",
    "MissingCustomsData",
    "NoItems",
    "PageFormat",
    "ReturnPurpose",
    "ShipmentDocumentData",
    "UnknownCountry",
    "UnknownCurrency",
    "UnprintableAddress",
    "UnprintableItem",
    "address_from",
    "code128_svg",
    "crosses_customs_border",
    "document_problems",
    "document_validate",
    "documents_required",
    "dropoff_code_sign",
    "dropoff_code_verify",
    "dropoff_qr_png",
    "dropoff_qr_svg",
    "label_pdf",
    "problems_describe",
    "qr_svg",
    "render_commercial_invoice",
    "render_customs_declaration",
    "render_label",
    "render_packing_slip",
    "shipment_data_from_case",
    "shipment_problems",
]


def label_pdf(
    *,
    case,
    shipment_tracking: str,
    carrier_name: str,
    fmt: str = PageFormat.A6,
    return_center: Address | Mapping[str, str] | None = None,
) -> bytes:
    """The case's return label in the customer's language (the services' entry point since the skeleton).

    Raises a ``DocumentError`` subclass when the label cannot be printed as the data stands.
    """
    data = shipment_data_from_case(
        case=case, return_center=return_center, tracking_number=shipment_tracking, carrier_name=carrier_name
    )
    return render_label(data, fmt=fmt)
