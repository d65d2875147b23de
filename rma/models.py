"""Customers and orders as the shop knows them; return cases, their items, timeline, shipments, money."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from policies.models import ReturnPolicy
from policies.taxonomy import Category, Reason

# Crockford's base32 without I, L, O, U: easy to read aloud and type, 32**10 possible numbers.
RMA_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def rma_number_new() -> str:
    return "R" + "".join(secrets.choice(RMA_ALPHABET) for _ in range(10))


class Customer(models.Model):
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    country = models.CharField(_("country"), max_length=6)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return f"{self.name} <{self.email}>"


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=40, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    currency = models.CharField(_("currency"), max_length=3)
    ordered_on = models.DateField(_("ordered on"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    ship_name = models.CharField(_("recipient"), max_length=200)
    ship_street = models.CharField(_("street"), max_length=200)
    ship_postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    ship_city = models.CharField(_("city"), max_length=100)
    ship_country = models.CharField(_("country"), max_length=6)

    class Meta:
        ordering = ["-ordered_on"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("product"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    # For customs documents on cross-border returns.
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    origin_country = models.CharField(_("country of origin"), max_length=2, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orderline_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.order.number} · {self.name}"


class CaseStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LABEL_ISSUED = "label_issued", _("Label issued")
    IN_TRANSIT = "in_transit", _("On its way back")
    RECEIVED = "received", _("Received")
    REFUNDED = "refunded", _("Refunded")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


S = CaseStatus
OPEN_STATUSES = [S.REQUESTED, S.APPROVED, S.LABEL_ISSUED, S.IN_TRANSIT, S.RECEIVED]


class ReturnCase(ConcurrentTransitionMixin, models.Model):
    """One customer request to send goods back; its status moves only through the transitions below."""

    rma_number = models.CharField(_("RMA number"), max_length=16, unique=True, default=rma_number_new)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    status = FSMField(_("status"), default=S.REQUESTED, choices=CaseStatus, protected=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    country = models.CharField(_("country"), max_length=6)
    policy = models.ForeignKey(ReturnPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    return_shipping_paid_by = models.CharField(max_length=12, blank=True)
    auto_approved = models.BooleanField(default=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("return case")
        verbose_name_plural = _("return cases")
        permissions = [
            ("decide_case", _("Can approve or reject return cases")),
            ("process_case", _("Can process return cases")),
            ("refund_case", _("Can refund return cases")),
            ("supervise_case", _("Can supervise return cases")),
        ]

    def __str__(self):
        return self.rma_number

    # Transitions change fields only; rma.services checks permissions, saves and records the event.
    @transition(field=status, source=S.REQUESTED, target=S.APPROVED, permission="rma.decide_case")
    def approve(self):
        pass

    @transition(field=status, source=S.REQUESTED, target=S.REJECTED, permission="rma.decide_case")
    def reject(self, reason: str):
        self.rejection_reason = reason

    @transition(field=status, source=S.APPROVED, target=S.LABEL_ISSUED, custom={"system": True})
    def issue_label(self):
        pass

    @transition(field=status, source=S.LABEL_ISSUED, target=S.IN_TRANSIT, permission="rma.process_case")
    def mark_in_transit(self):
        pass

    @transition(field=status, source=[S.LABEL_ISSUED, S.IN_TRANSIT], target=S.RECEIVED, permission="rma.process_case")
    def mark_received(self):
        pass

    @transition(field=status, source=S.RECEIVED, target=S.REFUNDED, permission="rma.refund_case")
    def refund(self):
        pass

    @transition(field=status, source=[S.REFUNDED, S.REJECTED], target=S.CLOSED, permission="rma.process_case")
    def close(self):
        pass

    @transition(
        field=status,
        source=[S.REQUESTED, S.APPROVED, S.LABEL_ISSUED],
        target=S.CANCELLED,
        permission="rma.process_case",
    )
    def cancel(self):
        pass

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReturnItem(models.Model):
    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="items")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_items")
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=32, choices=Reason)
    eligible = models.BooleanField(default=False)
    basis = models.CharField(max_length=32, blank=True)
    deadline = models.DateField(null=True, blank=True)
    # The engine's decision at filing time, frozen: what the customer was told and why.
    decision = models.JSONField(default=dict)

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


class CaseEvent(models.Model):
    """Append-only timeline of a case: transitions, notifications, documents."""

    class Kind(models.TextChoices):
        FILED = "filed", pgettext_lazy("event", "Return requested")
        TRANSITION = "transition", pgettext_lazy("event", "Status changed")
        LABEL = "label", pgettext_lazy("event", "Label created")
        NOTIFICATION = "notification", pgettext_lazy("event", "Notification sent")
        REFUND = "refund", pgettext_lazy("event", "Refund paid")

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind)
    from_status = models.CharField(max_length=20, choices=CaseStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=16)  # customer, agent, system
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case.rma_number} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


def label_upload_to(instance, filename):
    return f"labels/{instance.case.rma_number}/{filename}"


class Shipment(models.Model):
    """The parcel going back to the shop. One per case: the database refuses a second label."""

    case = models.OneToOneField(ReturnCase, on_delete=models.CASCADE, related_name="shipment")
    carrier = models.CharField(max_length=40)
    tracking_number = models.CharField(max_length=64, unique=True)
    label_pdf = models.FileField(upload_to=label_upload_to)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self):
        return self.tracking_number


class Refund(models.Model):
    """Money back to the customer. The idempotency key is a database constraint: one refund per case."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")

    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, related_name="refunds")
    idempotency_key = models.CharField(max_length=80, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    provider = models.CharField(max_length=40)
    provider_reference = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"{self.case.rma_number} {self.amount} {self.currency}"


class LocalPayment(models.Model):
    """The local payment provider's own ledger (the default adapter): what it has paid out."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.reference} {self.amount} {self.currency}"


class Notification(models.Model):
    """Outbox row written with the state change; a task sends it. One per case and event."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=32)
    channel = models.CharField(max_length=8, default="email")
    language = models.CharField(max_length=10)
    recipient = models.CharField(max_length=254)
    status = models.CharField(max_length=8, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["case", "event", "channel"], name="notification_once_per_event")]

    def __str__(self):
        return f"{self.case.rma_number} {self.event} → {self.recipient}"
