"""A change-of-mind claim: the best open basis of the statute and the policy, then fees, resolutions and refund."""

from decimal import Decimal
from functools import lru_cache

from ..law import Jurisdiction
from ..taxonomy import RESOLUTION_ORDER, RefundClock, Resolution
from .merchant import _auto_approve, _merchant_window
from .types import (
    CUSTOMER,
    MERCHANT,
    MERCHANT_POLICY,
    NONE,
    SHARED,
    STATUTORY_WITHDRAWAL,
    Claim,
    Decision,
    PolicySnapshot,
    Step,
    _refusal,
    _Terms,
)
from .withdrawal import _statutory_withdrawal, refund_step


@lru_cache(maxsize=256)
def _sorted_resolutions(codes: tuple) -> tuple:
    return tuple(sorted(set(codes), key=lambda c: RESOLUTION_ORDER.get(c, 99)))


def _shipping_step(share: int) -> Step:
    if share == 0:
        return Step("shipping_payer", (("payer", MERCHANT),))
    if share == 100:
        return Step("shipping_payer", (("payer", CUSTOMER),))
    return Step("shipping_shared", (("percent", share),))


def _payer(share: int) -> str:
    return MERCHANT if share == 0 else CUSTOMER if share == 100 else SHARED


def _change_of_mind(claim: Claim, policy: PolicySnapshot | None, terms: _Terms | None, law: Jurisdiction) -> Decision:
    steps: list[Step] = list(terms.steps) if terms else []
    statutory, exception = _statutory_withdrawal(claim, law, steps)
    options = [statutory] if statutory else []
    if policy is not None and terms is not None and exception is None:
        merchant = _merchant_window(claim, policy, terms, steps)
        if merchant:
            options.append(merchant)
    version = policy.version if policy else None
    applied = terms.rules_applied if terms else ()

    if not options:
        summary = (
            Step("summary_exception", (("category", claim.category),))
            if exception
            else Step("summary_no_change_of_mind")
        )
        steps.append(summary)
        return _refusal(summary, steps, None, CUSTOMER, exception, share=100, version=version, applied=applied)

    today = claim.claimed_on
    open_options = [o for o in options if today <= o.deadline]
    pool = open_options or options
    best = pool[0]
    for option in pool[1:]:  # at most two: the statute first, so it wins a tie
        if option.deadline > best.deadline:
            best = option
    eligible = bool(open_options)
    share = min(o.share for o in pool)
    statutory_open = statutory is not None and today <= statutory.deadline
    basis = best.basis if eligible else NONE
    deadline = best.deadline
    steps.append(Step("basis_chosen", (("basis", best.basis),)))
    if not eligible:
        summary = Step("summary_expired", (("deadline", deadline),))
        steps.append(summary)
        return _refusal(summary, steps, deadline, _payer(share), None, share=share, version=version, applied=applied)

    steps.append(_shipping_step(share))
    fee = Decimal(0)
    merchant_open = any(o.basis == MERCHANT_POLICY for o in open_options)
    if merchant_open and terms and terms.restocking_fee_percent:
        if statutory_open:
            steps.append(Step("no_restocking_fee_statutory", (), law.refund_reference or law.withdrawal_reference))
        else:
            fee = terms.restocking_fee_percent
            steps.append(Step("restocking_fee", (("percent", str(fee)),), policy.reference))

    resolutions: tuple = ()
    if statutory_open:
        resolutions += (Resolution.REFUND.value,)
    if merchant_open and terms:
        resolutions += terms.resolutions
    resolutions = _sorted_resolutions(resolutions)
    if resolutions:
        reference = policy.reference if merchant_open and policy else law.refund_reference
        steps.append(Step("resolutions", (("resolutions", resolutions),), reference))
    bonus = policy.store_credit_bonus_percent if policy and "store_credit" in resolutions else 0
    if bonus:
        steps.append(Step("store_credit_bonus", (("percent", bonus),), policy.reference))

    deductions: tuple = ()
    if statutory_open and law.diminished_value_reference and claim.informed and claim.condition in {"used", "damaged"}:
        deductions = ("diminished_value",)
        steps.append(Step("diminished_value", (), law.diminished_value_reference))

    refund_days, refund_from = None, None
    if basis == STATUTORY_WITHDRAWAL or statutory_open:
        refund_days, refund_from = law.refund_due_days, law.refund_due_from
        if refund_days is not None:
            steps.append(refund_step(law))
            if law.refund_may_be_withheld:
                steps.append(Step("refund_withheld", (), law.refund_reference))
    if merchant_open and policy and policy.refund_days is not None:
        steps.append(Step("merchant_refund_promise", (("days", policy.refund_days),), policy.reference))
        if refund_days is None:
            refund_days, refund_from = policy.refund_days, RefundClock.GOODS_RECEIVED.value
    methods = policy.return_methods if policy else ()
    if methods:
        steps.append(Step("return_methods", (("methods", methods),), policy.reference))

    manual = bool(terms and terms.manual_review)
    if manual:
        steps.append(Step("manual_review", (), policy.reference))
    summary = Step(f"summary_{basis}", (("deadline", deadline),))
    steps.append(summary)
    return Decision(
        eligible=True,
        basis=basis,
        deadline=deadline,
        return_shipping_paid_by=_payer(share),
        auto_approve=_auto_approve(claim, policy, terms, fault=False),
        exception=None,
        summary=summary,
        explanation=tuple(steps),
        refund_due_days=refund_days,
        refund_due_from=refund_from,
        customer_shipping_share_percent=share,
        restocking_fee_percent=fee,
        resolutions=resolutions,
        store_credit_bonus_percent=bonus,
        manual_review=manual,
        return_methods=methods,
        deductions=deductions,
        policy_version=version,
        rules_applied=terms.rules_applied if terms else (),
    )
