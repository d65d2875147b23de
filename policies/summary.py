"""The law of a country and a merchant policy in general terms, as explanation steps for the public page."""

from .law import START_LAST_ITEM, START_PURCHASE, Jurisdiction
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
        for categories, conditions in law.category_condition_bars:
            params = (("categories", _sorted(categories)), ("item_conditions", _sorted(conditions)))
            steps.append(Step("page_category_condition_bars", params, law.category_condition_bars_reference))
        informed = law.informed_exceptions | law.informed_sealed_exceptions
        if informed:
            params = (("categories", _sorted(informed)),)
            steps.append(Step("page_informed_exceptions", params, law.informed_exceptions_reference))
        if law.informed_condition_bars:
            params = (("item_conditions", _sorted(law.informed_condition_bars)),)
            steps.append(Step("page_informed_condition_bars", params, law.informed_exceptions_reference))
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
        if law.long_life_guarantee_months:
            params = (("months", law.long_life_guarantee_months),)
            steps.append(Step("page_long_life", params, law.long_life_reference))
        if law.presumption_months:
            steps.append(Step("page_presumption", (("months", law.presumption_months),), law.presumption_reference))
    elif law.no_fixed_period_reason:
        steps.append(Step(f"page_{law.no_fixed_period_reason}", reference=law.guarantee_reference))
        if law.presumption_months:
            steps.append(Step("page_presumption", (("months", law.presumption_months),), law.presumption_reference))
    else:
        steps.append(Step("page_guarantee_open", reference=law.guarantee_reference))
    if law.notification_months:
        steps.append(Step("notification_duty", (("months", law.notification_months),), law.notification_reference))
    if law.limitation_months:
        params = (("months", law.limitation_months),)
        steps.append(Step(f"page_limitation_from_{law.limitation_from}", params, law.limitation_reference))
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


# ---------------------------------------------------------------------------------------------- FAQ
# The FAQ page answers each question with the steps above that concern it, plus a few steps only the FAQ
# states (their sentences live in policies.faq). A step may answer more than one question.

FAQ_COUNTING_NEXT_DAY = "faq_counting_next_day"
FAQ_COUNTING_FIRST_DAY = "faq_counting_first_day"
FAQ_COUNTING_WORKING_DAY = "faq_counting_working_day"
FAQ_NO_TERMS_DISPLAYED = "faq_no_terms_displayed"
FAQ_NO_TERMS_FROM_RECEIPT = "faq_no_terms_from_receipt"
FAQ_NO_TERMS_FROM_PURCHASE = "faq_no_terms_from_purchase"
FAQ_WITHDRAWAL_FUNCTION = "faq_withdrawal_function"
FAQ_WITHDRAWAL_OTHER = "faq_withdrawal_other"
FAQ_WITHDRAWAL_NOTICE = "faq_withdrawal_notice"

_FAQ_REFUND_CODES = frozenset(
    {
        "refund_due_withdrawal_notice",
        "refund_due_goods_received_or_proof_of_sending",
        "refund_due_goods_received",
        "refund_due_business_goods_received",
        "refund_due_immediately",
        "refund_withheld",
    }
)
_FAQ_WINDOW_CODES = frozenset({"page_policy_window", "page_policy_window_from_order", "page_withdrawal"})

