"""The law of a country and a merchant policy in general terms, as explanation steps for the public page."""

from .law import START_LAST_ITEM, Jurisdiction
from .rules import MERCHANT, SHARED, PolicySnapshot, Step, refund_step
from .taxonomy import WindowStart


def _sorted(codes) -> tuple:
    return tuple(sorted(codes))


def law_steps(law: Jurisdiction) -> list[Step]:
    """What the statute grants, each sentence with its article."""
    steps = []
    if law.has_withdrawal_right:
        steps.append(Step("page_withdrawal", (("days", law.withdrawal_days),), law.withdrawal_reference))
        if law.withdrawal_start == START_LAST_ITEM:
            steps.append(Step("withdrawal_from_last_item", reference=law.withdrawal_reference))
        if law.exceptions:
            steps.append(Step("page_exceptions", (("categories", _sorted(law.exceptions)),), law.exceptions_reference))
        if law.sealed_exceptions:
            steps.append(
                Step(
                    "page_sealed_exceptions",
                    (("categories", _sorted(law.sealed_exceptions)),),
                    law.exceptions_reference,
                )
            )
        if law.condition_bars:
            steps.append(
                Step(
                    "page_condition_bars",
                    (("item_conditions", _sorted(law.condition_bars)),),
                    law.condition_bars_reference,
                )
            )
        code = "page_cost_merchant" if law.withdrawal_cost_bearer == MERCHANT else "page_cost_customer"
        steps.append(Step(code, reference=law.cost_reference))
        if law.diminished_value_reference:
            steps.append(Step("diminished_value", reference=law.diminished_value_reference))
        if law.refund_due_days is not None:
            steps.append(refund_step(law))
            if law.refund_may_be_withheld:
                steps.append(Step("refund_withheld", reference=law.refund_reference))
    elif law.no_terms_withdrawal_days:
        steps.append(Step("page_no_terms", (("days", law.no_terms_withdrawal_days),), law.no_terms_reference))
    else:
        steps.append(Step("no_statutory_withdrawal", reference=law.guarantee_reference))

    if law.short_term_reject_days:
        steps.append(
            Step("page_short_term_reject", (("days", law.short_term_reject_days),), law.short_term_reject_reference)
        )
    if law.not_as_advertised_months:
        params = (("months", law.not_as_advertised_months), ("days", law.not_as_advertised_days_from_discovery))
        steps.append(Step("page_not_as_advertised", params, law.not_as_advertised_reference))
    if law.fault_return_days:
        steps.append(Step("page_fault_return", (("days", law.fault_return_days),), law.fault_return_reference))
    if law.apparent_defect_days:
        short, long = law.apparent_defect_days
        steps.append(Step("page_apparent_defect", (("short", short), ("long", long)), law.guarantee_reference))
    if law.guarantee_months:
        steps.append(Step("page_guarantee", (("months", law.guarantee_months),), law.guarantee_reference))
        if law.presumption_months:
            steps.append(Step("page_presumption", (("months", law.presumption_months),), law.presumption_reference))
    else:
        steps.append(Step("page_guarantee_open", reference=law.guarantee_reference))
    if law.remedies:
        steps.append(Step("remedies", (("remedies", tuple(law.remedies)),), law.remedies_reference))
    return steps


def policy_steps(policy: PolicySnapshot, *, statutory_somewhere: bool) -> list[Step]:
    """What the shop's policy adds, each sentence with the policy version it comes from."""
    ref = policy.reference
    steps = []
    if policy.change_of_mind_allowed:
        code = "page_policy_window_from_order" if policy.window_start == WindowStart.ORDER else "page_policy_window"
        steps.append(Step(code, (("days", policy.window_days),), ref))
        if policy.excluded_categories:
            steps.append(Step("page_policy_excluded", (("categories", _sorted(policy.excluded_categories)),), ref))
        if policy.conditions:
            steps.append(Step("merchant_conditions", (("conditions", tuple(policy.conditions)),), ref))
    else:
        steps.append(Step("merchant_no_change_of_mind", reference=ref))
    if policy.resolutions:
        steps.append(Step("resolutions", (("resolutions", tuple(policy.resolutions)),), ref))
    if policy.store_credit_bonus_percent and "store_credit" in policy.resolutions:
        steps.append(Step("store_credit_bonus", (("percent", policy.store_credit_bonus_percent),), ref))
    if policy.return_shipping_paid_by == SHARED:
        steps.append(Step("shipping_shared", (("percent", policy.customer_shipping_share_percent),), ref))
    else:
        steps.append(Step("shipping_payer", (("payer", policy.return_shipping_paid_by),), ref))
    if policy.free_return_min_order_value is not None and policy.return_shipping_paid_by != MERCHANT:
        params = (("amount", str(policy.free_return_min_order_value)), ("currency", policy.currency))
        steps.append(Step("free_return_order_value", params, ref))
    if policy.free_first_return and policy.return_shipping_paid_by != MERCHANT:
        steps.append(Step("free_return_first", reference=ref))
    steps.append(Step("shipping_shop_at_fault", reference=ref))
    if policy.restocking_fee_percent:
        steps.append(Step("restocking_fee", (("percent", str(policy.restocking_fee_percent)),), ref))
        if statutory_somewhere:
            steps.append(Step("no_restocking_fee_statutory", reference=ref))
    if policy.refund_days is not None:
        steps.append(Step("merchant_refund_promise", (("days", policy.refund_days),), ref))
    if policy.warranty_months:
        steps.append(Step("page_policy_warranty", (("months", policy.warranty_months),), ref))
    if policy.return_methods:
        steps.append(Step("return_methods", (("methods", tuple(policy.return_methods)),), ref))
    return steps
