"""Pure renderers: ShipmentDocumentData in, PDF bytes out, in the customer's language.

Speed matters (a label per approved return, 500 in a burst): the stylesheets are parsed once per
process and format, and one WeasyPrint FontConfiguration is shared by every render, so fonts are
looked up once; one URL fetcher (returns_portal.pdf) reads data: URIs and the app's own files only.
Barcodes and QR codes are 1-bit PNGs drawn without smoothing, which WeasyPrint embeds faster than it parses SVG paths.
"""

import functools
import unicodedata
from decimal import Decimal

from babel.units import format_unit
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from returns_portal.formatting import babel_locale, format_date, format_money, format_number
from returns_portal.pdf import pdf_base_url, pdf_url_fetcher
from rma.logistics.documents.codes import code128_png_uri, dropoff_code_sign, qr_png_uri
from rma.logistics.documents.data import PAGE_SIZES, Address, PageFormat, ShipmentDocumentData
from rma.logistics.documents.places import address_language, country_name, country_part
from rma.logistics.documents.validation import DocumentKind, document_validate, hs_code_normalize

# Lines printed on a label before "and N more items": the rest is on the packing slip.
LABEL_MAX_LINES = 5
# Subdivision-aware address layouts; everything else prints "postcode city" then the region.
_CITY_REGION_POSTCODE = frozenset({"US", "CA", "AU"})
_CITY_THEN_POSTCODE = frozenset({"GB", "IE"})
_POSTCODE_REGION_CITY = frozenset({"CN", "JP", "KR", "TW"})


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet(name: str, page_format: PageFormat) -> CSS:
    """A template's stylesheet (``templates/rma/pdf/<name>.css``) with the page size, parsed once."""
    source = get_template(f"rma/pdf/{name}.css").template.source
    page = f"@page {{ size: {PAGE_SIZES[page_format]}; }}"
    return CSS(string=source + "\n" + page, font_config=_font_config(), url_fetcher=pdf_url_fetcher())


