"""Barcodes, QR codes and the signed drop-off reference a drop-off point scans."""

import io
from unittest import mock

import pytest
from django.core import signing
from PIL import Image

from rma.logistics import documents
from rma.logistics.documents import codes


def test_drop_off_code_round_trip():
    value = documents.dropoff_code_sign("R0123456789")
    assert value.startswith("R0123456789:")
    assert documents.dropoff_code_verify(value) == "R0123456789"
    assert documents.dropoff_code_verify(f"  {value}\n") == "R0123456789"  # scanners add line ends


@pytest.mark.parametrize(
    "scanned",
    [
        "R0123456789",
        "",
        "garbage:with:colons",
    ],
)
def test_unsigned_values_are_refused(scanned):
    with pytest.raises(documents.DropOffCodeInvalid) as caught:
        documents.dropoff_code_verify(scanned)
    assert str(caught.value) == "This code is not a valid drop-off code of this shop."


def test_an_altered_rma_number_is_refused():
    value = documents.dropoff_code_sign("R0123456789")
    with pytest.raises(documents.DropOffCodeInvalid):
        documents.dropoff_code_verify(value.replace("R0123456789", "R0123456788"))


def test_a_value_signed_for_something_else_is_refused():
    other = signing.TimestampSigner(salt="rma.something_else").sign("R0123456789")
    with pytest.raises(documents.DropOffCodeInvalid):
        documents.dropoff_code_verify(other)


def test_an_old_code_is_expired_when_a_maximum_age_is_given():
    with mock.patch("django.core.signing.time.time", return_value=1_800_000_000):
        value = documents.dropoff_code_sign("R0123456789")
    with mock.patch("django.core.signing.time.time", return_value=1_800_000_000 + 31 * 86400):
        assert documents.dropoff_code_verify(value) == "R0123456789"
        with pytest.raises(documents.DropOffCodeExpired) as caught:
            documents.dropoff_code_verify(value, max_age=30 * 86400)
    assert isinstance(caught.value, documents.DropOffCodeInvalid)
    assert "expired" in str(caught.value)


def test_drop_off_qr_svg_is_a_scalable_qr_code():
    svg = documents.dropoff_qr_svg("R0123456789").decode()
    assert svg.startswith("<svg") and "viewBox" in svg and "<path" in svg


def test_code128_png_has_one_pixel_per_module_and_quiet_zones():
    uri = codes.code128_png_uri("R0123456789")
    image = Image.open(io.BytesIO(codes.base64.b64decode(uri.split(",", 1)[1])))
    modules = codes.barcode.Code128("R0123456789").build()[0]
    pixels = "".join("1" if not image.getpixel((x, 0)) else "0" for x in range(image.width))
    assert image.height == 1 and pixels == "0" * 10 + modules + "0" * 10


def test_code128_svg_bars_match_the_modules():
    svg = documents.code128_svg("R1").decode()
    modules = codes.barcode.Code128("R1").build()[0]
    # Each dark run becomes one rectangle of the path: as many "h" moves as runs of ones.
    runs = [run for run in modules.split("0") if run]
    assert svg.count("v10h-") == len(runs)


def test_drawings_are_kept_per_value_and_bounded():
    codes.qr_png_uri.cache_clear()
    first = codes.qr_png_uri("R0123456789:kept")
    assert codes.qr_png_uri("R0123456789:kept") is first
    assert codes.qr_png_uri("R0123456789:other") != first
    assert codes.qr_png_uri.cache_info().hits == 1
    assert codes.qr_png_uri.cache_info().maxsize == codes.code128_png_uri.cache_info().maxsize == 512
