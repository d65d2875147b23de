"""Checks made before any document is rendered: every problem becomes one ``DocumentError`` subclass."""

import enum
import re

from babel.numbers import is_currency

from rma.logistics.documents.data import Address, ShipmentDocumentData
from rma.logistics.documents.errors import (
    DocumentError,
    IncompleteAddress,
    MalformedHsCode,
    MissingCustomsData,
    NoItems,
    UnknownCountry,
    UnknownCurrency,
    UnprintableAddress,
    UnprintableItem,
)
from rma.logistics.documents.fonts import unprintable_characters
from rma.logistics.documents.places import country_known

# HS codes: 6 digits are international; national tariffs add up to 4 more. Dots and spaces are layout.
_HS_CODE = re.compile(r"^\d{6,10}$")


class DocumentKind(enum.StrEnum):
    LABEL = "label"
    PACKING_SLIP = "packing_slip"
    CUSTOMS_DECLARATION = "customs_declaration"  # CN23
    COMMERCIAL_INVOICE = "commercial_invoice"


CUSTOMS_KINDS = frozenset({DocumentKind.CUSTOMS_DECLARATION, DocumentKind.COMMERCIAL_INVOICE})


def hs_code_normalize(value: str) -> str:
    return re.sub(r"[.\s]", "", value or "")


def _address_problems(address: Address, role: str) -> list[DocumentError]:
    problems: list[DocumentError] = []
    for name in Address.REQUIRED:
        if not getattr(address, name).strip():
            problems.append(IncompleteAddress(field=f"{role}.{name}", address=role, field_name=name))
    if address.country.strip() and not country_known(address.country):
        problems.append(UnknownCountry(field=f"{role}.country", address=role, country=address.country))
    for name in Address.FIELDS:
        missing = unprintable_characters(getattr(address, name))
        if missing:
            problems.append(
                UnprintableAddress(field=f"{role}.{name}", address=role, field_name=name, characters="".join(missing))
            )
    return problems


def _customs_problems(data: ShipmentDocumentData) -> list[DocumentError]:
    problems: list[DocumentError] = []
    for number, line in enumerate(data.lines, start=1):
        where = {"line": number, "item": line.description}
        if not line.hs_code.strip():
            problems.append(MissingCustomsData(field=f"lines[{number}].hs_code", field_name="hs_code", **where))
        elif not _HS_CODE.match(hs_code_normalize(line.hs_code)):
            problems.append(MalformedHsCode(field=f"lines[{number}].hs_code", hs_code=line.hs_code, **where))
        if not line.weight_grams or line.weight_grams <= 0:
            problems.append(
                MissingCustomsData(field=f"lines[{number}].weight_grams", field_name="weight_grams", **where)
            )
        if not line.origin_country.strip():
            problems.append(
                MissingCustomsData(field=f"lines[{number}].origin_country", field_name="origin_country", **where)
            )
        elif "-" in line.origin_country or not country_known(line.origin_country):
            problems.append(
                UnknownCountry(field=f"lines[{number}].origin_country", country=line.origin_country, **where)
            )
        if not is_currency(line.currency):
            problems.append(UnknownCurrency(field=f"lines[{number}].currency", currency=line.currency, **where))
    return problems


def document_problems(data: ShipmentDocumentData, kind: DocumentKind) -> list[DocumentError]:
    """Every reason the document of this kind cannot be made from this data, in print order."""
    if not data.lines:
        return [NoItems(field="lines")]
    problems = _address_problems(data.sender, "sender") + _address_problems(data.recipient, "recipient")
    for number, line in enumerate(data.lines, start=1):
        missing = unprintable_characters(line.description)
        if missing:
            problems.append(
                UnprintableItem(
                    field=f"lines[{number}].description",
                    line=number,
                    item=line.description,
                    characters="".join(missing),
                )
            )
    if kind in CUSTOMS_KINDS:
        problems += _customs_problems(data)
    return problems


def document_validate(data: ShipmentDocumentData, kind: DocumentKind) -> None:
    """Raise the first problem ``document_problems`` finds; every renderer calls this first."""
    problems = document_problems(data, kind)
    if problems:
        raise problems[0]


def documents_required(data: ShipmentDocumentData) -> tuple[DocumentKind, ...]:
    """The documents a parcel needs: label and packing slip, plus CN23 and invoice across a customs border."""
    kinds = (DocumentKind.LABEL, DocumentKind.PACKING_SLIP)
    if data.is_cross_border:
        kinds += (DocumentKind.CUSTOMS_DECLARATION, DocumentKind.COMMERCIAL_INVOICE)
    return kinds


def shipment_problems(data: ShipmentDocumentData) -> list[DocumentError]:
    """The problems of every document the parcel needs, each once: what the agent sees on the case."""
    seen, problems = set(), []
    for kind in documents_required(data):
        for problem in document_problems(data, kind):
            key = (problem.code, problem.field)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    return problems
