"""Writes to customers: their message preferences."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rma.cases.models import CaseStatus, SurveyResponse
from rma.cases.services.errors import CaseInvalid
from rma.orders.models import Customer


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


@transaction.atomic
def survey_submit(*, case, customer_id: int, rating: int, comment: str = "") -> SurveyResponse:
    """The customer rates a closed case once."""
    if case.customer_id != customer_id:
        raise CaseInvalid(_("No such return."))
    if case.status != CaseStatus.CLOSED:
        raise CaseInvalid(_("You can rate a return once it is complete."))
    if not 1 <= int(rating) <= 5:
        raise CaseInvalid(_("Choose a rating from 1 to 5."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(case=case, rating=int(rating), comment=comment.strip())
    except IntegrityError:
        raise CaseInvalid(_("Thank you, you have already rated this return.")) from None