# The step codes that answer each question of the FAQ, in the order the page asks them.
FAQ_TOPICS = {
    "window": _FAQ_WINDOW_CODES
    | {
        "withdrawal_from_last_item",
        FAQ_COUNTING_NEXT_DAY,
        FAQ_COUNTING_FIRST_DAY,
        FAQ_COUNTING_WORKING_DAY,
        FAQ_NO_TERMS_FROM_RECEIPT,
        FAQ_NO_TERMS_FROM_PURCHASE,
    },
    "change_of_mind": _FAQ_WINDOW_CODES
    | {
        "merchant_no_change_of_mind",
        "no_statutory_withdrawal",
        FAQ_NO_TERMS_DISPLAYED,
        FAQ_NO_TERMS_FROM_RECEIPT,
        FAQ_NO_TERMS_FROM_PURCHASE,
    },
    "exceptions": frozenset(
        {
            "page_policy_excluded",
            "merchant_no_change_of_mind",
            "page_exceptions",
            "page_sealed_exceptions",
            "page_informed_exceptions",
        }
    ),
    "condition": frozenset(
        {
            "merchant_conditions",
            "page_condition_bars",
            "page_sealed_exceptions",
            "diminished_value",
            "page_category_condition_bars",
            "page_informed_condition_bars",
        }
    ),
    "shipping": frozenset(
        {
            "shipping_payer",
            "shipping_shared",
            "free_return_order_value",
            "free_return_first",
            "shipping_shop_at_fault",
            "page_cost_customer",
            "page_cost_merchant",
        }
    ),
    "fee": frozenset({"restocking_fee", "no_restocking_fee_statutory"}),
    "methods": frozenset({"return_methods"}),
    "exchange": frozenset({"resolutions", "store_credit_bonus"}),
    "refund": _FAQ_REFUND_CODES | {"merchant_refund_promise"},
    "faults": frozenset(
        {
            "page_policy_warranty",
            "shipping_shop_at_fault",
            "page_short_term_reject",
            "page_not_as_advertised",
            "page_fault_return",
            "page_apparent_defect",
            "page_guarantee",
            "page_presumption",
            "page_guarantee_open",
            "page_expected_lifespan",
            "page_long_life",
            "notification_duty",
            "page_limitation_from_delivery",
            "page_limitation_from_discovery",
            "page_limitation_from_notification",
            "remedies",
        }
    ),
    "withdrawal": frozenset({"page_withdrawal", FAQ_WITHDRAWAL_FUNCTION, FAQ_WITHDRAWAL_OTHER, FAQ_WITHDRAWAL_NOTICE}),
}


def faq_law_steps(law: Jurisdiction, *, terms_displayed: bool) -> list[Step]:
    """``law_steps`` with what the FAQ adds: how the period is counted, how to withdraw, and the right that
    exists only where a shop displays no return terms, stated as it applies (``terms_displayed``)."""
    steps = []
    for step in law_steps(law):
        if step.code != "page_no_terms":
            steps.append(step)
        elif terms_displayed:
            steps.append(Step(FAQ_NO_TERMS_DISPLAYED, step.params, step.reference))
        else:
            code = FAQ_NO_TERMS_FROM_PURCHASE if law.no_terms_start == START_PURCHASE else FAQ_NO_TERMS_FROM_RECEIPT
            steps.append(Step(code, step.params, step.reference))
    if law.no_terms_withdrawal_days and law.start_day_counted and not terms_displayed and not law.has_withdrawal_right:
        steps.append(Step(FAQ_COUNTING_FIRST_DAY, reference=law.no_terms_reference))
    if law.has_withdrawal_right:
        reference = law.counting_reference or law.withdrawal_reference
        code = FAQ_COUNTING_FIRST_DAY if law.start_day_counted else FAQ_COUNTING_NEXT_DAY
        steps.append(Step(code, reference=reference))
        if law.extend_to_working_day:
            steps.append(Step(FAQ_COUNTING_WORKING_DAY, reference=reference))
        if law.withdrawal_function_reference:
            steps.append(Step(FAQ_WITHDRAWAL_FUNCTION, reference=law.withdrawal_function_reference))
            steps.append(
                Step(FAQ_WITHDRAWAL_OTHER, reference=law.withdrawal_form_reference or law.withdrawal_reference)
            )
        else:
            steps.append(Step(FAQ_WITHDRAWAL_NOTICE, reference=law.withdrawal_reference))
    return steps


def faq_topic_steps(steps, topic: str) -> list[Step]:
    """The steps that answer one question of the FAQ, in their order."""
    codes = FAQ_TOPICS[topic]
    return [step for step in steps if step.code in codes]
