"""Uploads are refused by size while they stream in, keeping the rest of the form; a request over the
overall cap gets a 413 page before its body is read."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

from rma.access.models import LookupCode
from rma.cases.models import ReturnCase
from tests.rma.factories import OrderLineFactory
from tests.rma.portal.test_portal import lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_on(monkeypatch):
    """Bytes of uploaded files that reached Django's memory and temporary-file handlers."""
    seen = {"bytes": 0}
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def counting(self, raw_data, start, original=original):
            # The memory handler hands chunks on untouched unless it is the one keeping the file.
            if getattr(self, "activated", True):
                seen["bytes"] += len(raw_data)
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    return seen


def test_a_photo_over_the_limit_is_refused_and_the_rest_of_the_form_is_kept(client, eu_policy, settings, handed_on):
    line = OrderLineFactory(unit_price="40.00")
    lookup(client, line.order)
    huge = SimpleUploadedFile("huge.jpg", os.urandom(settings.UPLOAD_MAX_FILE_BYTES + 1024 * 1024), "image/jpeg")
    response = client.post(f"/en/orders/{line.order.number}/return/", {
        f"qty_{line.id}": "1", f"reason_{line.id}": "damaged_in_transit", f"resolution_{line.id}": "refund",
        f"problem_{line.id}": "The box was crushed on one corner", f"photos_{line.id}": [huge],
    })  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "huge.jpg is larger than 10 MB." in html
    assert "The box was crushed on one corner" in html  # what was typed is still there
    assert ReturnCase.objects.count() == 0
    # Past the limit nothing more of the file was kept, in memory or on disk.
    assert handed_on["bytes"] <= settings.UPLOAD_MAX_FILE_BYTES


def test_a_photo_under_the_limit_still_goes_through_the_usual_handlers(client, eu_policy, handed_on):
    import io

    from PIL import Image

    line = OrderLineFactory(unit_price="8.00")
    lookup(client, line.order)
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(out, format="PNG")
    response = client.post(f"/en/orders/{line.order.number}/return/", {
        f"qty_{line.id}": "1", f"reason_{line.id}": "damaged_in_transit", f"resolution_{line.id}": "refund",
        f"photos_{line.id}": [SimpleUploadedFile("damage.png", out.getvalue())],
    })  # fmt: skip
    assert response.status_code == 302
    assert handed_on["bytes"] == len(out.getvalue())


def test_a_request_declaring_more_than_the_cap_gets_413_before_it_is_read(client, eu_policy, settings, mailoutbox):
    line = OrderLineFactory()
    response = client.post(
        "/en/",
        {"order_number": line.order.number, "email": line.order.customer.email},
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
    )
    assert response.status_code == 413
    assert "Upload too large" in response.content.decode()
    assert "Content-Security-Policy" in response  # the refusal is a page like the others
    assert LookupCode.objects.count() == 0 and mailoutbox == []  # the view never ran
