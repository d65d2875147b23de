"""The entry point: ``evaluate`` answers an undelivered claim, else hands it to the change-of-mind or fault rules."""

from ..law import Jurisdiction
from ..taxonomy import CHANGE_OF_MIND_REASONS
from .change_of_mind import _change_of_mind
from .fault import _fault
from .merchant import _terms
from .types import MERCHANT, NONE, Claim, Decision, PolicySnapshot, Step


def evaluate(claim: Claim, policy: PolicySnapshot | None, law: Jurisdiction) -> Decision:
    """Decide whether one item may be returned, on which basis, until when, who pays, and why."""
    if claim.delivered_on is None:
        step = Step("not_delivered")
        return Decision(False, NONE, None, MERCHANT, False, None, step, (step,))
    terms = _terms(claim, policy) if policy is not None else None
    if claim.reason in CHANGE_OF_MIND_REASONS:
        return _change_of_mind(claim, policy, terms, law)
    return _fault(claim, policy, terms, law)
