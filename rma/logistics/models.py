"""The parcel going back: its shipment with the shipping documents, and the carrier's scans."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rma.cases.models import ReturnCase


def label_upload_to(instance, filename):
    return f"labels/{instance.case.rma_number}/{filename}"


class Shipment(models.Model):
    """The parcel going back to the shop. One per case: the database refuses a second label."""

    case = models.OneToOneField(ReturnCase, on_delete=models.CASCADE, related_name="shipment")
    carrier = models.CharField(max_length=40)
    tracking_number = models.CharField(max_length=64, unique=True)
    label_pdf = models.FileField(upload_to=label_upload_to)
    # The same label for 4×6 in thermal printers, made with the others (never on download).
    label_4x6_pdf = models.FileField(upload_to=label_upload_to, blank=True)
    packing_slip_pdf = models.FileField(upload_to=label_upload_to, blank=True)
    customs_pdf = models.FileField(upload_to=label_upload_to, blank=True)  # CN23, across a customs border
    invoice_pdf = models.FileField(upload_to=label_upload_to, blank=True)
    return_center = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self):
        return self.tracking_number


class TrackingEvent(models.Model):
    """A carrier's scan of a return parcel, as received by the signed webhook; each carrier event once."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="tracking_events")
    event_id = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=32)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    # The carrier's own estimate of the delivery to the return centre, when its scan gives one.
    estimated_delivery = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"{self.shipment.tracking_number} {self.status}"


class LabelJob(models.Model):
    """The outbox row of a case's shipping documents, written when the case is approved: each try counted with
    its error and the time of the next one; parked for a supervisor after OUTBOX_MAX_ATTEMPTS tries."""

    case = models.OneToOneField(ReturnCase, on_delete=models.CASCADE, related_name="label_job")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    parked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.case.rma_number} label ({self.attempts} tries)"
