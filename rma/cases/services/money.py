"""Money moves exactly once: refunds, store credit, exchanges, repairs and replacements, goodwill.

Every movement carries an idempotency key held unique by the database; payments to the provider
happen in tasks after commit and pass the same key on every retry.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from returns_portal.formatting import format_money
from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import (
    Compensation,
    Deduction,
    ExchangeOrder,
    Refund,
    ReturnCase,
    StoreCreditAccount,
    StoreCreditEntry,
)
from rma.cases.services.errors import CaseConflict, CaseInvalid, CasePermissionDenied
from rma.cases.services.workflow import transition_run

CENT = Decimal("0.01")


def refundable_total(case: ReturnCase) -> Decimal:
    """What the customer paid for the returned items."""
    return sum((item.amount for item in case.items.select_related("order_line")), Decimal(0))


def deductions_total(case: ReturnCase) -> Decimal:
    return Deduction.objects.filter(item__case=case).aggregate(t=Sum("amount"))["t"] or Decimal(0)


def refunded_total(case: ReturnCase, *, goodwill: bool | None = None) -> Decimal:
    qs = Refund.objects.filter(case=case)
    if goodwill is not None:
        qs = qs.filter(kind=Refund.Kind.GOODWILL) if goodwill else qs.exclude(kind=Refund.Kind.GOODWILL)
    return qs.aggregate(t=Sum("amount"))["t"] or Decimal(0)


def fees_total(case: ReturnCase) -> Decimal:
    """The fees quoted at filing (rma.cases.services.quote): restocking fees and the customer's part of the label."""
    restocking = case.items.aggregate(t=Sum("restocking_fee"))["t"] or Decimal(0)
    return restocking + case.shipping_fee


def amount_due(case: ReturnCase) -> Decimal:
    """What the shop owes now: an accepted offer, or the items less the quoted fees and any deductions."""
    if case.offer_amount is not None:
        base = case.offer_amount
    else:
        base = refundable_total(case) - fees_total(case) - deductions_total(case)
    credited = StoreCreditEntry.objects.filter(case=case, kind=StoreCreditEntry.Kind.CREDIT).aggregate(t=Sum("amount"))[
        "t"
    ] or Decimal(0)
    return max(base - refunded_total(case, goodwill=False) - credited, Decimal(0))


def _check_amount(case: ReturnCase, amount: Decimal) -> Decimal:
    amount = Decimal(amount).quantize(CENT)
    if amount <= 0:
        raise CaseInvalid(_("The amount must be more than zero."))
    if amount + refunded_total(case, goodwill=False) > refundable_total(case):
        raise CaseInvalid(_("This is more than the customer paid for the returned items."))
    return amount


def _resolved(case: ReturnCase) -> None:
    case.resolved_at = timezone.now()


def _refund_create(case, *, key: str, amount: Decimal, kind: str, actor: Staff) -> Refund:
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                case=case,
                kind=kind,
                idempotency_key=key,
                amount=amount,
                currency=case.currency,
                created_by=actor,
            )
    except IntegrityError:
        raise CaseConflict(_("This payment has already been made.")) from None
    events.publish(events.RefundRequested(case=case, actor=actor, role="agent", refund_id=refund.id))
    return refund


@transaction.atomic
def case_refund(
    *, case: ReturnCase, actor: Staff, amount: Decimal | None = None, kind: str = Refund.Kind.REFUND
) -> Refund:
    """Refund to the original payment method: what is due, or a smaller amount (a price reduction)."""
    if kind not in {Refund.Kind.REFUND, Refund.Kind.PRICE_REDUCTION}:
        raise CaseInvalid(_("Choose a refund or a price reduction."))
    # The transition first: a stale page or a second agent fails here; a bad amount rolls it back.
    _resolved(case)
    transition_run(case, "refund", actor=actor)
    amount = _check_amount(case, amount_due(case) if amount is None else amount)
    return _refund_create(case, key=f"refund:{case.rma_number}", amount=amount, kind=kind, actor=actor)


def _credit_account(case: ReturnCase) -> StoreCreditAccount:
    account, _created = StoreCreditAccount.objects.get_or_create(customer=case.customer, currency=case.currency)
    return account


def store_credit_balance(account: StoreCreditAccount) -> Decimal:
    return account.entries.aggregate(t=Sum("amount"))["t"] or Decimal(0)


def _bonus_percent(case: ReturnCase) -> Decimal:
    """The bonus the customer was shown at filing: from the decisions frozen on the items (rma.cases.services.quote)."""
    return Decimal(max((item.decision.get("store_credit_bonus_percent") or 0 for item in case.items.all()), default=0))


@transaction.atomic
def case_credit(*, case: ReturnCase, actor: Staff) -> StoreCreditEntry:
    """Settle as store credit: what is due, plus the policy's bonus for choosing credit."""
    _resolved(case)
    transition_run(case, "credit", actor=actor)
    amount = _check_amount(case, amount_due(case))
    account = _credit_account(case)
    entry = StoreCreditEntry.objects.create(
        account=account, case=case, kind=StoreCreditEntry.Kind.CREDIT, amount=amount,
        idempotency_key=f"credit:{case.rma_number}", created_by=actor,
    )  # fmt: skip
    bonus = (amount * _bonus_percent(case) / 100).quantize(CENT)
    if bonus > 0:
        StoreCreditEntry.objects.create(
            account=account, case=case, kind=StoreCreditEntry.Kind.BONUS, amount=bonus,
            idempotency_key=f"bonus:{case.rma_number}", created_by=actor,
        )  # fmt: skip
    events.publish(
        events.StoreCreditIssued(case=case, actor=actor, role="agent", amount=str(amount + bonus),
                                 currency=case.currency, code=account.code)
    )  # fmt: skip
    return entry


