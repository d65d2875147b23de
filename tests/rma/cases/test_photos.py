"""Photos sent with a claim: decoded, limited, stored without metadata; errors keep the rest of the form."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from rma.cases.models import ReturnCase, ReturnItemPhoto
from tests.rma.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def image_bytes(fmt: str, *, exif: bool = False, size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (45.0, 27.0, 0.0)}  # GPS
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def signed_in(client, eu_policy):
    order = OrderFactory()
    line = OrderLineFactory(order=order, unit_price="120.00", name="Vase")
    client.post("/en/", {"order_number": order.number, "email": order.customer.email})
    code = re.search(r"^\s+(\d{6})$", mail.outbox[-1].body, flags=re.M).group(1)
    client.post("/en/verify/", {"code": code})
    return client, order, line


def post(client, order, line, photos, reason="damaged_in_transit"):
    return client.post(
        f"/en/orders/{order.number}/return/",
        {
            f"qty_{line.id}": "1",
            f"reason_{line.id}": reason,
            f"resolution_{line.id}": "refund",
            f"photos_{line.id}": photos,
        },  # fmt: skip
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_accepted_formats_are_stored_without_metadata(signed_in, fmt):
    client, order, line = signed_in
    upload = SimpleUploadedFile(f"p.{fmt.lower()}", image_bytes(fmt, exif=fmt in {"JPEG", "WEBP"}))
    response = post(client, order, line, [upload])
    assert response.status_code == 302, response.content.decode()[-3000:]
    photo = ReturnItemPhoto.objects.get()
    stored = Image.open(photo.image)
    assert stored.format in {"JPEG", "PNG", "WEBP"}
    assert not stored.getexif()  # camera make and GPS position are gone


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(signed_in):
    client, order, line = signed_in
    response = post(client, order, line, [SimpleUploadedFile("holiday.jpg", b"%PDF-1.7 not a photo")])
    page = response.content.decode()
    assert response.status_code == 200 and "is not a JPEG, PNG, WebP or HEIC photo" in page
    assert 'value="damaged_in_transit" selected' in page  # the rest of the form is kept
    assert not ReturnCase.objects.exists()


def test_too_large_and_too_many_photos_are_refused(signed_in, monkeypatch):
    client, order, line = signed_in
    monkeypatch.setattr("rma.cases.photos.MAX_BYTES", 100)
    big = post(client, order, line, [SimpleUploadedFile("big.png", image_bytes("PNG", size=(300, 300)))])
    assert "larger than 10 MB" in big.content.decode()
    monkeypatch.setattr("rma.cases.photos.MAX_BYTES", 10 * 1024 * 1024)
    many = [SimpleUploadedFile(f"{i}.png", image_bytes("PNG")) for i in range(7)]
    assert "at most 6 photos" in post(client, order, line, many).content.decode()
    assert not ReturnCase.objects.exists()


def test_damage_in_transit_needs_a_photo(signed_in):
    client, order, line = signed_in
    response = post(client, order, line, [])
    assert "Add at least one photo of the parcel and the item." in response.content.decode()
    assert post(client, order, line, [], reason="too_small").status_code == 302  # not needed for a size problem
