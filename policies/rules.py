"""The pure rules engine: a claim, a merchant policy and the law in; an explained Decision out.

No database, no clock, no translation here: every input is a frozen dataclass and every explanation
step is a message code with parameters and the article or policy it rests on, rendered in the
reader's language by ``policies.explain``.

The law is a floor. The engine works out each basis that could carry the claim (the statute, a
special statutory right, the merchant policy, the shop's warranty), keeps the ones still open on the
claim date, and gives the customer the best of them: the latest deadline, the smallest share of the
shipping cost, and no restocking fee while a statutory right is open.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

import holidays

from .law import START_LAST_ITEM, START_PURCHASE, Jurisdiction
from .taxonomy import (
    CHANGE_OF_MIND_REASONS,
    NON_DURABLE_CATEGORIES,
    OPENED_CONDITIONS,
    POLICY_CONDITION_BROKEN_BY,
    RESOLUTION_ORDER,
    Basis,
    RefundClock,
    Resolution,
    ShippingPayer,
    WindowStart,
)

STATUTORY_WITHDRAWAL = Basis.STATUTORY_WITHDRAWAL.value
LEGAL_GUARANTEE = Basis.LEGAL_GUARANTEE.value
SHORT_TERM_REJECT = Basis.SHORT_TERM_REJECT.value
MERCHANT_POLICY = Basis.MERCHANT_POLICY.value
COMMERCIAL_WARRANTY = Basis.COMMERCIAL_WARRANTY.value
NONE = Basis.NONE.value

CUSTOMER = ShippingPayer.CUSTOMER.value
MERCHANT = ShippingPayer.MERCHANT.value
SHARED = ShippingPayer.SHARED.value

_ONE_DAY = datetime.timedelta(days=1)


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


# ---------------------------------------------------------------------------------------------- dates


@lru_cache(maxsize=1024)
def _holidays(country: str, year: int):
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:
        return frozenset()


def _is_working_day(day: datetime.date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


@lru_cache(maxsize=65536)
def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: day 28 exists in every month


@lru_cache(maxsize=65536)
def next_working_day(day: datetime.date, country: str) -> datetime.date:
    while not _is_working_day(day, country):
        day += _ONE_DAY
    return day


@lru_cache(maxsize=65536)
def _period_end(start: datetime.date, days: int, counted: bool, extend: bool, country: str) -> datetime.date:
    last = start + datetime.timedelta(days=days - 1 if counted else days)
    return next_working_day(last, country) if extend else last


def period_end(
    start: datetime.date, days: int, *, start_day_counted: bool, extend_to_working_day: bool, holiday_country: str = ""
) -> datetime.date:
    """The last day of a period of ``days`` days beginning with the event on ``start``."""
    return _period_end(start, days, start_day_counted, extend_to_working_day, holiday_country)


def _end(law: Jurisdiction, start: datetime.date, days: int) -> datetime.date:
    return _period_end(start, days, law.start_day_counted, law.extend_to_working_day, law.holiday_country)


# ---------------------------------------------------------------------------------------------- policy terms


class _Terms(NamedTuple):
    """The merchant policy after its override rules were applied to one claim."""

    window_days: int
    restocking_fee_percent: Decimal
    resolutions: tuple
    auto_approve: bool
    manual_review: bool
    rules_applied: tuple
    steps: tuple


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


@lru_cache(maxsize=256)
def _sorted_resolutions(codes: tuple) -> tuple:
    return tuple(sorted(set(codes), key=lambda c: RESOLUTION_ORDER.get(c, 99)))


# ---------------------------------------------------------------------------------------------- evaluate


class _Option(NamedTuple):
    basis: str
    deadline: datetime.date
    share: int  # the customer's share of the return shipping, in percent
    rank: int  # among equal deadlines the lower rank wins (the statute carries the stronger rights)
    resolutions: tuple = ()


def evaluate(claim: Claim, policy: PolicySnapshot | None, law: Jurisdiction) -> Decision:
    """Decide whether one item may be returned, on which basis, until when, who pays, and why."""
    if claim.delivered_on is None:
        step = Step("not_delivered")
        return Decision(False, NONE, None, MERCHANT, False, None, step, (step,))
    terms = _terms(claim, policy) if policy is not None else None
    if claim.reason in CHANGE_OF_MIND_REASONS:
        return _change_of_mind(claim, policy, terms, law)
    return _fault(claim, policy, terms, law)


def _statutory_withdrawal(claim: Claim, law: Jurisdiction, steps: list) -> tuple[_Option | None, str | None]:
    """The statutory change-of-mind right for this claim, or the exception that excludes it."""
    days, reference, start_rule = law.withdrawal_days, law.withdrawal_reference, law.withdrawal_start
    exceptions, sealed, bars = law.exceptions, law.sealed_exceptions, law.condition_bars
    exceptions_reference, bars_reference = law.exceptions_reference, law.condition_bars_reference
    share = 0 if law.withdrawal_cost_bearer == MERCHANT else 100
    no_terms = False
    if days is None and not claim.terms_displayed and law.no_terms_withdrawal_days:
        days, reference, start_rule, no_terms = (
            law.no_terms_withdrawal_days,
            law.no_terms_reference,
            law.no_terms_start,
            True,
        )
        exceptions, sealed, bars = law.no_terms_exceptions, law.no_terms_sealed_exceptions, law.no_terms_condition_bars
        exceptions_reference = bars_reference = law.no_terms_reference
        share = 0 if law.no_terms_cost_bearer == MERCHANT else 100
    if days is None:
        steps.append(Step("no_statutory_withdrawal", (), law.guarantee_reference or law.no_terms_reference))
        return None, None

    exceptions_hold = not (law.exceptions_need_information and not claim.informed)
    if exceptions_hold and (
        claim.category in exceptions or (claim.category in sealed and claim.condition in OPENED_CONDITIONS)
    ):
        steps.append(Step("statutory_exception", (("category", claim.category),), exceptions_reference))
        return None, claim.category
    if exceptions_hold and claim.condition in bars:
        steps.append(Step("statutory_condition_bar", (("condition", claim.condition),), bars_reference))
        return None, None

    start = claim.delivered_on
    if start_rule == START_LAST_ITEM and claim.last_delivered_on and claim.last_delivered_on > start:
        start = claim.last_delivered_on
        steps.append(Step("withdrawal_from_last_item", (), reference))
    elif start_rule == START_PURCHASE and claim.ordered_on:
        start = claim.ordered_on
    plain_end = start + datetime.timedelta(days=days - 1 if law.start_day_counted else days)
    deadline = _end(law, start, days)
    if no_terms:
        steps.append(Step("no_terms_withdrawal", (("days", days), ("deadline", deadline)), reference))
    else:
        steps.append(Step("statutory_withdrawal", (("days", days), ("deadline", deadline)), reference))
    if deadline != plain_end:
        steps.append(Step("deadline_moved", (("deadline", deadline),), law.counting_reference))

    if not claim.informed and law.not_informed_extension_months and not no_terms:
        extended = add_months(plain_end, law.not_informed_extension_months)
        if law.extend_to_working_day:
            extended = next_working_day(extended, law.holiday_country)
        if claim.informed_on is not None and claim.informed_on <= add_months(plain_end, 12):
            deadline = max(deadline, _end(law, claim.informed_on, days))
            steps.append(
                Step(
                    "withdrawal_informed_late",
                    (("days", days), ("deadline", deadline)),
                    law.not_informed_reference,
                )
            )
        else:
            deadline = extended
            steps.append(
                Step(
                    "withdrawal_not_informed",
                    (("months", law.not_informed_extension_months), ("deadline", deadline)),
                    law.not_informed_reference,
                )
            )
    if not claim.informed and law.not_informed_cost_bearer == MERCHANT and share:
        share = 0
        steps.append(Step("not_informed_shop_pays_shipping", (), law.cost_reference))
    if claim.category in sealed:
        steps.append(Step("sealed_only", (("category", claim.category),), exceptions_reference))
    return _Option(STATUTORY_WITHDRAWAL, deadline, share, 0), None


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


def refund_step(law: Jurisdiction) -> Step:
    days = (("days", law.refund_due_days),)
    if law.refund_due_days == 0:
        return Step("refund_due_immediately", (), law.refund_reference)
    if law.refund_due_business_days:
        return Step("refund_due_business_goods_received", days, law.refund_reference)
    return Step(f"refund_due_{law.refund_due_from}", days, law.refund_reference)


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
    elif not fixed:
        # The statute sets no fixed period from delivery (it runs from discovering the defect, or the
        # goods are outside the statute's scope): the claim goes to an agent rather than being refused
        # by a date the engine cannot know.
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


def _ordered(codes) -> tuple:
    """Codes without repeats, in the order given (the law's order of remedies comes first)."""
    return tuple(dict.fromkeys(codes))
