"""The gift packing slip: what the shop puts in a gift parcel instead of the invoice, with the gift code.

No prices; the order number, the items, the gift code and where to return the gift (a link and its QR code),
in the language of the person who receives it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML

from returns_portal.pdf import pdf_base_url, pdf_url_fetcher
from rma.access.gifts import gift_code_current, gift_code_text
from rma.logistics.documents.codes import qr_png_uri


def gift_slip_pdf(*, order, language: str) -> bytes:
    code = gift_code_text(gift_code_current(order=order))
    with translation.override(language):
        url = settings.SITE_URL + reverse("portal:gift_start")
        html = render_to_string(
            "rma/pdf/gift_slip.html",
            {"order": order, "code": code, "url": url, "qr": qr_png_uri(url), "shop_name": settings.SHOP_NAME},
        )
    return HTML(string=html, base_url=pdf_base_url(), url_fetcher=pdf_url_fetcher()).write_pdf()
