"""The pure rules engine: a claim, a merchant policy and the law in; an explained Decision out.

No database, no clock, no translation here: every input is a frozen dataclass and every explanation
step is a message code with parameters, rendered in the reader's language by ``policies.explain``.
"""

import datetime
from dataclasses import dataclass
from functools import cache

import holidays

from .law import Jurisdiction
from .taxonomy import CHANGE_OF_MIND_REASONS, ShippingPayer

STATUTORY_WITHDRAWAL = "statutory_withdrawal"
LEGAL_GUARANTEE = "legal_guarantee"
MERCHANT_POLICY = "merchant_policy"
NONE = "none"


@dataclass(frozen=True)
class Claim:
    country: str
    category: str
    reason: str
    delivered_on: datetime.date | None
    claimed_on: datetime.date
    condition: str | None = None  # "unopened", "opened", "unsealed", "used", "damaged"; None: not asked yet
    terms_displayed: bool = True


@dataclass(frozen=True)
class PolicySnapshot:
    """The parts of a published merchant policy the engine reads."""

    region: str
    version: int
    window_days: int
    change_of_mind_allowed: bool
    return_shipping_paid_by: str
    auto_approve: bool


@dataclass(frozen=True)
class Step:
    code: str
    params: tuple = ()  # (name, value) pairs, JSON-friendly values
    reference: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params), "reference": self.reference}

    @classmethod
    def from_dict(cls, data: dict) -> "Step":
        return cls(code=data["code"], params=tuple(data.get("params", {}).items()), reference=data["reference"])


@dataclass(frozen=True)
class Decision:
    eligible: bool
    basis: str
    deadline: datetime.date | None
    return_shipping_paid_by: str
    auto_approve: bool
    exception: str | None
    summary: Step
    explanation: tuple[Step, ...]

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
        }


@cache
def _holidays(country: str, year: int):
    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return {}


