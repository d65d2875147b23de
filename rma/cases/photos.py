"""Customer photos: decoded to prove they are images, size-checked, re-encoded without metadata."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_ITEM = 6
ALLOWED = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "jpg"}  # HEIC is stored as JPEG
MAX_PIXELS = 40_000_000  # refuse decompression bombs


def photo_clean(upload) -> ContentFile:
    """A safe copy of an uploaded photo, or a ValidationError saying what is wrong with it."""
    name = getattr(upload, "name", "photo")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": name})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("%(name)s has too many pixels.") % {"name": name})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, then drop EXIF
            out = io.BytesIO()
            extension = ALLOWED.get(kind)
            if extension is None:
                raise ValidationError(_("%(name)s is not a JPEG, PNG, WebP or HEIC photo.") % {"name": name})
            save_as = "JPEG" if extension == "jpg" else kind
            if save_as == "JPEG" and image.mode not in {"RGB", "L"}:
                image = image.convert("RGB")
            if save_as in {"JPEG", "WEBP"}:
                image.save(out, format=save_as, quality=88)
            else:
                image.save(out, format=save_as)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(_("%(name)s is not a JPEG, PNG, WebP or HEIC photo.") % {"name": name}) from None
    return ContentFile(out.getvalue(), name=f"photo.{extension}")


# What staff may attach to a reply: the photos customers may send (cleaned the same way), and PDF documents
# (a repair report, a delivery note). A PDF cannot be cleaned like a photo: it is checked to be one and is
# only ever served as a download, never shown inline.
STAFF_MAX_BYTES = 10 * 1024 * 1024


def staff_attachment_clean(upload) -> ContentFile:
    """A safe copy of a file an agent attaches to a reply, or a ValidationError saying what is wrong with it."""
    name = getattr(upload, "name", "file")
    if upload.size > STAFF_MAX_BYTES:
        raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": name})
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        content = upload.read()
        if b"%%EOF" not in content[-1024:]:
            raise ValidationError(_("%(name)s is not a complete PDF document.") % {"name": name})
        return ContentFile(content, name="document.pdf")
    try:
        with Image.open(upload):
            pass
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(
            _("%(name)s is not a PDF document or a JPEG, PNG, WebP or HEIC photo.") % {"name": name}
        ) from None
    return photo_clean(upload)  # an image: decoded, size-checked and re-encoded as customers' photos are


def attachment_is_image(name: str) -> bool:
    """Whether a stored attachment (cleaned by the functions above) is a photo, shown inline, or a document."""
    return name.lower().rsplit(".", 1)[-1] in {"jpg", "png", "webp"}
