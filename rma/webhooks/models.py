"""Outbound webhooks: the endpoints a shop's systems registered and one delivery row per event and endpoint.

A delivery row is written in the transaction of the case change that caused it (the outbox): it is sent after the
commit, retried with backoff when the receiver fails, and can be sent again by hand from the admin.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    CASE_CREATED = "return.created", _("Return created")
    CASE_APPROVED = "return.approved", _("Return approved")
    LABEL_ISSUED = "return.label_issued", _("Return label issued")
    IN_TRANSIT = "return.in_transit", _("Parcel in transit")
    RECEIVED = "return.received", _("Parcel received")
    INSPECTED = "return.inspected", _("Return inspected")
    REFUNDED = "return.refunded", _("Refund paid")
    CLOSED = "return.closed", _("Return closed")
    CANCELLED = "return.cancelled", _("Return cancelled")
    REFUND_FAILED = "refund.failed", _("Refund failed")
    PING = "webhook.ping", _("Test event")


class Endpoint(models.Model):
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # A Standard Webhooks secret: "whsec_" and the base64 of 32 random bytes. Shown to whoever registers it.
    secret = models.CharField(_("signing secret"), max_length=100)
    # The event types it wants; empty means every type.
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Since when every delivery has failed (None after any success); the endpoint is disabled after
    # settings.WEBHOOKS["disable_after_hours"] of failing, and the admins are told once.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=300, blank=True)
    admins_notified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]

    def __str__(self):
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.is_active and (not self.event_types or event_type in self.event_types)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed, will be tried again")
        PARKED = "parked", _("Gave up (send it again by hand)")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    # The Standard Webhooks message id ("webhook-id"): the same for every try and every redelivery, so the
    # receiver can drop duplicates.
    message_id = models.CharField(_("message id"), max_length=40, unique=True)
    event_type = models.CharField(_("event type"), max_length=40, choices=EventType)
    case = models.ForeignKey(
        "rma.ReturnCase", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("tries"), default=0)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint_id} ({self.message_id})"
