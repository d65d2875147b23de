"""Customer access to the portal: a one-time code or magic link to the order's email, rate limited."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rma.access.models import LookupCode
from rma.orders.models import Order

CODE_VALID_MINUTES = 15
MAX_ATTEMPTS = 5
LINK_SALT = "rma.lookup-link"
SUBJECT = gettext_lazy("Your code to open order %(number)s")


class AccessDenied(Exception):
    """The code or link is wrong, used or expired, or too many were asked for."""


def _limits() -> dict:
    return settings.LOOKUP_RATE_LIMITS


def lookup_code_issue(*, order: Order, email: str, ip: str | None, language: str) -> LookupCode:
    """Send a code and a one-time link to the order's email, unless too many were sent in the last hour."""
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = LookupCode.objects.filter(created_at__gte=since)
    limits = _limits()
    if (
        recent.filter(email__iexact=email).count() >= limits["per_email"]
        or recent.filter(order=order).count() >= limits["per_order"]
        or (ip and recent.filter(ip=ip).count() >= limits["per_ip"])
    ):
        raise AccessDenied(_("Too many codes were requested. Please wait an hour and try again."))
    code = f"{secrets.randbelow(10**6):06d}"
    lookup = LookupCode.objects.create(
        order=order,
        email=email.strip().lower(),
        code_hash=make_password(code),
        link_nonce=secrets.token_urlsafe(16),
        ip=ip,
        expires_at=timezone.now() + datetime.timedelta(minutes=CODE_VALID_MINUTES),
    )
    with translation.override(language):
        link = settings.SITE_URL + reverse("portal:verify_link", kwargs={"token": lookup_link_token(lookup)})
        context = {"code": code, "link": link, "order": order, "minutes": CODE_VALID_MINUTES,
                   "shop_name": settings.SHOP_NAME}  # fmt: skip
        subject = str(SUBJECT) % {"number": order.number}
        text = render_to_string("rma/emails/lookup_code.txt", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [order.customer.email])
    try:
        message.send()
    except OSError:
        lookup.delete()
        raise AccessDenied(_("We could not send the code just now. Please try again in a minute.")) from None
    lookup.plain_code = code  # for the embedded demo only (see rma.portal.views); never stored
    return lookup


def lookup_link_token(lookup: LookupCode) -> str:
    return signing.dumps({"n": lookup.link_nonce}, salt=LINK_SALT)


def _usable(lookup: LookupCode | None) -> LookupCode:
    if lookup is None:
        raise AccessDenied(_("This code or link is not valid. Please ask for a new one."))
    if lookup.used_at is not None:
        raise AccessDenied(_("This code or link has already been used. Please ask for a new one."))
    if lookup.expires_at < timezone.now():
        raise AccessDenied(_("This code or link has expired. Please ask for a new one."))
    if lookup.attempts >= MAX_ATTEMPTS:
        raise AccessDenied(_("Too many wrong codes. Please ask for a new one."))
    return lookup


def lookup_code_verify(*, lookup_id: int, code: str) -> Order:
    """Check a typed code; a right one is used up, a wrong one counts towards the limit."""
    with transaction.atomic():
        lookup = _usable(LookupCode.objects.select_for_update().filter(pk=lookup_id).first())
        if not check_password(code.strip(), lookup.code_hash):
            # Count the attempt in the database before telling the customer: the error must not roll it back.
            lookup.attempts += 1
            lookup.save(update_fields=["attempts"])
            if lookup.attempts >= MAX_ATTEMPTS:
                error = AccessDenied(_("Too many wrong codes. Please ask for a new one."))
            else:
                error = AccessDenied(_("This code is not right. Please check the email and try again."))
        else:
            error = None
            lookup.used_at = timezone.now()
            lookup.save(update_fields=["used_at"])
    if error is not None:
        raise error
    return lookup.order


def lookup_link_verify(*, token: str) -> Order:
    """Open the order from the one-time link in the email."""
    try:
        nonce = signing.loads(token, salt=LINK_SALT)["n"]
    except (signing.BadSignature, KeyError, TypeError):
        raise AccessDenied(_("This code or link is not valid. Please ask for a new one.")) from None
    with transaction.atomic():
        lookup = _usable(LookupCode.objects.select_for_update().filter(link_nonce=nonce).first())
        lookup.used_at = timezone.now()
        lookup.save(update_fields=["used_at"])
    return lookup.order
