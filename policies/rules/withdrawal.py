"""The statutory right of withdrawal (change of mind) for one claim, and the statute's refund deadline as a step."""

import datetime

from ..law import START_LAST_ITEM, START_PURCHASE, Jurisdiction
from ..taxonomy import OPENED_CONDITIONS
from .dates import _end, add_months, next_working_day
from .types import MERCHANT, STATUTORY_WITHDRAWAL, Claim, Step, _Option


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

    category, condition = claim.category, claim.condition
    opened = condition in OPENED_CONDITIONS
    if category in exceptions or (opened and category in sealed):
        steps.append(Step("statutory_exception", (("category", category),), exceptions_reference))
        return None, category
    if condition in bars:
        steps.append(Step("statutory_condition_bar", (("condition", condition),), bars_reference))
        return None, None
    for categories, conditions in law.category_condition_bars if not no_terms else ():
        if category in categories and condition in conditions:
            steps.append(
                Step(
                    "statutory_condition_bar_category",
                    (("condition", condition), ("category", category)),
                    law.category_condition_bars_reference,
                )
            )
            return None, None
    if not no_terms and (
        category in law.informed_exceptions
        or (opened and category in law.informed_sealed_exceptions)
        or condition in law.informed_condition_bars
    ):
        # These exceptions hold only where the shop made them clear before the purchase.
        if claim.informed:
            if condition in law.informed_condition_bars:
                steps.append(
                    Step("statutory_condition_bar", (("condition", condition),), law.informed_exceptions_reference)
                )
                return None, None
            steps.append(Step("statutory_exception", (("category", category),), law.informed_exceptions_reference))
            return None, category
        steps.append(Step("exception_not_made_clear", (("category", category),), law.informed_exceptions_reference))

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


def refund_step(law: Jurisdiction) -> Step:
    days = (("days", law.refund_due_days),)
    if law.refund_due_days == 0:
        return Step("refund_due_immediately", (), law.refund_reference)
    if law.refund_due_business_days:
        return Step("refund_due_business_goods_received", days, law.refund_reference)
    return Step(f"refund_due_{law.refund_due_from}", days, law.refund_reference)
