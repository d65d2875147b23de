"""The engine's inputs and outputs (claim, policy and rule snapshots, steps, decisions) and the values between them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from ..taxonomy import CHANGE_OF_MIND_REASONS, Basis, Resolution, ShippingPayer, WindowStart

STATUTORY_WITHDRAWAL = Basis.STATUTORY_WITHDRAWAL.value
LEGAL_GUARANTEE = Basis.LEGAL_GUARANTEE.value
SHORT_TERM_REJECT = Basis.SHORT_TERM_REJECT.value
MERCHANT_POLICY = Basis.MERCHANT_POLICY.value
COMMERCIAL_WARRANTY = Basis.COMMERCIAL_WARRANTY.value
NONE = Basis.NONE.value

CUSTOMER = ShippingPayer.CUSTOMER.value
MERCHANT = ShippingPayer.MERCHANT.value
SHARED = ShippingPayer.SHARED.value


@dataclass(frozen=True)
class Claim:
    """One item a customer wants to send back, as the engine sees it."""

    country: str
    category: str
    reason: str
    delivered_on: datetime.date | None
    claimed_on: datetime.date
    condition: str | None = None  # "unopened", "opened", "unsealed", "used", "damaged"; None: not asked yet
    terms_displayed: bool = True
    ordered_on: datetime.date | None = None
    # The delivery of the last item of the order (CRD Art. 9(2)(b)); None: this item's delivery.
    last_delivered_on: datetime.date | None = None
    # Whether the shop gave the withdrawal information; if given late, on which day.
    informed: bool = True
    informed_on: datetime.date | None = None
    sku: str = ""
    tags: frozenset = frozenset()
    item_value: Decimal | None = None
    order_value: Decimal | None = None
    currency: str = ""
    previous_returns: int = 0  # the customer's returns before this one
    reference: str = ""  # what the claim stands for (an order line, a case item); the engine ignores it


@dataclass(frozen=True)
class RuleSnapshot:
    """An ordered override rule of a policy: conditions (all that are set must hold) and effects."""

    priority: int
    name: str
    categories: frozenset = frozenset()
    skus: frozenset = frozenset()
    tags: frozenset = frozenset()
    reasons: frozenset = frozenset()
    min_order_value: Decimal | None = None
    max_order_value: Decimal | None = None
    min_previous_returns: int | None = None
    max_previous_returns: int | None = None
    window_days: int | None = None
    restocking_fee_percent: Decimal | None = None
    resolutions: tuple | None = None
    auto_approve: bool | None = None
    manual_review: bool = False

    def matches(self, claim: Claim, currency: str) -> bool:
        if self.categories and claim.category not in self.categories:
            return False
        if self.skus and claim.sku not in self.skus:
            return False
        if self.tags and not (self.tags & claim.tags):
            return False
        if self.reasons and not (
            claim.reason in self.reasons
            or ("change_of_mind" in self.reasons and claim.reason in CHANGE_OF_MIND_REASONS)
        ):
            return False
        if self.min_order_value is not None or self.max_order_value is not None:
            if claim.order_value is None or (currency and claim.currency and claim.currency != currency):
                return False
            if self.min_order_value is not None and claim.order_value < self.min_order_value:
                return False
            if self.max_order_value is not None and claim.order_value > self.max_order_value:
                return False
        if self.min_previous_returns is not None and claim.previous_returns < self.min_previous_returns:
            return False
        return self.max_previous_returns is None or claim.previous_returns <= self.max_previous_returns


@dataclass(frozen=True)
class PolicySnapshot:
    """The parts of a published (or draft) merchant policy the engine reads."""

    region: str
    version: int
    window_days: int
    change_of_mind_allowed: bool
    return_shipping_paid_by: str
    auto_approve: bool
    window_start: str = WindowStart.DELIVERY.value
    excluded_categories: frozenset = frozenset()
    conditions: tuple = ()
    resolutions: tuple = (Resolution.REFUND.value,)
    store_credit_bonus_percent: int = 0
    customer_shipping_share_percent: int = 50  # the customer's share when shipping is shared
    currency: str = ""
    free_return_min_order_value: Decimal | None = None
    free_first_return: bool = False
    restocking_fee_percent: Decimal = Decimal(0)
    refund_days: int | None = None
    warranty_months: int = 0
    return_methods: tuple = ()
    auto_approve_faults: bool = True
    auto_approve_max_value: Decimal | None = None
    auto_approve_max_previous_returns: int | None = None
    rules: tuple = ()  # RuleSnapshot, sorted by priority
    draft: bool = False

    @cached_property
    def reference(self) -> str:
        return f"policy:{self.region}:v{self.version}"

    @cached_property
    def base_terms(self) -> "_Terms":
        """The terms for a claim no override rule matches."""
        return _Terms(
            self.window_days, self.restocking_fee_percent, tuple(self.resolutions), self.auto_approve, False, (), ()
        )


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | frozenset):
        return [_json_value(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


class Step(NamedTuple):
    """One reason in an explanation: a message code, its parameters, and the article or policy it rests on.

    A named tuple rather than a dataclass: the engine builds several per decision and must stay fast.
    """

    code: str
    params: tuple = ()  # (name, value) pairs, JSON-friendly values
    reference: str = ""

    def as_dict(self) -> dict:
        """JSON-friendly: dates become ISO strings and tuples lists, as they are stored on each case."""
        return {
            "code": self.code,
            "params": {name: _json_value(value) for name, value in self.params},
            "reference": self.reference,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Step":
        params = data.get("params") or {}
        return cls(code=data["code"], params=tuple(params.items()), reference=data.get("reference", ""))


class Decision(NamedTuple):
    """The engine's answer for one claim. Immutable; a named tuple because the engine must stay fast."""

    eligible: bool
    basis: str
    deadline: datetime.date | None
    return_shipping_paid_by: str
    auto_approve: bool
    exception: str | None
    summary: Step
    explanation: tuple[Step, ...]
    refund_due_days: int | None = None
    refund_due_from: str | None = None
    customer_shipping_share_percent: int = 0
    restocking_fee_percent: Decimal = Decimal(0)
    resolutions: tuple = ()
    store_credit_bonus_percent: int = 0
    presumption_until: datetime.date | None = None
    remedies: tuple = ()
    manual_review: bool = False
    return_methods: tuple = ()
    deductions: tuple = ()
    policy_version: int | None = None
    rules_applied: tuple = ()

    def as_dict(self) -> dict:
        return {
            "eligible": self.eligible,
            "basis": self.basis,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "return_shipping_paid_by": self.return_shipping_paid_by,
            "auto_approve": self.auto_approve,
            "exception": self.exception,
            "summary": self.summary.as_dict(),
            "explanation": [s.as_dict() for s in self.explanation],
            "refund_due_days": self.refund_due_days,
            "refund_due_from": self.refund_due_from,
            "customer_shipping_share_percent": self.customer_shipping_share_percent,
            "restocking_fee_percent": str(self.restocking_fee_percent),
            "resolutions": list(self.resolutions),
            "store_credit_bonus_percent": self.store_credit_bonus_percent,
            "presumption_until": self.presumption_until.isoformat() if self.presumption_until else None,
            "remedies": list(self.remedies),
            "manual_review": self.manual_review,
            "return_methods": list(self.return_methods),
            "deductions": list(self.deductions),
            "policy_version": self.policy_version,
            "rules_applied": list(self.rules_applied),
        }


class _Terms(NamedTuple):
    """The merchant policy after its override rules were applied to one claim."""

    window_days: int
    restocking_fee_percent: Decimal
    resolutions: tuple
    auto_approve: bool
    manual_review: bool
    rules_applied: tuple
    steps: tuple


class _Option(NamedTuple):
    basis: str
    deadline: datetime.date
    share: int  # the customer's share of the return shipping, in percent
    rank: int  # among equal deadlines the lower rank wins (the statute carries the stronger rights)
    resolutions: tuple = ()


def _refusal(summary, steps, deadline, payer, exception, *, share, version, applied, **extra) -> Decision:
    return Decision(
        eligible=False,
        basis=NONE,
        deadline=deadline,
        return_shipping_paid_by=payer,
        auto_approve=False,
        exception=exception,
        summary=summary,
        explanation=tuple(steps),
        customer_shipping_share_percent=share,
        policy_version=version,
        rules_applied=applied,
        **extra,
    )
