"""A claim for a faulty item: the statute's remedies and periods, the shop's warranty and window, the best open one."""

import datetime

from ..law import Jurisdiction
from ..taxonomy import NON_DURABLE_CATEGORIES, RefundClock, Resolution
from .dates import _end, add_months, next_working_day
from .merchant import _auto_approve
from .types import (
    COMMERCIAL_WARRANTY,
    LEGAL_GUARANTEE,
    MERCHANT,
    MERCHANT_POLICY,
    SHORT_TERM_REJECT,
    STATUTORY_WITHDRAWAL,
    Claim,
    Decision,
    PolicySnapshot,
    Step,
    _Option,
    _refusal,
    _Terms,
)


def _fault(claim: Claim, policy: PolicySnapshot | None, terms: _Terms | None, law: Jurisdiction) -> Decision:
    steps: list[Step] = list(terms.steps) if terms else []
    delivered = claim.delivered_on
    options: list[_Option] = []
    fixed = law.fault_period_fixed and claim.category not in law.guarantee_excluded
    remedies = tuple(law.remedies)

    if law.short_term_reject_days:
        deadline = delivered + datetime.timedelta(days=law.short_term_reject_days)
        options.append(_Option(SHORT_TERM_REJECT, deadline, 0, 0, (Resolution.REFUND.value,)))
        steps.append(
            Step(
                "short_term_reject",
                (("days", law.short_term_reject_days), ("deadline", deadline)),
                law.short_term_reject_reference,
            )
        )
    if law.not_as_advertised_months:
        deadline = add_months(delivered, law.not_as_advertised_months)
        if law.extend_to_working_day:
            deadline = next_working_day(deadline, law.holiday_country)
        options.append(_Option(STATUTORY_WITHDRAWAL, deadline, 0, 1, (Resolution.REFUND.value,)))
        steps.append(
            Step(
                "not_as_advertised",
                (
                    ("months", law.not_as_advertised_months),
                    ("deadline", deadline),
                    ("days", law.not_as_advertised_days_from_discovery),
                ),
                law.not_as_advertised_reference,
            )
        )
    if law.fault_return_days:
        deadline = _end(law, delivered, law.fault_return_days)
        options.append(_Option(LEGAL_GUARANTEE, deadline, 0, 2, (Resolution.REFUND.value,)))
        steps.append(
            Step(
                "fault_return_window",
                (("days", law.fault_return_days), ("deadline", deadline)),
                law.fault_return_reference,
            )
        )
    if law.apparent_defect_days:
        non_durable, durable = law.apparent_defect_days
        days = non_durable if claim.category in NON_DURABLE_CATEGORIES else durable
        deadline = _end(law, delivered, days)
        options.append(_Option(LEGAL_GUARANTEE, deadline, 0, 2, remedies))
        steps.append(Step("apparent_defect", (("days", days), ("deadline", deadline)), law.guarantee_reference))
    presumption_until = None
    if fixed:
        deadline = add_months(delivered, law.guarantee_months)
        options.append(_Option(LEGAL_GUARANTEE, deadline, 0, 2, remedies))
        steps.append(
            Step(
                "legal_guarantee",
                (("months", law.guarantee_months), ("deadline", deadline)),
                law.guarantee_reference,
            )
        )
        if law.presumption_months:
            presumption_until = add_months(delivered, law.presumption_months)
            code = "presumption" if claim.claimed_on <= presumption_until else "presumption_ended"
            steps.append(Step(code, (("deadline", presumption_until),), law.presumption_reference))
    if law.notification_months:
        steps.append(Step("notification_duty", (("months", law.notification_months),), law.notification_reference))
    if law.limitation_months:
        params = (("months", law.limitation_months),)
        if law.limitation_from == "delivery":
            params += (("deadline", add_months(delivered, law.limitation_months)),)
        steps.append(Step(f"limitation_from_{law.limitation_from}", params, law.limitation_reference))
    if policy is not None and terms is not None:
        if policy.warranty_months:
            deadline = add_months(delivered, policy.warranty_months)
            options.append(_Option(COMMERCIAL_WARRANTY, deadline, 0, 3, remedies + terms.resolutions))
            steps.append(
                Step(
                    "commercial_warranty",
                    (("months", policy.warranty_months), ("deadline", deadline)),
                    policy.reference,
                )
            )
        deadline = delivered + datetime.timedelta(days=terms.window_days)
        options.append(_Option(MERCHANT_POLICY, deadline, 0, 4, terms.resolutions))
        steps.append(Step("merchant_window", (("days", terms.window_days), ("deadline", deadline)), policy.reference))

    today = claim.claimed_on
    open_options = [o for o in options if today <= o.deadline]
    version = policy.version if policy else None
    applied = terms.rules_applied if terms else ()
    if open_options:
        # The UK short-term right to reject is the strongest remedy while it lasts; otherwise the basis
        # with the latest deadline. The customer may still use any other open route.
        reject = [o for o in open_options if o.basis == SHORT_TERM_REJECT]
        if reject:
            best = reject[0]
        else:
            best = open_options[0]
            for option in open_options[1:]:
                if option.deadline > best.deadline or (option.deadline == best.deadline and option.rank < best.rank):
                    best = option
        basis, deadline = best.basis, best.deadline
        resolutions = best.resolutions
        for option in open_options:
            resolutions += option.resolutions
        if not fixed:
            resolutions += remedies  # the statute's remedies stay open without a fixed end
        auto = _auto_approve(claim, policy, terms, fault=True)
    elif not fixed or _long_life_open(claim, law):
        # The statute sets no fixed period from delivery (it runs from discovering the defect, it lasts as
        # long as the goods can be expected to, or longer for goods meant to last substantially longer, or
        # the goods are outside the statute's scope): the claim goes to an agent rather than being refused
        # by a date the engine cannot know.
        if law.no_fixed_period_reason and not fixed:
            steps.append(Step(f"review_{law.no_fixed_period_reason}", (), law.guarantee_reference))
        elif fixed:
            steps.append(
                Step(
                    "review_long_life",
                    (("months", law.long_life_guarantee_months),),
                    law.long_life_reference,
                )
            )
        basis, deadline, auto, resolutions = LEGAL_GUARANTEE, None, False, remedies
    else:
        deadline = max(o.deadline for o in options)
        summary = Step("summary_fault_expired", (("deadline", deadline),))
        steps.append(summary)
        return _refusal(
            summary,
            steps,
            deadline,
            MERCHANT,
            None,
            share=0,
            version=version,
            applied=applied,
            presumption_until=presumption_until,
            remedies=remedies,
        )

    steps.append(Step("shipping_shop_at_fault", (), law.guarantee_reference or law.cost_reference))
    resolutions = _ordered(resolutions)
    if remedies and basis in (LEGAL_GUARANTEE, COMMERCIAL_WARRANTY):
        steps.append(Step("remedies", (("remedies", remedies),), law.remedies_reference))
    refund_days = refund_from = None
    if basis == SHORT_TERM_REJECT:
        refund_days, refund_from = 14, RefundClock.REJECTION_AGREED.value
        steps.append(Step("refund_due_rejection_agreed", (("days", 14),), law.short_term_reject_reference))
    elif policy is not None and policy.refund_days is not None and basis == MERCHANT_POLICY:
        refund_days, refund_from = policy.refund_days, RefundClock.GOODS_RECEIVED.value
        steps.append(Step("merchant_refund_promise", (("days", policy.refund_days),), policy.reference))
    methods = policy.return_methods if policy else ()
    if methods:
        steps.append(Step("return_methods", (("methods", methods),), policy.reference))
    manual = bool(terms and terms.manual_review)
    if manual:
        steps.append(Step("manual_review", (), policy.reference))
    if deadline is None:
        summary = Step("summary_fault_review", (), law.guarantee_reference)
    else:
        summary = Step(f"summary_fault_{basis}", (("deadline", deadline),))
    steps.append(summary)
    return Decision(
        eligible=True,
        basis=basis,
        deadline=deadline,
        return_shipping_paid_by=MERCHANT,
        auto_approve=auto,
        exception=None,
        summary=summary,
        explanation=tuple(steps),
        refund_due_days=refund_days,
        refund_due_from=refund_from,
        customer_shipping_share_percent=0,
        resolutions=resolutions,
        store_credit_bonus_percent=policy.store_credit_bonus_percent if policy and "store_credit" in resolutions else 0,
        presumption_until=presumption_until,
        remedies=remedies,
        manual_review=manual,
        return_methods=methods,
        policy_version=version,
        rules_applied=applied,
    )


def _long_life_open(claim: Claim, law: Jurisdiction) -> bool:
    """Whether a claim past the fixed guarantee is still inside the longer period for long-lasting goods."""
    months = law.long_life_guarantee_months
    return bool(months) and claim.claimed_on <= add_months(claim.delivered_on, months)


def _ordered(codes) -> tuple:
    """Codes without repeats, in the order given (the law's order of remedies comes first)."""
    return tuple(dict.fromkeys(codes))
