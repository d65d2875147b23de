"""Customer access to the portal: a one-time code or magic link to the order's email, throttled."""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rma.access import throttles
from rma.access.models import LookupCode
from rma.orders.models import Order
from rma.orders.numbers import order_number_q

LINK_SALT = "rma.lookup-link"
CODE_SALT = "rma.lookup-code"
SUBJECT = gettext_lazy("Your code to open order %(number)s")


class AccessDenied(Exception):
    """The code or link is wrong, used or expired, or too many were asked for."""


class LookupNotFound(AccessDenied):
    """No order with this number and email (the message never says which of the two was wrong)."""


def _access() -> dict:
    return settings.PORTAL_ACCESS


def _code_hash(lookup: LookupCode, code: str) -> str:
    """An HMAC under the server's secret: a six-digit code cannot be found from it without the secret.

    A slow password hash bought nothing at this length (a million codes are tried offline either way)
    and cost about a second of CPU per attempt; the secret and the attempt limits are what protect it.
    """
    return salted_hmac(CODE_SALT, f"{lookup.link_nonce}:{code}", algorithm="sha256").hexdigest()


def _order_find(*, number: str, email: str) -> Order | None:
    # One query whether the number is unknown or the email is wrong: neither is told apart by time.
    return (
        Order.objects.select_related("customer")
        .filter(order_number_q(number), customer__email__iexact=email.strip())
        .first()
    )


def lookup_start(*, number: str, email: str, client: str | None, language: str) -> LookupCode:
    """Find the order by its number and email and send it a code; refuse a client that misses too often.

    Every lookup is counted as a failure first (per client, per number and per email typed, whether or
    not such an order exists) and given back if it finds its order: so concurrent misses cannot overshoot
    the limit, and a refusal is the same for an existing and a missing order.
    """
    taken = throttles.throttle_take(
        action="lookup_failed",
        subjects={"client": client, "order": throttles.subject_normal(number),
                  "email": throttles.subject_normal(email)},
    )  # fmt: skip
    order = _order_find(number=number, email=email)
    if order is None:
        raise LookupNotFound(
            _(
                "We could not find an order with these details. Check the order number "
                "and the email address and try again."
            )
        )
    throttles.throttle_give_back(taken)
    return lookup_code_issue(order=order, email=email, client=client, language=language)


def lookup_code_issue(*, order: Order, email: str, client: str | None, language: str) -> LookupCode:
    """Send a code and a one-time link to the order's email; it revokes the codes and links sent before."""
    throttles.throttle_take(
        action="code_request",
        subjects={"client": client, "order": throttles.subject_normal(order.number),
                  "email": throttles.subject_normal(email)},
    )  # fmt: skip
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = _access()["code_valid_minutes"]
    now = timezone.now()
    with transaction.atomic():
        LookupCode.objects.filter(order=order, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        lookup = LookupCode(
            order=order,
            email=email.strip().lower(),
            link_nonce=secrets.token_urlsafe(16),
            ip=client,
            expires_at=now + datetime.timedelta(minutes=minutes),
        )
        lookup.code_hash = _code_hash(lookup, code)
        lookup.save()
    with translation.override(language):
        link = settings.SITE_URL + reverse("portal:verify_link", kwargs={"token": lookup_link_token(lookup)})
        context = {"code": code, "link": link, "order": order, "minutes": minutes, "shop_name": settings.SHOP_NAME}
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
    if lookup.expires_at <= timezone.now():
        raise AccessDenied(_("This code or link has expired or a newer one was sent. Please use the newest email."))
    if lookup.attempts >= _access()["code_max_attempts"]:
        raise AccessDenied(_("Too many wrong codes. Please ask for a new one."))
    return lookup


def lookup_code_verify(*, lookup_id: int, code: str, client: str | None) -> Order:
    """Check a typed code; a right one is used up, a wrong one counts towards the limits and says what is left."""
    lookup = LookupCode.objects.select_related("order").filter(pk=lookup_id).first()
    throttles.throttle_take(
        action="code_attempt",
        subjects={"client": client, "order": throttles.subject_normal(lookup.order.number) if lookup else None},
    )
    max_attempts = _access()["code_max_attempts"]
    with transaction.atomic():
        lookup = _usable(LookupCode.objects.select_for_update().select_related("order").filter(pk=lookup_id).first())
        if not constant_time_compare(_code_hash(lookup, code.strip()), lookup.code_hash):
            # Count the attempt in the database before telling the customer: the error must not roll it back.
            lookup.attempts += 1
            lookup.save(update_fields=["attempts"])
            left = max_attempts - lookup.attempts
            if left <= 0:
                error = AccessDenied(_("Too many wrong codes. Please ask for a new one."))
            else:
                error = AccessDenied(
                    ngettext(
                        "This code is not right. Please check the email and try again: %(count)s try is left.",
                        "This code is not right. Please check the email and try again: %(count)s tries are left.",
                        left,
                    )
                    % {"count": left}
                )
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
        lookup = _usable(
            LookupCode.objects.select_for_update().select_related("order").filter(link_nonce=nonce).first()
        )
        lookup.used_at = timezone.now()
        lookup.save(update_fields=["used_at"])
    return lookup.order
