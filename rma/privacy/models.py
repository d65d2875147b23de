"""Rows of the privacy app: a customer's data export (an outbox row), the audit row of an erasure, and
the record of which staff member opened which customer's case."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rma.cases.models import ReturnCase
from rma.orders.models import Customer


def export_upload_to(instance, filename):
    # A random folder: the file's name in storage never tells whose data it holds.
    return f"privacy/exports/{secrets.token_hex(16)}/{filename}"


class DataExport(models.Model):
    """A customer's data as a ZIP file, built by a task and emailed as an expiring link.

    The row is written first (``pending``); the task builds the file (``ready``) and emails the link
    (``emailed_at``). The redispatch sweep queues it again while it is pending or not yet emailed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="data_exports")
    # None: the customer asked from the portal; otherwise the staff member who started it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING, db_index=True)
    file = models.FileField(upload_to=export_upload_to, blank=True)
    # The link's secret: the download compares it, and a new export never reopens an old link.
    link_key = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # While a worker builds or emails it, another leaves it alone until then.
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        permissions = [("manage_personal_data", _("Can export and erase customers' personal data"))]

    def __str__(self):
        return f"export {self.pk} of customer {self.customer_id} ({self.status})"


class Erasure(models.Model):
    """The audit row of an erasure: who erased which customer, when and why. It holds no personal data
    of the customer (only the id of the anonymised row), so it survives the erasure it records."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    # What was removed and what was kept, as counts: {"messages": 3, "photos": 2, "refunds_kept": 1, ...}
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return f"erasure of customer {self.customer_id} by {self.actor} ({self.created_at:%Y-%m-%d})"


class CaseAccess(models.Model):
    """A staff member opened a customer's case page: kept for the retention period of the access log."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case access")
        verbose_name_plural = _("case accesses")
        indexes = [models.Index(fields=["customer", "opened_at"], name="case_access_customer")]

    def __str__(self):
        return f"{self.user} opened {self.case_id} at {self.opened_at:%Y-%m-%d %H:%M}"
