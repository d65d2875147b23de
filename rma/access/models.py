"""What opens an order to a customer: one-time codes and their magic links."""

from django.db import models

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
