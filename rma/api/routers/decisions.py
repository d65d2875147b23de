"""Policy decisions: evaluate one claim against the law and the region's published policy, as ``manage.py
policy_check`` does, without filing anything."""

from django.conf import settings
from django.utils import translation
from ninja import Router

from policies.explain import render_explanation, render_step
from policies.law import jurisdiction_for
from policies.rules import Claim, evaluate
from policies.selectors import policy_context
from rma.api.auth import Scope, require
from rma.api.problems import ERRORS, invalid
from rma.api.schemas import ClaimIn, DecisionOut

router = Router()


@router.post("", response={200: DecisionOut, **ERRORS}, summary="Evaluate a claim")
def decision_evaluate(request, body: ClaimIn):
    """Read-only (no Idempotency-Key needed): the same claim gives the same decision while the policy is the same."""
    require(request, Scope.CASES_READ)
    order = [("ordered_on", body.ordered_on), ("delivered_on", body.delivered_on), ("claimed_on", body.claimed_on)]
    errors = [
        {"path": f"body.{later}", "message": f"{later} is before {earlier}: that order cannot happen"}
        for (earlier, first), (later, second) in zip(order, order[1:], strict=False)
        if second < first
    ]
    if body.last_delivered_on and body.last_delivered_on < body.delivered_on:
        errors.append({"path": "body.last_delivered_on", "message": "last_delivered_on is before delivered_on"})
    if body.informed_on and not body.ordered_on <= body.informed_on <= body.claimed_on:
        errors.append({"path": "body.informed_on", "message": "informed_on must lie between ordered_on and claimed_on"})
    if errors:
        raise invalid("The dates cannot happen in this order.", errors)
    country = body.country.upper()
    claim = Claim(
        country=country, category=body.category, reason=body.reason, delivered_on=body.delivered_on,
        claimed_on=body.claimed_on, ordered_on=body.ordered_on, last_delivered_on=body.last_delivered_on,
        informed=body.informed and body.informed_on is None, informed_on=body.informed_on,
        terms_displayed=body.terms_displayed,
    )  # fmt: skip
    if body.law_only:
        snapshot, law, policy = None, jurisdiction_for(country), None
    else:
        context = policy_context(country=country)
        snapshot, law, policy = context.snapshot, context.jurisdiction, context.policy
    decision = evaluate(claim, snapshot, law)
    language = body.language if body.language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        explanation = render_explanation(decision.explanation)
        summary = render_step(decision.summary)
    return {
        "eligible": decision.eligible,
        "basis": decision.basis,
        "deadline": decision.deadline,
        "refund_due_days": decision.refund_due_days,
        "refund_due_from": decision.refund_due_from,
        "return_shipping_paid_by": decision.return_shipping_paid_by,
        "exception": decision.exception,
        "presumption_until": decision.presumption_until,
        "summary": summary,
        "explanation": explanation,
        "policy": str(policy) if policy else None,
    }
