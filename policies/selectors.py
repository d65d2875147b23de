"""Read access to regions, policies (as engine snapshots), return centres, and what-if simulations."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

from .law import EU_MEMBER_STATES, Jurisdiction, jurisdiction_for
from .models import PolicyRule, PolicyText, Region, RegionCountry, ReturnCenter, ReturnPolicy
from .rules import Claim, Decision, PolicySnapshot, RuleSnapshot, evaluate
from .taxonomy import Category, PolicyCondition, Reason, Resolution, ReturnMethod

_LIST_CHOICES = {
    "excluded_categories": dict(Category.choices),
    "categories": dict(Category.choices),
    "conditions": dict(PolicyCondition.choices),
    "resolutions": dict(Resolution.choices),
    "reasons": dict(Reason.choices),
    "return_methods": dict(ReturnMethod.choices),
}


def _country_candidates(country: str) -> list[str]:
    country = (country or "").upper()
    return [country, country.split("-")[0]] if "-" in country else [country]


def region_for_country(*, country: str) -> Region | None:
    """The region covering a country, else the shop's default region (None if that is missing too)."""
    return region_resolve(country=country)[0]


def region_resolve(*, country: str) -> tuple[Region | None, bool]:
    """The region for a country and whether it is the default region used as a fallback."""
    for candidate in _country_candidates(country):
        link = RegionCountry.objects.select_related("region").filter(country=candidate).first()
        if link is not None:
            return link.region, False
    return Region.objects.filter(code=settings.DEFAULT_REGION_CODE).first(), True


def policy_published_for_region(*, region: Region | None) -> ReturnPolicy | None:
    if region is None:
        return None
    return (
        ReturnPolicy.objects.filter(region=region, status=ReturnPolicy.Status.PUBLISHED)
        .select_related("region")
        .prefetch_related("rules")
        .first()
    )


def _decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def rule_snapshot(rule) -> RuleSnapshot:
    return RuleSnapshot(
        priority=rule.priority,
        name=rule.name,
        categories=frozenset(rule.categories or ()),
        skus=frozenset(rule.skus or ()),
        tags=frozenset(rule.tags or ()),
        reasons=frozenset(rule.reasons or ()),
        min_order_value=_decimal_or_none(rule.min_order_value),
        max_order_value=_decimal_or_none(rule.max_order_value),
        min_previous_returns=rule.min_previous_returns,
        max_previous_returns=rule.max_previous_returns,
        window_days=rule.window_days,
        restocking_fee_percent=_decimal_or_none(rule.restocking_fee_percent),
        resolutions=tuple(rule.resolutions) if rule.resolutions is not None else None,
        auto_approve={"yes": True, "no": False}.get(rule.auto_approve),
        manual_review=rule.manual_review,
    )


def policy_snapshot(policy: ReturnPolicy | None, *, rules=None) -> PolicySnapshot | None:
    """The engine's frozen view of a policy row (rules from ``rules`` or the row's, by priority)."""
    if policy is None:
        return None
    rule_rows = policy.rules.all() if rules is None else rules
    return PolicySnapshot(
        region=policy.region.code,
        version=policy.version,
        window_days=policy.window_days,
        change_of_mind_allowed=policy.change_of_mind_allowed,
        return_shipping_paid_by=policy.return_shipping_paid_by,
        auto_approve=policy.auto_approve,
        window_start=policy.window_start,
        excluded_categories=frozenset(policy.excluded_categories or ()),
        conditions=tuple(policy.conditions or ()),
        resolutions=tuple(policy.resolutions or ()),
        store_credit_bonus_percent=policy.store_credit_bonus_percent,
        customer_shipping_share_percent=policy.customer_shipping_share_percent,
        currency=policy.currency,
        free_return_min_order_value=_decimal_or_none(policy.free_return_min_order_value),
        free_first_return=policy.free_first_return,
        restocking_fee_percent=Decimal(policy.restocking_fee_percent or 0),
        refund_days=policy.refund_days,
        warranty_months=policy.warranty_months,
        return_methods=tuple(policy.return_methods or ()),
        auto_approve_faults=policy.auto_approve_faults,
        auto_approve_max_value=_decimal_or_none(policy.auto_approve_max_value),
        auto_approve_max_previous_returns=policy.auto_approve_max_previous_returns,
        rules=tuple(sorted((rule_snapshot(r) for r in rule_rows), key=lambda r: r.priority)),
        draft=policy.status == ReturnPolicy.Status.DRAFT,
    )


