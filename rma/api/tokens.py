"""Making, checking and revoking API tokens."""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from rma.api.models import ApiToken, Scope


class TokenInvalid(Exception):
    pass


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, name: str, user, scopes: list[str], created_by=None, expires_at=None) -> tuple[ApiToken, str]:
    """A new token; returns the row and the token text, which is shown once and not kept."""
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise TokenInvalid(f"scopes must be some of {', '.join(Scope.values)}")
    prefix = secrets.token_hex(4)
    raw = f"rp_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name, user=user, prefix=prefix, key_hash=_hash(raw), scopes=sorted(set(scopes)),
        created_by=created_by, expires_at=expires_at,
    )  # fmt: skip
    return token, raw


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token this text proves, or None (unknown, revoked, expired, or its user is inactive)."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != "rp":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(raw)):
        return None
    now = timezone.now()
    if token.revoked_at or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write a minute per token
    return token


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
