"""Withdrawals made with the EU withdrawal function, kept as submitted."""

from django.db import models

from rma.orders.models import Order

from .case import ReturnCase


class WithdrawalStatement(models.Model):
    """A withdrawal made with the EU withdrawal function (CRD Art. 11a), kept as it was submitted."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="withdrawals")
    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    language = models.CharField(max_length=10)
    content = models.TextField()  # the statement as the customer confirmed it
    submitted_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # While a worker sends the acknowledgement (rma.messaging.withdrawal), another leaves it alone until then.
    acknowledgement_lease_until = models.DateTimeField(null=True, blank=True)
    # Tries to send it, the last error, and when it was parked for a supervisor (out of tries).
    acknowledgement_attempts = models.PositiveSmallIntegerField(default=0)
    acknowledgement_error = models.TextField(blank=True)
    acknowledgement_parked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.order.number} {self.submitted_at:%Y-%m-%d %H:%M}"