@dataclass(frozen=True)
class PolicyContext:
    """Everything the engine needs for a customer's country, and whether the default region stood in."""

    country: str
    region: Region | None
    policy: ReturnPolicy | None
    snapshot: PolicySnapshot | None
    jurisdiction: Jurisdiction
    fallback: bool


def policy_context(*, country: str) -> PolicyContext:
    """The published policy for a country; ``fallback`` is True when no region lists the country."""
    region, fallback = region_resolve(country=country)
    policy = policy_published_for_region(region=region)
    return PolicyContext(
        country=(country or "").upper(),
        region=region,
        policy=policy,
        snapshot=policy_snapshot(policy),
        jurisdiction=jurisdiction_for(country),
        fallback=fallback,
    )


def policy_context_for_country(*, country: str):
    """Everything the engine needs for one country: (policy row, its snapshot, the law baseline)."""
    context = policy_context(country=country)
    return context.policy, context.snapshot, context.jurisdiction


def region_countries(*, region: Region) -> list[str]:
    return list(region.countries.values_list("country", flat=True))


def policy_versions(*, region: Region):
    return ReturnPolicy.objects.filter(region=region).select_related("published_by").order_by("-version")


# ---------------------------------------------------------------------------------------------- return centres


def customs_territory(country: str) -> str:
    """The customs territory of a country: the EU customs union as one, US states as the US."""
    country = (country or "").upper().split("-")[0]
    return "EU" if country in EU_MEMBER_STATES else country


def return_center_for_country(*, country: str) -> ReturnCenter | None:
    """Where goods from a country go back: a centre serving it, one in it, one in its customs territory,
    or the fallback centre, in that order; a centre inside the customs territory avoids customs formalities."""
    country = (country or "").upper()
    candidates = set(_country_candidates(country))
    centers = list(ReturnCenter.objects.filter(active=True).order_by("name", "pk"))
    for test in (
        lambda c: candidates & set(c.countries_served or ()),
        lambda c: c.country in candidates,
        lambda c: c.customs_territory == customs_territory(country),
        lambda c: c.is_fallback,
    ):
        for center in centers:
            if test(center):
                return center
    return None


# ---------------------------------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class SimulatedChange:
    claim: Claim
    before: Decision
    after: Decision
    changes: tuple  # names of the decision fields that differ


@dataclass(frozen=True)
class SimulationReport:
    evaluated: int
    changed: list = field(default_factory=list)
    source_missing: bool = False


_COMPARED = (
    "eligible",
    "basis",
    "deadline",
    "return_shipping_paid_by",
    "customer_shipping_share_percent",
    "restocking_fee_percent",
    "resolutions",
    "auto_approve",
    "manual_review",
)


def decisions_compare(claims, before: PolicySnapshot | None, after: PolicySnapshot | None) -> SimulationReport:
    """Evaluate each claim under two policies (pure); list the claims whose decision would change."""
    changed = []
    count = 0
    for claim in claims:
        law = jurisdiction_for(claim.country)
        old, new = evaluate(claim, before, law), evaluate(claim, after, law)
        count += 1
        differences = tuple(name for name in _COMPARED if getattr(old, name) != getattr(new, name))
        if differences:
            changed.append(SimulatedChange(claim, old, new, differences))
    return SimulationReport(evaluated=count, changed=changed)


