"""What opens an order to a customer: one-time codes and their magic links."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rma.orders.models import Order


class LookupCode(models.Model):
    """A one-time code (and magic link) sent to the order's email before the portal opens the order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lookup_codes")
    email = models.EmailField()
    code_hash = models.CharField(max_length=128)
    link_nonce = models.CharField(max_length=32, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.order.number} → {self.email}"


class ThrottleKey(models.Model):
    """One throttled subject of one action (an HMAC of, say, a client address): its row is the lock."""

    key = models.CharField(max_length=64, unique=True)
    last_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key[:12]


class ThrottleHit(models.Model):
    """One counted attempt; the attempts of the last period are what a limit is held against."""

    bucket = models.ForeignKey(ThrottleKey, on_delete=models.CASCADE, related_name="hits")
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["bucket", "at"], name="rma_throttlehit_bucket_at")]

    def __str__(self):
        return f"{self.bucket_id} {self.at:%Y-%m-%d %H:%M:%S}"


class GiftCode(models.Model):
    """A gift code of an order: printed on its gift packing slip or made by the shop in the admin. The code
    itself is never stored: it is an HMAC of the order number and ``serial`` under the server's secret
    (``rma.access.gifts``), so the slip can be printed again and a code cannot be read from the database."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="gift_codes")
    serial = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gift code")
        verbose_name_plural = _("gift codes")
        constraints = [models.UniqueConstraint(fields=["order", "serial"], name="gift_code_serial_per_order")]

    def __str__(self):
        return f"{self.order.number} #{self.serial}"
