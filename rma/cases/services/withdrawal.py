"""The EU withdrawal function (Directive 2011/83/EU Art. 11a, in force since 19 June 2026).

A customer withdraws with their name, the order and their email; after a confirmation step the shop
records the statement, opens a return for what the statutory right covers, and acknowledges receipt on
a durable medium: an email with a PDF giving the statement's content and the date and time it was made.
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policies.law import EU_MEMBER_STATES
from rma.cases import events
from rma.cases.models import WithdrawalStatement
from rma.cases.services import cases
from rma.cases.services.errors import CaseInvalid
from rma.orders.models import Order

STATEMENT = gettext_lazy("I, %(name)s, hereby withdraw from my contract for the goods of order %(number)s: %(items)s.")


def withdrawal_applies(order: Order) -> bool:
    return order.customer.country.upper() in EU_MEMBER_STATES


def withdrawal_statement_text(*, order: Order, name: str) -> str:
    items = ", ".join(f"{line.name} × {line.quantity}" for line in order.lines.all())
    return str(STATEMENT) % {"name": name.strip(), "number": order.number, "items": items}


def withdrawal_submit(*, order: Order, name: str, email: str, language: str) -> WithdrawalStatement:
    """Record the confirmed statement, open a return for the items it covers, and acknowledge it."""
    if not withdrawal_applies(order):
        raise CaseInvalid(_("The withdrawal function is for orders delivered in the European Union."))
    with translation.override(language):
        content = withdrawal_statement_text(order=order, name=name)
    with transaction.atomic():
        statement = WithdrawalStatement.objects.create(
            order=order, name=name.strip(), email=email.strip().lower(), language=language, content=content,
            submitted_at=timezone.now(),
        )  # fmt: skip
        requests = []
        for line in order.lines.all():
            quantity = cases.returnable_quantity(line)
            if quantity and cases.item_decision(order_line=line, reason="change_of_mind",
                                                country=order.customer.country)[1].eligible:  # fmt: skip
                requests.append(cases.ItemRequest(order_line=line, quantity=quantity, reason="change_of_mind"))
        if requests:
            statement.case = cases.case_open(customer=order.customer, items=requests, language=language)
            statement.save(update_fields=["case"])
        # The statement is the acknowledgement's outbox row: rma.messaging sends it after the commit.
        events.publish(events.WithdrawalSubmitted(statement=statement))
    return statement