def _direction(text: str) -> str:
    """``rtl`` when the first letter with a strong direction is Arabic or Hebrew, else ``ltr``."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _is_cjk(text: str) -> bool:
    return any(
        "\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" or "\uf900" <= c <= "\ufaff"
        for c in text
    )


def address_lines(address: Address) -> list[str]:
    """The lines of an address, without the country, in the order its country's post expects.

    Chinese, Japanese and Korean addresses written in their own script go from large to small
    (postcode, city, street, name); the same addresses romanised, and the rest, go name first.
    """
    country = country_part(address.country)
    streets = [line.strip() for line in address.street.splitlines() if line.strip()]
    if country in _POSTCODE_REGION_CITY and _is_cjk(address.street + address.city):
        lines = [address.postcode, "".join((address.region, address.city)), *streets, address.company, address.name]
        return [line for line in lines if line and line.strip()]
    if country in _CITY_REGION_POSTCODE:
        city = f"{address.city}," if address.region else address.city
        locality = [" ".join(p for p in (city, address.region, address.postcode) if p)]
    elif country in _CITY_THEN_POSTCODE:
        locality = [address.city, address.region, address.postcode]
    else:
        locality = [" ".join(p for p in (address.postcode, address.city) if p), address.region]
    lines = [address.name, address.company, *streets, *locality]
    return [line for line in lines if line and line.strip()]


def _address_context(address: Address) -> dict:
    local = country_name(address.country)
    english = country_name(address.country, "en").upper()
    return {
        "lines": [
            {"text": line, "dir": _direction(line), "is_name": line == address.name} for line in address_lines(address)
        ],
        "lang": address_language(address.country),
        # Sorting reads the English name in capitals; the local name helps the post of the country.
        "country_en": english,
        "country_local": "" if local.upper() == english else local,
        "phone": address.phone,
    }


def format_weight(grams: int | None) -> str:
    """A net weight in kilograms in the active locale (``1,25 kg``); empty when unknown."""
    if grams is None:
        return ""
    kilograms = Decimal(grams) / 1000
    return format_unit(kilograms, "mass-kilogram", length="short", format="#,##0.###", locale=babel_locale())


def _lines_context(data: ShipmentDocumentData) -> list[dict]:
    return [
        {
            "number": number,
            "description": line.description,
            "sku": line.sku,
            "quantity": format_number(line.quantity),
            "hs_code": hs_code_normalize(line.hs_code),
            "origin": country_part(line.origin_country),
            "origin_name": country_name(line.origin_country) if line.origin_country else "",
            "weight": format_weight(line.net_weight_grams),
            "unit_value": format_money(line.unit_value, line.currency),
            "value": format_money(line.value, line.currency),
            "order_number": line.order_number,
        }
        for number, line in enumerate(data.lines, start=1)
    ]


def _context(data: ShipmentDocumentData) -> dict:
    return {
        "data": data,
        "sender": _address_context(data.sender),
        "recipient": _address_context(data.recipient),
        "lines": _lines_context(data),
        "item_count": data.item_count,
        "total_weight": format_weight(data.total_weight_grams),
        "totals": [format_money(amount, currency) for currency, amount in data.totals_by_currency],
        "issued_on": format_date(data.issued_on),
        "shop_name": data.shop_name or settings.SHOP_NAME,
        "is_cross_border": data.is_cross_border,
    }


def _pdf(template: str, stylesheet: str, page_format: PageFormat, data: ShipmentDocumentData, **extra) -> bytes:
    with translation.override(data.language):
        context = _context(data)
        context.update(extra, page_format=page_format.value)
        if "barcode_value" in context:
            context["barcode"] = code128_png_uri(context["barcode_value"])
        if "qr_value" in context:
            context["qr"] = qr_png_uri(context["qr_value"])
        context["shown_lines"] = context["lines"][: context.get("max_lines") or None]
        html = render_to_string(template, context)
    return HTML(string=html, base_url=pdf_base_url(), url_fetcher=pdf_url_fetcher()).write_pdf(
        stylesheets=[_stylesheet(stylesheet, page_format)], font_config=_font_config()
    )


def _label_format(fmt: str) -> PageFormat:
    page_format = PageFormat(fmt)
    if page_format not in (PageFormat.A6, PageFormat.THERMAL_4X6):
        raise ValueError(f"labels are printed in A6 or 4x6, not {fmt!r}")
    return page_format


def render_label(data: ShipmentDocumentData, *, fmt: str = PageFormat.A6) -> bytes:
    """The return label (A6 or 4×6 in): RMA number, both addresses, Code128 and drop-off QR, items, weight."""
    page_format = _label_format(fmt)
    document_validate(data, DocumentKind.LABEL)
    return _pdf(
        "rma/pdf/label.html",
        "label",
        page_format,
        data,
        max_lines=LABEL_MAX_LINES,
        more_items=sum(line.quantity for line in data.lines[LABEL_MAX_LINES:]),
        barcode_value=data.rma_number,
        qr_value=dropoff_code_sign(data.rma_number),
    )


def render_packing_slip(data: ShipmentDocumentData, *, fmt: str = PageFormat.A6) -> bytes:
    """The slip that goes inside the box: RMA number as text and barcode, every item and quantity."""
    page_format = PageFormat(fmt)
    document_validate(data, DocumentKind.PACKING_SLIP)
    stylesheet = "sheet" if page_format == PageFormat.A4 else "label"
    return _pdf("rma/pdf/packing_slip.html", stylesheet, page_format, data, barcode_value=data.rma_number)


def render_customs_declaration(data: ShipmentDocumentData) -> bytes:
    """The customs declaration in the CN 23 layout (A4), category of item: returned goods."""
    document_validate(data, DocumentKind.CUSTOMS_DECLARATION)
    return _pdf(
        "rma/pdf/customs_declaration.html",
        "sheet",
        PageFormat.A4,
        data,
        barcode_value=data.tracking_number or data.rma_number,
    )


def render_commercial_invoice(data: ShipmentDocumentData) -> bytes:
    """The commercial invoice for customs (A4), marked as returned goods, filled from the order lines."""
    document_validate(data, DocumentKind.COMMERCIAL_INVOICE)
    return _pdf("rma/pdf/commercial_invoice.html", "sheet", PageFormat.A4, data)


RENDERERS = {
    DocumentKind.LABEL: render_label,
    DocumentKind.PACKING_SLIP: render_packing_slip,
    DocumentKind.CUSTOMS_DECLARATION: render_customs_declaration,
    DocumentKind.COMMERCIAL_INVOICE: render_commercial_invoice,
}