def _is_working_day(day: datetime.date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: day 28 exists in every month


def period_end(
    start: datetime.date, days: int, *, start_day_counted: bool, extend_to_working_day: bool, holiday_country: str = ""
) -> datetime.date:
    """The last day of a period of ``days`` days beginning with the event on ``start``."""
    last = start + datetime.timedelta(days=days - 1 if start_day_counted else days)
    if extend_to_working_day:
        while not _is_working_day(last, holiday_country):
            last += datetime.timedelta(days=1)
    return last


def _policy_ref(policy: PolicySnapshot) -> str:
    return f"policy:{policy.region}:v{policy.version}"


def evaluate(claim: Claim, policy: PolicySnapshot | None, law: Jurisdiction) -> Decision:
    """Decide whether one item may be returned, on which basis, until when, and why."""
    if claim.delivered_on is None:
        step = Step("not_delivered")
        return Decision(False, NONE, None, ShippingPayer.MERCHANT, False, None, step, (step,))
    if claim.reason in CHANGE_OF_MIND_REASONS:
        return _change_of_mind(claim, policy, law)
    return _fault(claim, policy, law)


def _change_of_mind(claim: Claim, policy: PolicySnapshot | None, law: Jurisdiction) -> Decision:
    steps: list[Step] = []
    options: list[tuple[datetime.date, str, str]] = []  # (deadline, basis, payer)
    exception = None

    statutory_days = law.withdrawal_days
    statutory_ref = law.withdrawal_reference
    if statutory_days is None and not claim.terms_displayed and law.no_terms_withdrawal_days:
        statutory_days, statutory_ref = law.no_terms_withdrawal_days, law.no_terms_reference

    if statutory_days is None:
        steps.append(Step("no_statutory_withdrawal", reference=law.guarantee_reference))
    elif claim.category in law.exceptions or (
        claim.category in law.sealed_exceptions and claim.condition in {"unsealed", "opened", "used"}
    ):
        exception = claim.category
        steps.append(Step("statutory_exception", (("category", claim.category),), law.exceptions_reference))
    else:
        deadline = period_end(
            claim.delivered_on,
            statutory_days,
            start_day_counted=law.start_day_counted,
            extend_to_working_day=law.extend_to_working_day,
            holiday_country=law.holiday_country,
        )
        options.append((deadline, STATUTORY_WITHDRAWAL, law.withdrawal_cost_bearer))
        steps.append(
            Step("statutory_withdrawal", (("days", statutory_days), ("deadline", deadline.isoformat())), statutory_ref)
        )
        if claim.category in law.sealed_exceptions:
            steps.append(Step("sealed_only", (("category", claim.category),), law.exceptions_reference))

    if policy is not None and policy.change_of_mind_allowed and exception is None:
        deadline = claim.delivered_on + datetime.timedelta(days=policy.window_days)
        options.append((deadline, MERCHANT_POLICY, policy.return_shipping_paid_by))
        steps.append(
            Step(
                "merchant_window",
                (("days", policy.window_days), ("deadline", deadline.isoformat())),
                _policy_ref(policy),
            )
        )
    elif policy is not None and exception is None:
        steps.append(Step("merchant_no_change_of_mind", reference=_policy_ref(policy)))

    if not options:
        summary = (
            Step("summary_exception", (("category", claim.category),))
            if exception
            else Step("summary_no_change_of_mind")
        )
        steps.append(summary)
        return Decision(False, NONE, None, ShippingPayer.CUSTOMER, False, exception, summary, tuple(steps))

    # The law is a floor: take whichever basis gives the customer the later deadline; on a tie the
    # statute, because it carries the stronger rights. Cheaper shipping wins among equal deadlines.
    order = {STATUTORY_WITHDRAWAL: 0, MERCHANT_POLICY: 1}
    deadline, basis, payer = max(options, key=lambda o: (o[0], -order[o[1]]))
    if any(o[2] == ShippingPayer.MERCHANT and o[0] >= claim.claimed_on for o in options):
        payer = ShippingPayer.MERCHANT
    steps.append(Step("basis_chosen", (("basis", basis),)))
    eligible = claim.claimed_on <= deadline
    if eligible:
        summary = Step(f"summary_{basis}", (("deadline", deadline.isoformat()),))
    else:
        summary = Step("summary_expired", (("deadline", deadline.isoformat()),))
    steps.append(Step("shipping_payer", (("payer", payer),)))
    steps.append(summary)
    auto = bool(eligible and policy is not None and policy.auto_approve)
    return Decision(eligible, basis if eligible else NONE, deadline, payer, auto, None, summary, tuple(steps))


def _fault(claim: Claim, policy: PolicySnapshot | None, law: Jurisdiction) -> Decision:
    steps: list[Step] = []
    payer = ShippingPayer.MERCHANT  # the shop is at fault: it pays for sending the goods back
    options: list[tuple[datetime.date, str]] = []
    if law.guarantee_months:
        deadline = add_months(claim.delivered_on, law.guarantee_months)
        options.append((deadline, LEGAL_GUARANTEE))
        steps.append(
            Step(
                "legal_guarantee",
                (("months", law.guarantee_months), ("deadline", deadline.isoformat())),
                law.guarantee_reference,
            )
        )
    if policy is not None:
        deadline = claim.delivered_on + datetime.timedelta(days=policy.window_days)
        options.append((deadline, MERCHANT_POLICY))
        steps.append(
            Step(
                "merchant_window",
                (("days", policy.window_days), ("deadline", deadline.isoformat())),
                _policy_ref(policy),
            )
        )
    if options:
        deadline, basis = max(options, key=lambda o: (o[0], o[1] == LEGAL_GUARANTEE))
        if claim.claimed_on <= deadline:
            summary = Step(f"summary_fault_{basis}", (("deadline", deadline.isoformat()),))
            steps += [Step("shipping_payer", (("payer", payer),)), summary]
            auto = bool(policy is not None and policy.auto_approve)
            return Decision(True, basis, deadline, payer, auto, None, summary, tuple(steps))
    if not law.guarantee_months:
        # The statute sets no fixed period from delivery (e.g. it runs from discovering the defect):
        # the claim is accepted for review by an agent rather than refused by a date we cannot know.
        summary = Step("summary_fault_review", reference=law.guarantee_reference)
        steps.append(summary)
        return Decision(True, LEGAL_GUARANTEE, None, payer, False, None, summary, tuple(steps))
    deadline = max(o[0] for o in options)
    summary = Step("summary_fault_expired", (("deadline", deadline.isoformat()),))
    steps.append(summary)
    return Decision(False, NONE, deadline, payer, False, None, summary, tuple(steps))
