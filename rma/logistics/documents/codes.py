"""Machine-readable codes on documents: Code128 barcodes, QR codes and the signed drop-off reference."""

import base64
import functools
import io
import re

import barcode
import segno
from django.core import signing
from PIL import Image

from rma.logistics.documents.errors import DropOffCodeExpired, DropOffCodeInvalid

# Its own salt: a value signed for anything else in the project never passes as a drop-off code.
DROPOFF_SALT = "rma.documents.dropoff"
_RMA_PATTERN = re.compile(r"^[A-Z0-9-]{4,16}$")
# Drawings kept per value, per process: one label task prints the same barcode on three documents and the
# same QR code on two (A6 and 4x6), and drawing a QR code costs about as much as laying out a page's text.
# A data URI is a few hundred bytes, so the bound keeps a worker's memory flat however many labels it makes.
_DRAWINGS_KEPT = 512


def svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _png_data_uri(rows: list[list[bool]]) -> str:
    """A 1-bit PNG, one pixel per module (True is black), as a data URI.

    Documents print it with ``image-rendering: pixelated``, so each module stays a sharp rectangle at
    any size; WeasyPrint embeds it faster than it parses an SVG path.
    """
    image = Image.new("1", (len(rows[0]), len(rows)), 1)
    image.putdata([0 if dark else 1 for row in rows for dark in row])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@functools.lru_cache(maxsize=_DRAWINGS_KEPT)
def code128_png_uri(value: str, *, quiet_zone: int = 10) -> str:
    """A Code128 barcode one pixel high; CSS stretches it to the bar height."""
    modules = "0" * quiet_zone + barcode.Code128(value).build()[0] + "0" * quiet_zone
    return _png_data_uri([[module == "1" for module in modules]])


@functools.lru_cache(maxsize=_DRAWINGS_KEPT)
def qr_png_uri(value: str) -> str:
    """A QR code (error correction M, 2-module quiet zone), one pixel per module."""
    return _png_data_uri(
        [[bool(module) for module in row] for row in segno.make(value, error="m").matrix_iter(border=2)]
    )


def code128_svg(value: str, *, quiet_zone: int = 10) -> bytes:
    """A Code128 barcode as one SVG path (cheap for WeasyPrint to draw), stretched to the box it is put in.

    The value is in the ``<title>``; documents print it as real text under the bars.
    """
    modules = barcode.Code128(value).build()[0]
    width = len(modules) + 2 * quiet_zone
    bars, run = [], 0
    for i, module in enumerate(modules + "0"):
        if module == "1":
            run += 1
        elif run:
            bars.append(f"M{quiet_zone + i - run} 0h{run}v10h-{run}z")
            run = 0
    title = value.replace("&", "&amp;").replace("<", "&lt;")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 10" preserveAspectRatio="none"'
        f' shape-rendering="crispEdges"><title>{title}</title><rect width="{width}" height="10" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(bars)}"/></svg>'
    ).encode()


def qr_svg(value: str) -> bytes:
    """A QR code (error correction M) as one SVG path with a viewBox, so CSS sets its printed size."""
    out = io.BytesIO()
    segno.make(value, error="m").save(
        out, kind="svg", border=2, omitsize=True, xmldecl=False, svgclass=None, lineclass=None
    )
    return out.getvalue()


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=DROPOFF_SALT)


def dropoff_code_sign(rma_number: str) -> str:
    """The value a drop-off point scans: the RMA number, signed (with the time of signing) by this shop."""
    return _signer().sign(rma_number)


def dropoff_code_verify(value: str, *, max_age: float | None = None) -> str:
    """The RMA number of a scanned drop-off code.

    Raises ``DropOffCodeExpired`` when the code is older than ``max_age`` seconds, and
    ``DropOffCodeInvalid`` when it was not signed by this shop or was altered.
    """
    value = (value or "").strip()
    try:
        rma_number = _signer().unsign(value, max_age=max_age)
    except signing.SignatureExpired:
        raise DropOffCodeExpired() from None
    except signing.BadSignature:
        raise DropOffCodeInvalid() from None
    if not _RMA_PATTERN.match(rma_number):
        raise DropOffCodeInvalid()
    return rma_number


def dropoff_qr_png(rma_number: str, *, scale: int = 6) -> bytes:
    """The drop-off QR code as a PNG for emails (mail programs show PNG, few show SVG), ``scale`` px a module."""
    out = io.BytesIO()
    segno.make(dropoff_code_sign(rma_number), error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def dropoff_qr_svg(rma_number: str) -> bytes:
    """The drop-off QR code for the portal page or an email: a signed RMA reference."""
    return qr_svg(dropoff_code_sign(rma_number))
