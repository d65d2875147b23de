"""The legal floor under a merchant policy: what a draft may not promise below the law, with the article.

Pure functions over a PolicySnapshot and country codes. The engine applies the law as a floor to every
decision anyway; these checks keep the policy the customer reads from promising less than the law
gives, and they are what stops such a draft from being saved or published.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .law import jurisdiction_for
from .rules import PolicySnapshot, Step
from .taxonomy import Resolution, WindowStart


@dataclass(frozen=True)
class Violation:
    """One way a policy falls below the law: the form field at fault and the explained step."""

    field: str
    step: Step


def floor_violations(policy: PolicySnapshot, countries: Iterable[str]) -> list[Violation]:
    """Every rule of the law (of the region's countries) the policy falls below; countries sharing one are merged."""
    found: dict[tuple, tuple[str, str, tuple, list[str]]] = {}

    def add(field: str, code: str, params: tuple, reference: str, country: str):
        key = (field, code, params, reference)
        found.setdefault(key, (field, code, params, reference, []))[4].append(country)

    for country in sorted(set(countries)):
        law = jurisdiction_for(country)
        if not law.has_withdrawal_right:
            continue
        days, article = law.withdrawal_days, law.withdrawal_reference
        if not policy.change_of_mind_allowed:
            add("change_of_mind_allowed", "floor_no_change_of_mind", (("days", days),), article, country)
        else:
            if policy.window_days < days:
                add(
                    "window_days",
                    "floor_window_short",
                    (("window", policy.window_days), ("days", days)),
                    article,
                    country,
                )
            if policy.window_start == WindowStart.ORDER:
                add("window_start", "floor_window_from_order", (), article, country)
        allowed = law.exceptions | law.sealed_exceptions
        for category in sorted(policy.excluded_categories):
            if category not in allowed:
                add(
                    "excluded_categories",
                    "floor_excluded_category",
                    (("category", category),),
                    law.exceptions_reference or article,
                    country,
                )
        if Resolution.REFUND not in policy.resolutions:
            add("resolutions", "floor_refund_missing", (), law.refund_reference or article, country)
        if (
            law.refund_due_days is not None
            and policy.refund_days is not None
            and policy.refund_days > law.refund_due_days
        ):
            add(
                "refund_days",
                "floor_refund_days",
                (("promised", policy.refund_days), ("days", law.refund_due_days)),
                law.refund_reference,
                country,
            )
        for rule in policy.rules:
            rule_params = (("rule", rule.name), ("priority", rule.priority))
            if rule.window_days is not None and rule.window_days < days:
                add(
                    "rules",
                    "floor_rule_window_short",
                    rule_params + (("window", rule.window_days), ("days", days)),
                    article,
                    country,
                )
            if rule.resolutions is not None and Resolution.REFUND not in rule.resolutions:
                add("rules", "floor_rule_no_refund", rule_params, law.refund_reference or article, country)

    violations = []
    for field, code, params, reference, country_list in found.values():
        step = Step(code, (*params, ("country", tuple(country_list)), ("article", reference)), reference)
        violations.append(Violation(field, step))
    return violations


@dataclass(frozen=True)
class Overlap:
    """Two rules a single claim can match that set the same effect: the higher priority one decides it."""

    first: str
    first_priority: int
    second: str
    second_priority: int
    effects: tuple


_EFFECTS = ("window_days", "restocking_fee_percent", "resolutions", "auto_approve")


def _may_overlap(a, b) -> bool:
    for name in ("categories", "skus", "tags", "reasons"):
        left, right = getattr(a, name), getattr(b, name)
        if left and right and not (left & right) and name != "reasons":
            return False
        if name == "reasons" and left and right and not (left & right):
            # A rule for "change_of_mind" also covers the size reasons, which count as a change of mind.
            mind = {"change_of_mind", "too_small", "too_large"}
            if not ((left & mind) and (right & mind) and ("change_of_mind" in left or "change_of_mind" in right)):
                return False
    low = max(a.min_order_value or 0, b.min_order_value or 0)
    highs = [v for v in (a.max_order_value, b.max_order_value) if v is not None]
    if highs and min(highs) < low:
        return False
    low_returns = max(a.min_previous_returns or 0, b.min_previous_returns or 0)
    highs_returns = [v for v in (a.max_previous_returns, b.max_previous_returns) if v is not None]
    return not (highs_returns and min(highs_returns) < low_returns)


def rule_overlaps(rules) -> list[Overlap]:
    """Pairs of rules (in priority order) that can match one claim and set the same effect."""
    ordered = sorted(rules, key=lambda r: r.priority)
    overlaps = []
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            shared = tuple(e for e in _EFFECTS if getattr(first, e) is not None and getattr(second, e) is not None)
            if shared and _may_overlap(first, second):
                overlaps.append(Overlap(first.name, first.priority, second.name, second.priority, shared))
    return overlaps
