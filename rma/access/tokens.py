"""Signed links for customers: one case page, a withdrawal's item choice, unsubscribing; each expires."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CASE_LINK_SALT = "rma.case-link"
WITHDRAWAL_LINK_SALT = "rma.withdrawal-link"
UNSUBSCRIBE_SALT = "rma.unsubscribe"


def _days(name: str) -> int:
    return settings.PORTAL_ACCESS[name] * 86400


def case_link_token(case) -> str:
    """A signed token that opens one case page, and nothing else of the customer's account (used in emails)."""
    return signing.dumps({"rma": case.rma_number, "c": case.customer_id}, salt=CASE_LINK_SALT)


def case_link_read(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=CASE_LINK_SALT, max_age=_days("case_link_days"))
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and "rma" in data and "c" in data else None


def case_url(case, view: str = "portal:case_detail") -> str:
    """An absolute, signed link for the customer to one case page (or its label) in their language."""
    with translation.override(case.language):
        path = reverse(view, kwargs={"rma_number": case.rma_number})
    return f"{settings.SITE_URL}{path}?t={case_link_token(case)}"


def withdrawal_link_token(statement) -> str:
    """A signed token that shows a withdrawal's order items for choosing and opens its return."""
    return signing.dumps({"w": statement.pk}, salt=WITHDRAWAL_LINK_SALT)


def withdrawal_link_read(token: str) -> int | None:
    try:
        return signing.loads(token, salt=WITHDRAWAL_LINK_SALT, max_age=_days("withdrawal_link_days"))["w"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def withdrawal_url(statement) -> str:
    with translation.override(statement.language):
        path = reverse("portal:withdraw_items", kwargs={"token": withdrawal_link_token(statement)})
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(customer) -> str:
    """Carries the token version: raising ``PORTAL_ACCESS["unsubscribe_token_version"]`` revokes every older link."""
    return signing.dumps({"c": customer.pk, "v": settings.PORTAL_ACCESS["unsubscribe_token_version"]},
                         salt=UNSUBSCRIBE_SALT)  # fmt: skip


def unsubscribe_read(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=_days("unsubscribe_link_days"))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("v") != settings.PORTAL_ACCESS["unsubscribe_token_version"]:
        return None
    return data.get("c")


def unsubscribe_url(customer, language: str) -> str:
    with translation.override(language):
        path = reverse("portal:unsubscribe", kwargs={"token": unsubscribe_token(customer)})
    return f"{settings.SITE_URL}{path}"
