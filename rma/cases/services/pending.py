"""Photos of a return request that was not filed yet, held for the session that sent them."""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rma.cases import photos as photo_rules
from rma.cases.models import PendingPhoto
from rma.cases.services.errors import CaseInvalid
from rma.orders.models import Customer, OrderLine

KEEP_FOR = datetime.timedelta(days=1)


def pending_holder_new() -> str:
    """A random key a session keeps to find its pending photos again (never the session key itself)."""
    return secrets.token_urlsafe(24)


@transaction.atomic
def pending_photos_add(*, customer: Customer, holder: str, order_line: OrderLine, files) -> list[PendingPhoto]:
    """Keep cleaned photos (``rma.cases.photos.photo_clean``) of one order line until the request is filed."""
    if order_line.order.customer_id != customer.pk:
        raise CaseInvalid(_("This item is not part of your orders."), order_line_id=order_line.pk, field="photos")
    kept = PendingPhoto.objects.filter(customer=customer, holder=holder, order_line=order_line).count()
    if kept + len(files) > photo_rules.MAX_PER_ITEM:
        raise CaseInvalid(
            _("You can add at most %(count)s photos.") % {"count": photo_rules.MAX_PER_ITEM},
            order_line_id=order_line.pk,
            field="photos",
        )
    return [
        PendingPhoto.objects.create(customer=customer, holder=holder, order_line=order_line, image=photo)
        for photo in files
    ]


def pending_photos_remove(*, customer_id: int, holder: str, photo_ids) -> int:
    """Forget the photos the customer removed (their files too)."""
    removed = 0
    for photo in PendingPhoto.objects.filter(customer_id=customer_id, holder=holder, pk__in=list(photo_ids)):
        photo.image.delete(save=False)
        photo.delete()
        removed += 1
    return removed


def pending_photos_files(photos) -> tuple[ContentFile, ...]:
    """Copies of pending photos to file with a case (they were cleaned when they arrived)."""
    files = []
    for photo in photos:
        with photo.image.open("rb") as handle:
            files.append(ContentFile(handle.read(), name=photo.image.name.rsplit("/", 1)[-1]))
    return tuple(files)


def pending_photos_clear(*, customer_id: int, holder: str) -> int:
    """After filing: the photos now belong to the case's items."""
    photos = PendingPhoto.objects.filter(customer_id=customer_id, holder=holder)
    return pending_photos_remove(customer_id=customer_id, holder=holder, photo_ids=photos.values_list("pk", flat=True))


def pending_photos_purge(*, now: datetime.datetime | None = None) -> int:
    """Drop what abandoned requests left behind (run by the sweeps queue); safe to run twice."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    purged = 0
    for photo in PendingPhoto.objects.filter(uploaded_at__lt=cutoff):
        photo.image.delete(save=False)
        photo.delete()
        purged += 1
    return purged
