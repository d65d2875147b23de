"""Writes to customers: their message preferences."""

from django.db import transaction
from django.utils import timezone

from ..models import Customer


@transaction.atomic
def customer_preferences_set(*, customer: Customer, unsubscribed: bool, notify_sms: bool) -> Customer:
    """Channels and non-essential messages; messages needed to complete a return are always sent."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if unsubscribed and customer.unsubscribed_at is None:
        customer.unsubscribed_at = timezone.now()
    elif not unsubscribed:
        customer.unsubscribed_at = None
    customer.notify_sms = notify_sms
    customer.save(update_fields=["unsubscribed_at", "notify_sms"])
    return customer
