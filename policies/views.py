"""The public, localized return policy of each region: what a customer reads before buying."""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import selectors
from .faq import faq_page_context
from .law import Jurisdiction, jurisdiction_for
from .models import Region, ReturnPolicy
from .rules import PolicySnapshot, Step
from .summary import law_steps, policy_steps


@dataclass
class LawGroup:
    """Countries of a region whose statute grants the same (their jurisdictions are equal but for the code)."""

    jurisdiction: Jurisdiction
    countries: list[str] = field(default_factory=list)

    @property
    def steps(self) -> list[Step]:
        return law_steps(self.jurisdiction)


@dataclass
class PolicyPage:
    region: Region
    policy: ReturnPolicy | None
    snapshot: PolicySnapshot | None
    law_groups: list[LawGroup]
    introductions: dict  # language -> the shop's own words
    shop_name: str
    shop_address: str
    shop_email: str
    # The customer's country when the link says it (``?country=PT``) and the region covers it: its law
    # comes first and is marked, so the customer sees what differs for them.
    customer_country: str = ""

    @property
    def withdrawal_form_required(self) -> bool:
        return any(g.jurisdiction.withdrawal_form_reference for g in self.law_groups)

    @property
    def withdrawal_form_references(self) -> list[str]:
        return sorted({g.jurisdiction.withdrawal_form_reference for g in self.law_groups} - {""})

    @property
    def statutory_withdrawal_somewhere(self) -> bool:
        return any(g.jurisdiction.has_withdrawal_right for g in self.law_groups)

    @property
    def policy_steps(self) -> list[Step]:
        if self.snapshot is None:
            return []
        return policy_steps(self.snapshot, statutory_somewhere=self.statutory_withdrawal_somewhere)

    def introduction(self) -> str:
        language = get_language() or settings.LANGUAGE_CODE
        return self.introductions.get(language) or ""


def _law_key(law: Jurisdiction):
    return tuple(v for k, v in sorted(law.__dict__.items()) if k not in ("code", "holiday_country"))


def policy_page_context(*, region: Region, policy: ReturnPolicy | None, country: str = "") -> PolicyPage:
    groups: dict[tuple, LawGroup] = {}
    for code in selectors.region_countries(region=region):
        law = jurisdiction_for(code)
        groups.setdefault(_law_key(law), LawGroup(jurisdiction=law)).countries.append(code)
    country = (country or "").upper()
    law_groups = sorted(groups.values(), key=lambda group: country not in group.countries)
    return PolicyPage(
        region=region,
        policy=policy,
        snapshot=selectors.policy_snapshot(policy),
        law_groups=law_groups,
        customer_country=country if any(country in group.countries for group in law_groups) else "",
        introductions={t.language: t.introduction for t in policy.texts.all()} if policy else {},
        shop_name=settings.SHOP_NAME,
        shop_address=getattr(settings, "SHOP_ADDRESS", ""),
        shop_email=settings.DEFAULT_FROM_EMAIL,
    )


@require_GET
def policy_index(request):
    regions = Region.objects.filter(policies__status=ReturnPolicy.Status.PUBLISHED).distinct()
    return render(request, "policies/index.html", {"regions": regions})


def _region_or_404(code: str) -> Region:
    region = Region.objects.filter(code__iexact=code).first()
    if region is None:
        raise Http404
    return region


@require_GET
def policy_public(request, region):
    region_row = _region_or_404(region)
    policy = selectors.policy_published_for_region(region=region_row)
    page = policy_page_context(region=region_row, policy=policy, country=request.GET.get("country", ""))
    return render(request, "policies/public.html", {"page": page})


@require_GET
def policy_faq(request, region):
    """Questions customers ask, answered from the region's published policy and the law of its countries."""
    region_row = _region_or_404(region)
    policy = selectors.policy_published_for_region(region=region_row)
    page = policy_page_context(region=region_row, policy=policy, country=request.GET.get("country", ""))
    return render(request, "policies/faq.html", {"page": page, "faq": faq_page_context(page=page)})
