"""Read access to regions and policies."""

from django.conf import settings

from .law import jurisdiction_for
from .models import Region, ReturnPolicy
from .rules import PolicySnapshot


def region_for_country(*, country: str) -> Region | None:
    """The region covering a country, else the shop's default region (None if that is missing too)."""
    country = (country or "").upper()
    region = Region.objects.filter(countries__country=country).first()
    if region is None and "-" in country:
        region = Region.objects.filter(countries__country=country.split("-")[0]).first()
    if region is None:
        region = Region.objects.filter(code=settings.DEFAULT_REGION_CODE).first()
    return region


def policy_published_for_region(*, region: Region | None) -> ReturnPolicy | None:
    if region is None:
        return None
    return ReturnPolicy.objects.filter(region=region, status=ReturnPolicy.Status.PUBLISHED).first()


def policy_snapshot(policy: ReturnPolicy | None) -> PolicySnapshot | None:
    if policy is None:
        return None
    return PolicySnapshot(
        region=policy.region.code,
        version=policy.version,
        window_days=policy.window_days,
        change_of_mind_allowed=policy.change_of_mind_allowed,
        return_shipping_paid_by=policy.return_shipping_paid_by,
        auto_approve=policy.auto_approve,
    )


def policy_context_for_country(*, country: str):
    """Everything the engine needs for one country: (policy row, its snapshot, the law baseline)."""
    policy = policy_published_for_region(region=region_for_country(country=country))
    return policy, policy_snapshot(policy), jurisdiction_for(country)