def simulation_claims(*, countries: list[str], limit: int) -> list[Claim] | None:
    """Recent real claims from the configured source (``POLICY_SIMULATION_SOURCE``); None if none is set."""
    path = getattr(settings, "POLICY_SIMULATION_SOURCE", "")
    if not path:
        return None
    return list(import_string(path)(countries=countries, limit=limit))


def policy_simulate(*, policy: ReturnPolicy, limit: int = 200) -> SimulationReport:
    """What would change if ``policy`` replaced the region's published version, over the last real claims."""
    claims = simulation_claims(countries=region_countries(region=policy.region), limit=limit)
    if claims is None:
        return SimulationReport(evaluated=0, source_missing=True)
    current = policy_published_for_region(region=policy.region)
    if current is not None and current.pk == policy.pk:
        current = None
    return decisions_compare(claims, policy_snapshot(current), policy_snapshot(policy))


# ---------------------------------------------------------------------------------------------- diff

# The fields of a version that make up its terms (not its bookkeeping).
POLICY_TERM_FIELDS = (
    "window_days",
    "window_start",
    "change_of_mind_allowed",
    "excluded_categories",
    "conditions",
    "resolutions",
    "store_credit_bonus_percent",
    "exchange_other_products",
    "instant_exchange",
    "return_shipping_paid_by",
    "customer_shipping_share_percent",
    "currency",
    "free_return_min_order_value",
    "free_first_return",
    "return_label_fee",
    "restocking_fee_percent",
    "refund_days",
    "warranty_months",
    "return_methods",
    "auto_approve",
    "auto_approve_faults",
    "auto_approve_max_value",
    "auto_approve_max_previous_returns",
)
RULE_TERM_FIELDS = (
    "name",
    "categories",
    "skus",
    "tags",
    "reasons",
    "min_order_value",
    "max_order_value",
    "min_previous_returns",
    "max_previous_returns",
    "window_days",
    "restocking_fee_percent",
    "resolutions",
    "auto_approve",
    "manual_review",
)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object
    rule: str = ""  # "" for a field of the policy itself; the rule's priority and name otherwise


def _display(instance, name: str):
    model_field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if model_field.choices:
        return getattr(instance, f"get_{name}_display")()
    if isinstance(value, list):
        choices = _LIST_CHOICES.get(name)
        return ", ".join(str(choices.get(v, v)) if choices else v for v in value)
    return value


def _field_changes(old, new, names, rule: str = "") -> list[FieldChange]:
    changes = []
    for name in names:
        if getattr(old, name) != getattr(new, name):
            label = str(old._meta.get_field(name).verbose_name)
            changes.append(FieldChange(label, _display(old, name), _display(new, name), rule))
    return changes


def policy_diff(*, old: ReturnPolicy, new: ReturnPolicy) -> list[FieldChange]:
    """What differs between two versions: their terms, then their rules matched by priority."""
    changes = _field_changes(old, new, POLICY_TERM_FIELDS)
    old_rules = {r.priority: r for r in old.rules.all()}
    new_rules = {r.priority: r for r in new.rules.all()}
    for priority in sorted(old_rules.keys() | new_rules.keys()):
        before, after = old_rules.get(priority), new_rules.get(priority)
        if before and after:
            changes += _field_changes(before, after, RULE_TERM_FIELDS, rule=str(after))
        else:
            present = after or before
            label = str(PolicyRule._meta.verbose_name)
            changes.append(
                FieldChange(label, str(before) if before else None, str(after) if after else None, str(present))
            )
    old_texts = {t.language: t.introduction for t in old.texts.all()}
    new_texts = {t.language: t.introduction for t in new.texts.all()}
    for language in sorted(old_texts.keys() | new_texts.keys()):
        if old_texts.get(language) != new_texts.get(language):
            label = f"{PolicyText._meta.verbose_name} ({language})"
            changes.append(FieldChange(label, old_texts.get(language), new_texts.get(language)))
    return changes
