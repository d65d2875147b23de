"""The return label PDF, rendered for real and read back."""

import io

import pytest
from pypdf import PdfReader

from rma import services
from rma.models import Shipment
from tests.rma.factories import CustomerFactory, OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_label_pdf_has_the_rma_number_barcode_tracking_and_addresses(eu_policy):
    customer = CustomerFactory(name="王芳", language="zh-hans", country="IT")
    order = OrderFactory(customer=customer, ship_street="南京东路100号", ship_city="上海市")
    line = OrderLineFactory(order=order, name="Giacca")
    case = services.case_open(customer=customer, items=[services.ItemRequest(line, 1, "too_small")], language="zh-hans")
    shipment = Shipment.objects.get(case=case)
    reader = PdfReader(io.BytesIO(shipment.label_pdf.read()))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (298, 420)  # A6 in points
    text = reader.pages[0].extract_text()
    assert case.rma_number in text  # printed, and as the barcode's human-readable line
    assert text.count(case.rma_number) >= 2
    assert shipment.tracking_number in text
    assert "南京东路100号" in text and "Giacca" in text
    fonts = str(reader.pages[0]["/Resources"]["/Font"])
    assert fonts  # text is real text in embedded fonts, not an image


def test_barcode_encodes_the_rma_number():
    from rma.documents import code128_svg

    svg = code128_svg("R0123456789").decode()
    assert "R0123456789" in svg and "<rect" in svg
