"""What a case is about: returned items, their photos, the warehouse's inspection and deductions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from policies.taxonomy import Reason
from rma.orders.models import Customer, OrderLine, Variant

from .case import Resolution, ReturnCase


class ReturnItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Not received yet")
        RECEIVED = "received", _("Received")
        INSPECTED = "inspected", _("Inspected")

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="items")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_items")
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=32, choices=Reason)
    resolution = models.CharField(_("what you would like"), max_length=16, choices=Resolution,
                                  default=Resolution.REFUND)  # fmt: skip
    exchange_wish = models.CharField(_("exchange for"), max_length=200, blank=True)
    # The catalogue's variant chosen for an exchange, and what it costs more (positive) or less (negative)
    # than the returned units, for the whole quantity, in the case's currency (rma.cases.services.exchanges).
    exchange_variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("exchange for")
    )
    exchange_difference = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    problem = models.TextField(_("what is wrong"), blank=True)  # for faults: what happens, since when
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    eligible = models.BooleanField(default=False)
    basis = models.CharField(max_length=32, blank=True)
    deadline = models.DateField(null=True, blank=True)
    # The engine's decision at filing time, frozen: what the customer was told and why.
    decision = models.JSONField(default=dict)
    # The policy's restocking fee for this item as quoted at filing; kept back from the refund.
    restocking_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("returned item")
        verbose_name_plural = _("returned items")
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="returnitem_quantity_positive")]

    def __str__(self):
        return f"{self.case.rma_number} · {self.order_line.name} × {self.quantity}"

    @property
    def amount(self):
        return self.order_line.unit_price * self.quantity

    @property
    def exchange_refund(self):
        """A cheaper exchange: what the shop pays back (the difference as a positive amount)."""
        return -self.exchange_difference


def item_photo_upload_to(instance, filename):
    return f"claims/{instance.item.case.rma_number}/{filename}"


class ReturnItemPhoto(models.Model):
    """A photo the customer sent with an item (a damaged parcel, a fault), cleaned of its metadata."""

    item = models.ForeignKey(ReturnItem, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=item_photo_upload_to)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.image.name


def pending_photo_upload_to(instance, filename):
    return f"pending/{instance.holder}/{filename}"


class PendingPhoto(models.Model):
    """A photo sent with a return request that was not filed yet (an error, a summary): kept for the session
    that sent it, shown as attached and used on the next submit, so the customer does not send it twice.

    ``holder`` is a random key kept in that session; rows older than a day are purged by a sweep."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="+")
    holder = models.CharField(max_length=64, db_index=True)
    image = models.ImageField(upload_to=pending_photo_upload_to)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.image.name


class Inspection(models.Model):
    """What the warehouse found in one returned item (the diagnosis, for a warranty claim)."""

    class Grade(models.TextChoices):
        NEW = "new", _("As new")
        GOOD = "good", _("Good: light signs of handling")
        FAIR = "fair", _("Fair: visible wear")
        POOR = "poor", _("Poor: damaged or not resellable")

    class Disposition(models.TextChoices):
        RESTOCK = "restock", _("Restock")
        REFURBISH = "refurbish", _("Refurbish")
        RETURN_TO_VENDOR = "return_to_vendor", _("Return to vendor")
        LIQUIDATE = "liquidate", _("Liquidate")
        RECYCLE = "recycle", _("Recycle")

    item = models.OneToOneField(ReturnItem, on_delete=models.CASCADE, related_name="inspection")
    complete = models.BooleanField(_("complete, with all parts"), default=True)
    grade = models.CharField(_("condition"), max_length=8, choices=Grade)
    customer_fault = models.BooleanField(_("damage caused by the customer"), default=False)
    fault_found = models.BooleanField(_("the reported fault is confirmed"), default=False)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition)
    notes = models.TextField(_("notes"), blank=True)
    inspected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inspected_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.item} · {self.grade}"


def inspection_photo_upload_to(instance, filename):
    return f"inspections/{instance.inspection.item.case.rma_number}/{filename}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=inspection_photo_upload_to)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.image.name


class DeductionReason(models.TextChoices):
    DIMINISHED_VALUE = "diminished_value", _("Handled beyond what was needed to examine it")
    MISSING_PARTS = "missing_parts", _("Parts or accessories are missing")
    RESTOCKING_FEE = "restocking_fee", _("Restocking fee")
    RETURN_SHIPPING_FEE = "return_shipping_fee", _("Return shipping cost")


class Deduction(models.Model):
    """An amount kept back from a refund, with a reason the customer reads. Never edited; corrected by new rows."""

    item = models.ForeignKey(ReturnItem, on_delete=models.PROTECT, related_name="deductions")
    reason = models.CharField(_("reason"), max_length=24, choices=DeductionReason)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deduction_amount_positive")]

    def __str__(self):
        return f"{self.item} −{self.amount} ({self.reason})"