@transaction.atomic
def case_exchange(*, case: ReturnCase, actor: Staff, description: str, price_difference: Decimal) -> ExchangeOrder:
    """Send the replacement the customer chose; a positive difference is charged, a negative one refunded."""
    if not description.strip():
        raise CaseInvalid(_("Describe what is sent to the customer."))
    price_difference = Decimal(price_difference).quantize(CENT)
    _resolved(case)
    transition_run(case, "exchange", actor=actor)
    if price_difference < 0:
        _check_amount(case, -price_difference)
    order = ExchangeOrder.objects.create(
        case=case, number=f"EX-{case.rma_number}", description=description.strip(),
        price_difference=price_difference, currency=case.currency, created_by=actor,
    )  # fmt: skip
    if price_difference < 0:
        _refund_create(case, key=f"exchange:{case.rma_number}", amount=-price_difference,
                       kind=Refund.Kind.EXCHANGE_DIFFERENCE, actor=actor)  # fmt: skip
    events.publish(
        events.ExchangeSent(case=case, actor=actor, role="agent", number=order.number,
                            difference=str(price_difference), currency=case.currency, exchange_id=order.id)
    )  # fmt: skip
    if price_difference > 0:
        events.publish(events.ExchangeChargeDue(case=case, actor=actor, role="agent", exchange_id=order.id))
    return order


@transaction.atomic
def case_mark_repaired(*, case: ReturnCase, actor: Staff, note: str = "") -> ReturnCase:
    _resolved(case)
    transition_run(case, "mark_repaired", actor=actor)
    events.publish(events.CaseRepaired(case=case, actor=actor, role="agent", note=note.strip()))
    return case


@transaction.atomic
def case_replace(*, case: ReturnCase, actor: Staff, description: str = "") -> ExchangeOrder:
    _resolved(case)
    transition_run(case, "replace", actor=actor)
    items = ", ".join(f"{i.order_line.name} × {i.quantity}" for i in case.items.select_related("order_line"))
    order = ExchangeOrder.objects.create(
        case=case, number=f"RP-{case.rma_number}", description=description.strip() or items,
        currency=case.currency, created_by=actor,
    )  # fmt: skip
    events.publish(
        events.ReplacementSent(case=case, actor=actor, role="agent", number=order.number, difference="0",
                               currency=case.currency)
    )  # fmt: skip
    return order


def goodwill_limit(case: ReturnCase, actor: Staff) -> Decimal:
    """The most this person may grant on this case, as a share of what the customer paid for the items."""
    limits = settings.GOODWILL_LIMIT_PERCENT
    if actor.has_perm("rma.supervise_case"):
        percent = limits["supervisor"]
    elif actor.has_perm("rma.process_case"):
        percent = limits["agent"]
    else:
        percent = 0
    return (refundable_total(case) * Decimal(percent) / 100).quantize(CENT)


@transaction.atomic
def compensation_grant(
    *, case: ReturnCase, actor: Staff, kind: str, amount: Decimal = Decimal(0), note: str = "", token: str
) -> Compensation:
    """Give a goodwill gesture within the actor's limit. ``token`` comes from the form, so a double
    submit of the same form grants once."""
    if kind not in Compensation.Kind.values:
        raise CaseInvalid(_("Choose a kind of goodwill gesture."))
    amount = Decimal(amount or 0).quantize(CENT)
    if kind != Compensation.Kind.FREE_SHIPPING and amount <= 0:
        raise CaseInvalid(_("The amount must be more than zero."))
    limit = goodwill_limit(case, actor)
    if amount > limit or (kind == Compensation.Kind.FREE_SHIPPING and not actor.has_perm("rma.process_case")):
        raise CasePermissionDenied(
            _("This is above your limit for this case (%(limit)s).") % {"limit": format_money(limit, case.currency)}
        )
    code = ""
    if kind == Compensation.Kind.VOUCHER:
        account = _credit_account(case)
        code = account.code
    elif kind == Compensation.Kind.FREE_SHIPPING:
        code = "FS-" + secrets.token_hex(5).upper()
    try:
        with transaction.atomic():
            compensation = Compensation.objects.create(
                case=case, kind=kind, amount=amount, currency=case.currency, code=code, note=note.strip(),
                idempotency_key=f"compensation:{token}", created_by=actor,
            )  # fmt: skip
    except IntegrityError:
        raise CaseConflict(_("This goodwill gesture has already been granted.")) from None
    if kind == Compensation.Kind.VOUCHER:
        StoreCreditEntry.objects.create(
            account=account, case=case, kind=StoreCreditEntry.Kind.VOUCHER, amount=amount,
            idempotency_key=f"voucher:{token}", created_by=actor,
        )  # fmt: skip
    elif kind == Compensation.Kind.PARTIAL_REFUND:
        _refund_create(case, key=f"goodwill:{token}", amount=amount, kind=Refund.Kind.GOODWILL, actor=actor)
    events.publish(
        events.CompensationGranted(case=case, actor=actor, role="agent", compensation=kind, amount=str(amount),
                                   currency=case.currency, code=code)
    )  # fmt: skip
    return compensation
