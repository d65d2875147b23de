"""The EU withdrawal function (Directive 2011/83/EU Art. 11a, in force since 19 June 2026).

A customer withdraws with their name, the order number and their email, no account and no code. The
page then tells nothing about the order: if the details match an order delivered in the EU, the shop
records the statement and acknowledges it on a durable medium, an email to the order's address on file
with a PDF giving the statement's content and the date and time it was made. Only the signed link in
that email shows the order's items, for the customer to choose what goes back, and opens the return.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policies.explain import render_step
from policies.law import EU_MEMBER_STATES
from policies.rules import Step
from policies.taxonomy import Reason
from returns_portal.formatting import zone_for
from rma.access import throttles
from rma.cases import events, selectors
from rma.cases.models import ReturnCase, WithdrawalStatement
from rma.cases.services import cases
from rma.cases.services.errors import CaseInvalid
from rma.orders.models import Order, OrderLine

STATEMENT = gettext_lazy("I, %(name)s, hereby withdraw from my contract for the goods of order %(number)s.")


def withdrawal_applies(order: Order) -> bool:
    return order.customer.country.upper() in EU_MEMBER_STATES


def withdrawal_statement_text(*, number: str, name: str) -> str:
    """The statement as the customer confirms it: it names the order as typed, never what the order holds."""
    return str(STATEMENT) % {"name": name.strip(), "number": number.strip()}


def withdrawal_request(*, number: str, name: str, email: str, client: str | None, language: str) -> None:
    """The portal's withdrawal function: record and acknowledge the statement if the details match.

    Returns nothing and raises only ``Throttled`` (counted per client, number and email, whatever they
    match), so that the answer is the same for an existing order, a missing one and one outside the EU.
    """
    throttles.throttle_take(
        action="withdrawal",
        subjects={
            "client": client,
            "order": throttles.subject_normal(number),
            "email": throttles.subject_normal(email),
        },
    )
    order = selectors.order_find_for_lookup(number=number, email=email)
    if order is not None and withdrawal_applies(order):
        withdrawal_submit(order=order, name=name, email=email, language=language)


def withdrawal_submit(*, order: Order, name: str, email: str, language: str) -> WithdrawalStatement:
    """Record the confirmed statement and acknowledge it by email to the order's address; no return yet."""
    if not withdrawal_applies(order):
        raise CaseInvalid(_("The withdrawal function is for orders delivered in the European Union."))
    with translation.override(language):
        content = withdrawal_statement_text(number=order.number, name=name)
    with transaction.atomic():
        statement = WithdrawalStatement.objects.create(
            order=order, name=name.strip(), email=email.strip().lower(), language=language, content=content,
            submitted_at=timezone.now(),
        )  # fmt: skip
        # The statement is the acknowledgement's outbox row: rma.messaging sends it after the commit.
        events.publish(events.WithdrawalSubmitted(statement=statement))
    return statement


@dataclass(frozen=True)
class WithdrawalChoice:
    """An order line the statutory withdrawal can still send back, and how many of it."""

    line: OrderLine
    quantity: int


@dataclass(frozen=True)
class WithdrawalExcluded:
    """An order line the law leaves out of the withdrawal, with the legal reason (the engine's step)."""

    line: OrderLine
    step: Step

    @property
    def reason(self) -> str:
        return render_step(self.step)

    @property
    def reference(self) -> str:
        return self.step.reference


@dataclass(frozen=True)
class WithdrawalLate:
    """An order line whose withdrawal period had ended when the customer withdrew; the legal guarantee may
    still cover a fault in it until ``guarantee_until``."""

    line: OrderLine
    period_ended_on: datetime.date
    guarantee_until: datetime.date | None


