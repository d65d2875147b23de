"""The local adapters' own records: texts the local SMS gateway kept, payments the local provider made."""

from django.db import models


class LocalSms(models.Model):
    """The local SMS gateway's record (the default adapter): what would have been texted."""

    idempotency_key = models.CharField(max_length=120, unique=True)
    phone = models.CharField(max_length=32)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.phone}: {self.body[:40]}"


class LocalPayment(models.Model):
    """The local payment provider's own ledger (the default adapter): refunds paid and charges taken."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=8, default="refund")  # refund, charge, hold (an authorisation) or void
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.reference} {self.kind} {self.amount} {self.currency}"
