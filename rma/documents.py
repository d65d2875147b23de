"""PDF documents rendered with WeasyPrint: the return label."""

import base64
import io

import barcode
import segno
from barcode.writer import SVGWriter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

RETURN_CENTER = {
    "name": "Returns Centre",
    "street": "Via dei Resi 1",
    "postcode": "20121",
    "city": "Milano",
    "country": "IT",
}


def _svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def code128_svg(value: str) -> bytes:
    out = io.BytesIO()
    barcode.Code128(value, writer=SVGWriter()).write(
        out, options={"module_height": 12, "font_size": 8, "text_distance": 4, "quiet_zone": 2}
    )
    return out.getvalue()


def qr_svg(value: str) -> bytes:
    out = io.BytesIO()
    segno.make(value, error="m").save(out, kind="svg", scale=4, border=1)
    return out.getvalue()


def label_pdf(*, case, shipment_tracking: str, carrier_name: str) -> bytes:
    """A6 return label in the customer's language: RMA number, addresses, Code128 barcode, QR code."""
    order = case.items.first().order_line.order
    with translation.override(case.language):
        html = render_to_string(
            "rma/pdf/label.html",
            {
                "case": case,
                "order": order,
                "items": list(case.items.select_related("order_line")),
                "return_center": RETURN_CENTER,
                "barcode": _svg_data_uri(code128_svg(case.rma_number)),
                "qr": _svg_data_uri(qr_svg(f"RMA:{case.rma_number};TRK:{shipment_tracking}")),
                "tracking": shipment_tracking,
                "carrier": carrier_name,
                "shop_name": settings.SHOP_NAME,
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
