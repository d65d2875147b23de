"""Every PDF render fetches through one URL fetcher that allows only data: URIs and the app's own files."""

import logging

import pytest
from django.utils import timezone
from weasyprint import HTML

from returns_portal import pdf
from returns_portal.pdf import ResourceRefused, pdf_url_fetcher
from rma.logistics import documents
from rma.messaging import withdrawal
from tests.rma.documents_data import shipment

PNG_DATA_URI = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "http://127.0.0.1:8000/static/../../../etc/passwd",
        "http://127.0.0.1:8000/media/../settings.py",
        "http://127.0.0.1:8000/agent/",
        "https://127.0.0.1:8000/static/css/app.css",  # another origin than SITE_URL's
    ],
)
def test_external_file_and_escaping_urls_are_refused(url, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(ResourceRefused):
        pdf_url_fetcher().fetch(url)


def test_the_apps_static_and_media_files_and_data_uris_are_allowed(settings):
    settings.SITE_URL = "https://returns.example.com"
    css = pdf_url_fetcher().fetch("https://returns.example.com/static/css/app.css")
    assert css.read().startswith(b"") and css.content_type == "text/css"
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "a.png").write_bytes(b"\x89PNG")
    assert pdf_url_fetcher().fetch("https://returns.example.com/media/photos/a.png").read() == b"\x89PNG"
    assert pdf_url_fetcher().fetch(f"file://{settings.MEDIA_ROOT}/photos/a.png").read() == b"\x89PNG"
    assert pdf_url_fetcher().fetch(PNG_DATA_URI).content_type == "image/png"


def test_a_render_leaves_out_what_the_fetcher_refuses(settings, caplog, monkeypatch):
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *a, **k: opened.append(a) or None)
    html = '<img src="http://example.com/x.png"><img src="file:///etc/passwd"><p>Still printed</p>'
    with caplog.at_level(logging.WARNING, logger="returns_portal.pdf"):
        assert HTML(string=html, base_url=pdf.pdf_base_url(), url_fetcher=pdf_url_fetcher()).write_pdf()
    assert opened == []  # no connection was tried
    assert "http://example.com/x.png" in caplog.text and "file:///etc/passwd" in caplog.text


def test_every_pdf_renderer_uses_the_shared_fetcher(monkeypatch, db):
    used = []
    real_fetch = pdf.AppFilesURLFetcher.fetch
    monkeypatch.setattr(
        pdf.AppFilesURLFetcher,
        "fetch",
        lambda self, url, headers=None: used.append(url) or real_fetch(self, url, headers),
    )
    documents.render_label(shipment(), fmt="a6")
    assert used and all(url.startswith("data:") for url in used)  # the barcode and the QR code
    # The withdrawal acknowledgement passes the same fetcher (and the site as its base URL) to WeasyPrint.
    seen = {}

    class SpyHTML:
        def __init__(self, **kwargs):
            seen.update(kwargs)

        def write_pdf(self):
            return b"%PDF"

    monkeypatch.setattr(withdrawal, "HTML", SpyHTML)
    monkeypatch.setattr(withdrawal, "render_to_string", lambda *a, **k: "<p>x</p>")
    from rma.cases.models import WithdrawalStatement
    from tests.rma.factories import OrderFactory

    statement = WithdrawalStatement.objects.create(order=OrderFactory(), name="M", email="m@example.com",
                                                   language="en", content="…", submitted_at=timezone.now())  # fmt: skip
    withdrawal.withdrawal_ack_pdf(statement)
    assert seen["url_fetcher"] is pdf_url_fetcher() and seen["base_url"] == pdf.pdf_base_url()
