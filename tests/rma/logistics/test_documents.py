"""The shipping documents, rendered for real and read back with pypdf: text, page sizes, fonts, languages."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from returns_portal.formatting import format_money
from rma.logistics import documents
from rma.logistics.documents import ReturnPurpose
from tests.rma.documents_data import MILAN, RIYADH, SHANGHAI, line, shipment

A6_POINTS = (298, 420)  # 105 × 148 mm
THERMAL_4X6_POINTS = (288, 432)  # 4 × 6 in
A4_POINTS = (595, 842)


def read(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
    # Babel separates amount and symbol with a no-break space; compare with plain spaces.
    text = "\n".join(p.extract_text() for p in reader.pages).replace("\xa0", " ").replace("\u202f", " ")
    return reader, size, text


def font_names(reader) -> str:
    return " ".join(str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values())


@pytest.mark.parametrize(("fmt", "points"), [("a6", A6_POINTS), ("4x6", THERMAL_4X6_POINTS)])
def test_label_fits_one_page_of_its_format(fmt, points):
    reader, size, _text = read(documents.render_label(shipment(), fmt=fmt))
    assert len(reader.pages) == 1
    assert size == points


def test_label_other_formats_are_refused():
    with pytest.raises(ValueError, match="A6 or 4x6"):
        documents.render_label(shipment(), fmt="a4")


def test_label_prints_rma_tracking_addresses_items_and_weight_in_the_customers_language():
    _reader, _size, text = read(documents.render_label(shipment(language="it")))
    assert text.count("R0123456789") >= 2  # the heading and the barcode's human-readable line
    assert "RP1234567890ABIT" in text
    assert "Giulia Rossi" in text and "00184 Roma" in text
    assert "Returns Centre" in text and "20121 Milano" in text
    assert "Giacca invernale 1" in text and "× 2" in text
    assert "2,55 kg" in text  # 850 g × 3, with the Italian decimal comma
    headings = text.lower()  # the headings are set in capitals by CSS
    assert "mittente" in headings and "contenuto del pacco" in headings and "reso" in headings  # Italian catalogue
    assert "ITALY" in text and "Italia" in text
    assert translation.get_language() == "en"  # the customer's language did not leak out of the render


def test_label_prints_a_chinese_address_in_its_own_script_large_to_small():
    reader, _size, text = read(documents.render_label(shipment(sender=SHANGHAI, language="zh-hans")))
    assert "南京东路100号" in text and "上海市" in text and "王芳" in text
    assert text.index("200001") < text.index("上海市") < text.index("南京东路100号") < text.index("王芳")
    assert "CHINA" in text and "中国" in text
    assert "Noto-Sans-CJK" in font_names(reader)  # real text in an embedded CJK font, not an image


def test_label_prints_an_arabic_address_right_to_left_in_the_arabic_font():
    reader, _size, text = read(documents.render_label(shipment(sender=RIYADH), fmt="4x6"))
    assert "11564" in text and "SAUDI ARABIA" in text
    assert "Noto-Sans-Arabic" in font_names(reader)


def test_label_lists_five_lines_and_counts_the_rest():
    lines = [line(n, quantity=1) for n in range(1, 9)]
    _reader, _size, text = read(documents.render_label(shipment(lines=lines, language="en")))
    assert "Giacca invernale 5" in text and "Giacca invernale 6" not in text
    assert "and 3 more items (see the packing slip)" in text


def test_label_leaves_out_the_weight_when_a_line_has_none():
    _reader, _size, text = read(documents.render_label(shipment(lines=[line(1, weight_grams=None)], language="en")))
    assert "Total weight" not in text


def test_cross_border_label_asks_for_the_customs_pouch():
    _reader, _size, domestic = read(documents.render_label(shipment(language="en")))
    _reader, _size, border = read(documents.render_label(shipment(sender=SHANGHAI, language="en")))
    assert "CN 23" not in domestic
    assert "customs declaration (CN 23)" in border


def test_customs_declaration_in_the_cn23_layout():
    data = shipment(sender=SHANGHAI, language="it")
    reader, size, text = read(documents.render_customs_declaration(data))
    assert size == A4_POINTS and len(reader.pages) == 1
    assert "CN 23" in text and "R0123456789" in text and "RP1234567890ABIT" in text
    assert "620140" in text  # the HS code, dots removed
    assert format_money(Decimal("99.80"), "EUR", "it").replace("\xa0", " ") in text  # 2 × 49,90 €
    assert format_money(Decimal("149.70"), "EUR", "it").replace("\xa0", " ") in text  # the total
    assert "49,90" in text and "2,55 kg" in text and "1,7 kg" in text
    assert "VN" in text and "Vietnam" in text  # origin, named in Italian
    assert "南京东路100号" in text and "Returns Centre" in text
    assert "IT-1001" in text and "1 lug 2026" in text  # order reference, date in Italian


def test_customs_declaration_ticks_returned_goods():
    _reader, _size, text = read(documents.render_customs_declaration(shipment(sender=SHANGHAI, language="en")))
    assert "Category of item" in text and "Returned goods" in text and "Commercial sample" in text
    assert "X Returned goods" in text.replace("\n", " ")  # the only ticked box
    assert "sender's signature" in text.lower()


def test_commercial_invoice_marks_the_goods_as_returned():
    data = shipment(sender=SHANGHAI, language="en", lines=[line(1, currency="USD", unit_value=Decimal("1200.00"))])
    reader, size, text = read(documents.render_commercial_invoice(data))
    assert size == A4_POINTS and len(reader.pages) == 1
    assert "Commercial invoice" in text and "RETURNED GOODS" in text.upper()
    assert "$1,200.00" in text and "620140" in text and "Vietnam" in text
    assert "refunds the price paid" in text


def test_commercial_invoice_for_a_repair_says_no_change_in_commercial_value():
    data = shipment(sender=SHANGHAI, language="en", purpose=ReturnPurpose.REPAIR)
    _reader, _size, text = read(documents.render_commercial_invoice(data))
    assert "no change in commercial value" in text.lower()


def test_totals_are_kept_apart_per_currency():
    lines = [line(1), line(2, currency="GBP", unit_value=Decimal("10.00"))]
    _reader, _size, text = read(documents.render_commercial_invoice(shipment(lines=lines, language="en")))
    assert "€49.90" in text and "£20.00" in text


@pytest.mark.parametrize(("fmt", "points"), [("a6", A6_POINTS), ("4x6", THERMAL_4X6_POINTS), ("a4", A4_POINTS)])
def test_packing_slip_lists_every_item_with_its_quantity(fmt, points):
    lines = [line(n) for n in range(1, 8)]
    reader, size, text = read(documents.render_packing_slip(shipment(lines=lines, language="en"), fmt=fmt))
    assert size == points
    assert text.count("R0123456789") >= 2
    assert all(f"Giacca invernale {n}" in text for n in range(1, 8))
    assert "× 7" in text and "28 items in total." in text
    assert len(reader.pages[0].images) == 1  # the barcode


def test_label_qr_code_is_the_signed_drop_off_reference(monkeypatch):
    from PIL import Image

    signed = documents.dropoff_code_sign("R0123456789")
    monkeypatch.setattr("rma.logistics.documents.render.dropoff_code_sign", lambda rma: signed)
    reader, _size, _text = read(documents.render_label(shipment()))
    images = [Image.open(io.BytesIO(image.data)).convert("1") for image in reader.pages[0].images]
    qr = next(image for image in images if image.width == image.height)
    expected = documents.codes.segno.make(signed, error="m").matrix_iter(border=2)
    assert [[not qr.getpixel((x, y)) for x in range(qr.width)] for y in range(qr.height)] == [
        [bool(m) for m in row] for row in expected
    ]
    assert documents.dropoff_code_verify(signed) == "R0123456789"


def test_renderers_do_not_touch_the_database():
    # No django_db mark: pytest-django makes any query fail the test.
    for render in documents.RENDERERS.values():
        assert render(shipment(sender=SHANGHAI)).startswith(b"%PDF")


def test_renderers_validate_before_rendering():
    with pytest.raises(documents.MissingCustomsData):
        documents.render_customs_declaration(shipment(sender=SHANGHAI, lines=[line(1, hs_code="")]))
    with pytest.raises(documents.UnprintableAddress):
        documents.render_label(shipment(sender=MILAN.__class__(**{**MILAN.__dict__, "street": "ถนนสุขุมวิท"})))


def test_barcode_svg_encodes_the_rma_number():
    svg = documents.code128_svg("R0123456789").decode()
    assert "R0123456789" in svg and "<rect" in svg and "<path" in svg
