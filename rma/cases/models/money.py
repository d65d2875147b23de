"""Money for a case: refunds, store credit, exchange orders and goodwill, each with an idempotency key."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rma.orders.models import Customer

from .case import RMA_ALPHABET, ReturnCase


class Refund(models.Model):
    """Money back to the customer's original payment method; the idempotency key is a database constraint."""

    class Kind(models.TextChoices):
        REFUND = "refund", _("Refund")
        PRICE_REDUCTION = "price_reduction", _("Price reduction")
        EXCHANGE_DIFFERENCE = "exchange_difference", _("Price difference of an exchange")
        GOODWILL = "goodwill", _("Goodwill refund")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        # Out of attempts, or declined by the provider: parked for a supervisor, never retried on its own.
        FAILED = "failed", _("Failed")

    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, related_name="refunds")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.REFUND)
    idempotency_key = models.CharField(max_length=80, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    provider = models.CharField(max_length=40)
    provider_reference = models.CharField(max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # After a failed try: when the redispatch sweep may try again (exponential backoff).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # What was due when the refund was asked for (rma.cases.services.money.amount_due), and why more was paid.
    amount_due = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            # Paying more than was due (deductions or kept fees paid back) is never silent.
            models.CheckConstraint(
                condition=Q(amount_due__isnull=True) | Q(amount__lte=F("amount_due")) | ~Q(reason=""),
                name="refund_above_due_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.case.rma_number} {self.amount} {self.currency}"


def refund_unpaid_annotation() -> models.Exists:
    """``ReturnCase.refund_unpaid`` for a list of cases, in the same query."""
    return models.Exists(
        Refund.objects.filter(case=models.OuterRef("pk"), case__status="refunded").exclude(status=Refund.Status.PAID)
    )


def store_credit_code_new() -> str:
    return "SC-" + "".join(secrets.choice(RMA_ALPHABET) for _ in range(12))


class StoreCreditAccount(models.Model):
    """A customer's store credit in one currency; the balance is the sum of its ledger entries."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="credit_accounts")
    currency = models.CharField(max_length=3)
    code = models.CharField(max_length=20, unique=True, default=store_credit_code_new)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "currency"], name="one_credit_account_per_currency")]

    def __str__(self):
        return self.code


class StoreCreditEntry(models.Model):
    """One movement on a store credit account; entries are never changed, corrections are new entries."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Store credit for a return")
        BONUS = "bonus", _("Bonus for choosing store credit")
        VOUCHER = "voucher", _("Goodwill voucher")
        REDEMPTION = "redemption", _("Used in an order")

    account = models.ForeignKey(StoreCreditAccount, on_delete=models.PROTECT, related_name="entries")
    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, null=True, blank=True, related_name="credits")
    kind = models.CharField(max_length=12, choices=Kind)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.account.code} {self.amount}"


class ExchangeOrder(models.Model):
    """The replacement sent for an exchange or a replacement; a price difference is charged or refunded."""

    case = models.OneToOneField(ReturnCase, on_delete=models.PROTECT, related_name="exchange_order")
    number = models.CharField(max_length=40, unique=True)
    description = models.TextField(_("what is sent"))
    price_difference = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    payment_reference = models.CharField(max_length=120, blank=True)
    # An instant exchange: sent when the case was approved, before the returned item was back.
    shipped_early = models.BooleanField(default=False)
    # Its cover when the policy holds an authorisation: the new items' value held on the customer's card
    # until the returned item is back (rma.integrations.payments places and voids it after the commit).
    hold_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    hold_reference = models.CharField(max_length=120, blank=True)
    hold_error = models.TextField(blank=True)  # the provider declined the hold: the shop carries the risk
    hold_release_due = models.BooleanField(default=False)
    hold_released_at = models.DateTimeField(null=True, blank=True)
    # Charging the price difference, like a refund: tries, the last error, the next try, parked when out of tries.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    parked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.number


class Compensation(models.Model):
    """A goodwill gesture beyond what is owed, within the limit of the person who grants it."""

    class Kind(models.TextChoices):
        VOUCHER = "voucher", _("Discount voucher")
        FREE_SHIPPING = "free_shipping", _("Free shipping on the next order")
        PARTIAL_REFUND = "partial_refund", _("Partial refund")

    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, related_name="compensations")
    kind = models.CharField(max_length=16, choices=Kind)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    code = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="compensation_amount_not_negative")]

    def __str__(self):
        return f"{self.case.rma_number} {self.kind} {self.amount}"


class ApprovalRequest(models.Model):
    """Four eyes: an agent asked for more than their limit allows; a supervisor (never the same person)
    approves or declines it with a reason. What to do on approval is kept as JSON for the service."""

    class Kind(models.TextChoices):
        GOODWILL = "goodwill", _("Goodwill above the limit")
        REFUND = "refund", _("Refund above the amount due")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, related_name="approval_requests")
    kind = models.CharField(max_length=12, choices=Kind)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    # The service's own arguments (kind of gesture, note, refund kind...), replayed when a supervisor approves.
    request = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)  # the agent's
    idempotency_key = models.CharField(max_length=80, unique=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="approval_amount_positive"),
            # A second tab or a reload asks once: one waiting request per case and kind.
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(status="pending"), name="one_pending_approval_per_case_and_kind"
            ),
            # Four eyes, held by the database too: nobody decides their own request.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="approval_not_own_request",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(decided_by__isnull=False) & ~Q(decision_reason="")),
                name="approval_decided_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.case.rma_number} {self.kind} {self.amount} {self.status}"
