"""Bearer tokens with scopes, and the request budget of each token (429 with Retry-After)."""

from django.conf import settings
from ninja.security import HttpBearer

from rma.access.throttles import Throttled, throttle_take
from rma.api.models import Scope
from rma.api.problems import ApiProblem
from rma.api.tokens import token_authenticate


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        try:
            throttle_take(action="api", subjects={"token": api_token.prefix})
        except Throttled as exc:
            raise ApiProblem(
                429, "rate-limited", "Too many requests",
                f"This token may make {settings.PORTAL_THROTTLES['api']['token'][0]} requests a minute.",
                headers={"Retry-After": str(exc.retry_after)},
            ) from None  # fmt: skip
        request.api_token = api_token
        request.user = api_token.user
        return api_token


def require(request, *scopes: str) -> None:
    """Refuse with 403 unless the token has one of ``scopes``."""
    have = set(request.api_token.scopes)
    if not have.intersection(scopes):
        raise ApiProblem(
            403, "insufficient-scope", "Insufficient scope",
            f"This token needs one of the scopes: {', '.join(scopes)}.",
        )  # fmt: skip


__all__ = ["BearerToken", "Scope", "require"]
