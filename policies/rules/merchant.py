"""What a merchant policy gives one claim: its terms after the override rules, auto-approval, its window, shipping."""

import datetime

from ..taxonomy import POLICY_CONDITION_BROKEN_BY, WindowStart
from .types import MERCHANT, MERCHANT_POLICY, SHARED, Claim, PolicySnapshot, Step, _Option, _Terms


def _terms(claim: Claim, policy: PolicySnapshot) -> _Terms:
    currency = policy.currency
    matched = [rule for rule in policy.rules if rule.matches(claim, currency)]
    if not matched:
        return policy.base_terms
    window, fee, resolutions, auto = policy.window_days, policy.restocking_fee_percent, policy.resolutions, None
    manual = False
    set_window = set_fee = set_resolutions = False
    applied, steps = [], []
    for rule in matched:  # sorted by priority: the first matching rule that sets an effect decides it
        applied.append(rule.priority)
        steps.append(Step("policy_rule", (("rule", rule.name), ("priority", rule.priority)), policy.reference))
        if rule.window_days is not None and not set_window:
            window, set_window = rule.window_days, True
        if rule.restocking_fee_percent is not None and not set_fee:
            fee, set_fee = rule.restocking_fee_percent, True
        if rule.resolutions is not None and not set_resolutions:
            resolutions, set_resolutions = rule.resolutions, True
        if rule.auto_approve is not None and auto is None:
            auto = rule.auto_approve
        manual = manual or rule.manual_review
    auto_approve = policy.auto_approve if auto is None else auto
    return _Terms(window, fee, tuple(resolutions), auto_approve, manual, tuple(applied), tuple(steps))


def _auto_approve(claim: Claim, policy: PolicySnapshot | None, terms: _Terms | None, *, fault: bool) -> bool:
    if policy is None or terms is None or not terms.auto_approve or terms.manual_review:
        return False
    if fault and not policy.auto_approve_faults:
        return False
    if policy.auto_approve_max_value is not None and (
        claim.item_value is None or claim.item_value > policy.auto_approve_max_value
    ):
        return False
    return policy.auto_approve_max_previous_returns is None or (
        claim.previous_returns <= policy.auto_approve_max_previous_returns
    )


def _merchant_share(claim: Claim, policy: PolicySnapshot, steps: list) -> int:
    """The customer's share of return shipping under the policy, after its free-return rules."""
    if policy.return_shipping_paid_by == MERCHANT:
        return 0
    if (
        policy.free_return_min_order_value is not None
        and claim.order_value is not None
        and (not policy.currency or not claim.currency or claim.currency == policy.currency)
        and claim.order_value >= policy.free_return_min_order_value
    ):
        steps.append(
            Step(
                "free_return_order_value",
                (("amount", str(policy.free_return_min_order_value)), ("currency", policy.currency or claim.currency)),
                policy.reference,
            )
        )
        return 0
    if policy.free_first_return and claim.previous_returns == 0:
        steps.append(Step("free_return_first", (), policy.reference))
        return 0
    if policy.return_shipping_paid_by == SHARED:
        return policy.customer_shipping_share_percent
    return 100


def _merchant_window(claim: Claim, policy: PolicySnapshot, terms: _Terms, steps: list) -> _Option | None:
    if not policy.change_of_mind_allowed:
        steps.append(Step("merchant_no_change_of_mind", (), policy.reference))
        return None
    if claim.category in policy.excluded_categories:
        steps.append(Step("merchant_excluded_category", (("category", claim.category),), policy.reference))
        return None
    for condition in policy.conditions:
        if claim.condition in POLICY_CONDITION_BROKEN_BY.get(condition, ()):
            steps.append(Step("merchant_condition_not_met", (("condition", condition),), policy.reference))
            return None
    start = claim.delivered_on
    code = "merchant_window"
    if policy.window_start == WindowStart.ORDER and claim.ordered_on:
        start, code = claim.ordered_on, "merchant_window_from_order"
    deadline = start + datetime.timedelta(days=terms.window_days)
    steps.append(Step(code, (("days", terms.window_days), ("deadline", deadline)), policy.reference))
    if policy.conditions:
        steps.append(Step("merchant_conditions", (("conditions", policy.conditions),), policy.reference))
    return _Option(MERCHANT_POLICY, deadline, _merchant_share(claim, policy, steps), 1)
