"""Staff two-factor sign-in (django-otp): who needs it, enrolment with recovery codes, the verify step."""

import base64
from dataclasses import dataclass

import django_otp
import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rma.access.roles import MFA_REQUIRED_PERMISSIONS

AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"
RECOVERY_CODE_COUNT = 10


def mfa_required(*, user) -> bool:
    """Superusers, supervisors and policy admins (``MFA_REQUIRED_ROLES``, told by their permissions) must
    verify a second factor; agents may choose to."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(user.has_perm(perm) for perm in MFA_REQUIRED_PERMISSIONS)


def mfa_enrolled(*, user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, for typing into an app by hand
    qr_svg_uri: str  # the otpauth:// address as a QR code


def mfa_enrolment_start(*, actor) -> Enrolment:
    """The unconfirmed authenticator device being set up for ``actor`` (a new one unless one is pending)."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False, name=AUTHENTICATOR_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, confirmed=False, name=AUTHENTICATOR_NAME)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m")
    return Enrolment(device=device, secret=secret, qr_svg_uri=qr.svg_data_uri(scale=5, dark="#000", light="#fff"))


def mfa_enrolment_confirm(*, actor, request, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; on success the session counts as verified and the
    new recovery codes (shown once, stored only as used/unused tokens) are returned. ``None``: a wrong code."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False, name=AUTHENTICATOR_NAME).first()
        )
        if device is None or not device.verify_token(token.strip()):
            return None
        TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = mfa_recovery_codes_new(actor=actor)
    django_otp.login(request, device)
    return codes


def mfa_recovery_codes_new(*, actor) -> list[str]:
    """Replace ``actor``'s recovery codes with a fresh set; each works once in place of an authenticator code."""
    device, _ = StaticDevice.objects.get_or_create(user=actor, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_verify(*, request, token: str) -> bool:
    """Check an authenticator or recovery code for the signed-in user; on success mark the session verified.

    django-otp throttles each device after a failure (a delay that doubles), so codes cannot be tried quickly;
    a recovery code works once.
    """
    device = django_otp.match_token(request.user, token.strip().replace(" ", ""))
    if device is None:
        return False
    django_otp.login(request, device)
    return True
