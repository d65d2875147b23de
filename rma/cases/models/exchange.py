"""Stock held for exchanges from the catalogue: one reservation per returned item, changed only by the
exchange services (rma.cases.services.exchanges) under the variant's row lock."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rma.orders.models import Variant

from .items import ReturnItem


class StockReservation(models.Model):
    """Units of a variant promised to a returned item's exchange: held at filing, released when the case is
    cancelled, rejected or expires, shipped when the exchange is sent. ``Variant.reserved`` is the sum of the
    held ones."""

    class Status(models.TextChoices):
        HELD = "held", _("Reserved")
        RELEASED = "released", _("Released")
        SHIPPED = "shipped", _("Shipped")

    item = models.OneToOneField(ReturnItem, on_delete=models.PROTECT, related_name="reservation")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status, default=Status.HELD)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock reservation")
        verbose_name_plural = _("stock reservations")
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="reservation_quantity_positive")]

    def __str__(self):
        return f"{self.variant.sku} × {self.quantity} ({self.status})"
