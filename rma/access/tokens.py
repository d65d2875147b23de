"""Signed links for customers: a case page opened from an email, and unsubscribing from non-essential mail."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CASE_LINK_SALT = "rma.case-link"
UNSUBSCRIBE_SALT = "rma.unsubscribe"


def case_link_token(case) -> str:
    """A signed token that opens one case page for its customer (used in emails)."""
    return signing.dumps({"rma": case.rma_number, "c": case.customer_id}, salt=CASE_LINK_SALT)


def case_link_read(token: str, *, max_age_days: int = 180) -> dict | None:
    try:
        return signing.loads(token, salt=CASE_LINK_SALT, max_age=max_age_days * 86400)
    except signing.BadSignature:
        return None


def case_url(case, view: str = "portal:case_detail") -> str:
    """An absolute, signed link for the customer to one case page (or its label) in their language."""
    with translation.override(case.language):
        path = reverse(view, kwargs={"rma_number": case.rma_number})
    return f"{settings.SITE_URL}{path}?t={case_link_token(case)}"


def unsubscribe_token(customer) -> str:
    return signing.dumps({"c": customer.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> int | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)["c"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def unsubscribe_url(customer, language: str) -> str:
    with translation.override(language):
        path = reverse("portal:unsubscribe", kwargs={"token": unsubscribe_token(customer)})
    return f"{settings.SITE_URL}{path}"