@dataclass(frozen=True)
class WithdrawalAssessment:
    """What a withdrawal covers, judged on the day it was made (not the day its link is opened)."""

    withdrawn_on: datetime.date
    choices: list[WithdrawalChoice] = field(default_factory=list)
    excluded: list[WithdrawalExcluded] = field(default_factory=list)
    late: list[WithdrawalLate] = field(default_factory=list)
    already_returned: list[OrderLine] = field(default_factory=list)

    @property
    def period_ended_on(self) -> datetime.date | None:
        return max((late.period_ended_on for late in self.late), default=None)

    @property
    def guarantee_until(self) -> datetime.date | None:
        return max((late.guarantee_until for late in self.late if late.guarantee_until), default=None)

    @property
    def all_late(self) -> bool:
        """Nothing could be withdrawn because the period had ended: the customer is told so plainly."""
        return bool(self.late) and not self.choices


EXCLUSION_STEPS = frozenset({"statutory_exception", "statutory_condition_bar", "statutory_condition_bar_category"})


def withdrawn_on(statement: WithdrawalStatement) -> datetime.date:
    """The day the customer withdrew, in their own time zone: the day the law counts."""
    customer = statement.order.customer
    return timezone.localtime(statement.submitted_at, zone_for(customer.country, customer.time_zone)).date()


def withdrawal_assess(*, statement: WithdrawalStatement) -> WithdrawalAssessment:
    """Sort the order's lines: covered (and how many can still go back), excluded by law (with the reason),
    too late (with the period's end and the legal guarantee still open), or already in a return."""
    order = statement.order
    country = order.customer.country
    day = withdrawn_on(statement)
    assessment = WithdrawalAssessment(withdrawn_on=day)
    for line in order.lines.all():
        quantity = cases.returnable_quantity(line)
        if not quantity:
            assessment.already_returned.append(line)
            continue
        decision = cases.item_decision(order_line=line, reason=Reason.CHANGE_OF_MIND, country=country, today=day)[1]
        if decision.eligible:
            assessment.choices.append(WithdrawalChoice(line=line, quantity=quantity))
            continue
        excluded = next((step for step in decision.explanation if step.code in EXCLUSION_STEPS), None)
        if excluded is not None:
            assessment.excluded.append(WithdrawalExcluded(line=line, step=excluded))
            continue
        fault = cases.item_decision(order_line=line, reason=Reason.DEFECTIVE, country=country,
                                    today=timezone.localdate())[1]  # fmt: skip
        assessment.late.append(
            WithdrawalLate(
                line=line, period_ended_on=decision.deadline, guarantee_until=fault.deadline if fault.eligible else None
            )  # fmt: skip
        )
    return assessment


def withdrawal_choices(*, statement: WithdrawalStatement) -> list[WithdrawalChoice]:
    """What the linked page offers: the lines not yet in a return that the statutory right covers."""
    return withdrawal_assess(statement=statement).choices


def withdrawal_case_open(*, statement: WithdrawalStatement, quantities: dict[int, int] | None = None) -> ReturnCase:
    """Open the return for what was chosen on the linked page: order line id -> how many (everything the
    withdrawal covers when ``quantities`` is None).

    Once per statement: a second call (a second click, the link opened again) returns the case opened first.
    """
    with transaction.atomic():
        statement = (
            WithdrawalStatement.objects.select_for_update().select_related("order__customer").get(pk=statement.pk)
        )
        if statement.case_id is not None:
            return statement.case
        choices = {choice.line.pk: choice for choice in withdrawal_choices(statement=statement)}
        wanted = quantities if quantities is not None else {pk: c.quantity for pk, c in choices.items()}
        requests = []
        for line_id, quantity in wanted.items():
            if not quantity:
                continue
            choice = choices.get(line_id)
            if choice is None or quantity > choice.quantity:
                # The page was open while another return took the items, or the request was edited.
                raise CaseInvalid(_("Some of the chosen items can no longer be sent back. Please choose again."))
            requests.append(cases.ItemRequest(order_line=choice.line, quantity=quantity, reason="change_of_mind"))
        if not requests:
            raise CaseInvalid(_("Choose at least one item to send back."))
        # Judged on the day of the withdrawal: opening the link later does not make a timely withdrawal late.
        statement.case = cases.case_open(customer=statement.order.customer, items=requests,
                                         language=statement.language, claimed_on=withdrawn_on(statement))  # fmt: skip
        statement.save(update_fields=["case"])
    return statement.case
