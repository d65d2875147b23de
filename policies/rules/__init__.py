"""The pure rules engine: a claim, a merchant policy and the law in; an explained Decision out.

No database, no clock, no translation here: every input is a frozen dataclass and every explanation
step is a message code with parameters and the article or policy it rests on, rendered in the
reader's language by ``policies.explain``.

The law is a floor. The engine works out each basis that could carry the claim (the statute, a
special statutory right, the merchant policy, the shop's warranty), keeps the ones still open on the
claim date, and gives the customer the best of them: the latest deadline, the smallest share of the
shipping cost, and no restocking fee while a statutory right is open.

Callers import from ``policies.rules`` only; the modules depend on each other in one direction:
``types`` and ``dates`` first, then ``merchant`` and ``withdrawal``, ``change_of_mind`` and ``fault``,
and ``engine`` last.
"""

from .dates import add_months, next_working_day, period_end
from .engine import evaluate
from .types import (
    COMMERCIAL_WARRANTY,
    CUSTOMER,
    LEGAL_GUARANTEE,
    MERCHANT,
    MERCHANT_POLICY,
    NONE,
    SHARED,
    SHORT_TERM_REJECT,
    STATUTORY_WITHDRAWAL,
    Claim,
    Decision,
    PolicySnapshot,
    RuleSnapshot,
    Step,
)
from .withdrawal import refund_step

__all__ = [
    "COMMERCIAL_WARRANTY",
    "CUSTOMER",
    "LEGAL_GUARANTEE",
    "MERCHANT",
    "MERCHANT_POLICY",
    "NONE",
    "SHARED",
    "SHORT_TERM_REJECT",
    "STATUTORY_WITHDRAWAL",
    "Claim",
    "Decision",
    "PolicySnapshot",
    "RuleSnapshot",
    "Step",
    "add_months",
    "evaluate",
    "next_working_day",
    "period_end",
    "refund_step",
]
