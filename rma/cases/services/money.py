"""Money moves exactly once: refunds, store credit, exchanges, repairs and replacements, goodwill.

Every movement carries an idempotency key held unique by the database; payments to the provider
happen in tasks after commit and pass the same key on every retry.
"""

import datetime
import secrets
from decimal import ROUND_DOWN, Decimal

from babel.numbers import get_currency_precision
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import has_transition_perm

from returns_portal.formatting import format_money
from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import (
    ApprovalRequest,
    Compensation,
    Deduction,
    ExchangeOrder,
    Refund,
    ReturnCase,
    StoreCreditAccount,
    StoreCreditEntry,
)
from rma.cases.services import exchanges
from rma.cases.services.errors import CaseAboveLimit, CaseAmountInvalid, CaseConflict, CaseInvalid, CasePermissionDenied
from rma.cases.services.workflow import not_allowed, transition_run


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


def paid_out_total(case: ReturnCase) -> Decimal:
    """Everything the case has paid out or promised: refunds of every kind (goodwill and exchange differences
    included, pending, paid or parked: a parked one may be retried) and store credit (credit and vouchers).
    The bonus for choosing store credit is left out: the policy promised it on top (``_bonus_percent``)."""
    refunds = Refund.objects.filter(case=case).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    credits = StoreCreditEntry.objects.filter(
        case=case, kind__in=[StoreCreditEntry.Kind.CREDIT, StoreCreditEntry.Kind.VOUCHER]
    ).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    return refunds + credits


def payout_cap(case: ReturnCase) -> Decimal:
    """The most a case may pay out in its currency: what the customer paid for the returned items. The law adds
    nothing on top in the jurisdictions we model (the original delivery cost is not part of the case's items);
    an excess needs an approved exception (rma.cases.services.approvals)."""
    return refundable_total(case)


def payout_remaining(case: ReturnCase) -> Decimal:
    return max(payout_cap(case) - paid_out_total(case), Decimal(0))


def case_lock(case: ReturnCase) -> ReturnCase:
    """Lock the case's row until the transaction ends: money checks that read totals run one at a time per case,
    whichever request, tab or worker asks. Call inside ``transaction.atomic``."""
    return ReturnCase.objects.select_for_update(of=("self",)).get(pk=case.pk)


def amount_clean(case: ReturnCase, amount, *, currency: str = "", field: str = "amount") -> Decimal:
    """An amount as the case's currency allows it, or ``CaseAmountInvalid`` saying why not (never rounded
    silently: 12.345 euros or 10.5 yen are refused, not changed)."""
    if currency and currency.upper() != case.currency:
        raise CaseAmountInvalid(
            _("This amount is in %(currency)s, but this case is paid in %(case_currency)s.")
            % {"currency": currency.upper(), "case_currency": case.currency},
            field=field,
        )
    amount = Decimal(amount)
    if amount < 0:
        raise CaseAmountInvalid(_("The amount cannot be negative."), field=field)
    if amount == 0:
        raise CaseAmountInvalid(_("The amount must be more than zero."), field=field)
    digits = get_currency_precision(case.currency)
    step = Decimal(1).scaleb(-digits)
    if amount != amount.quantize(step):
        if digits == 0:
            message = _("Amounts in %(currency)s have no decimals.") % {"currency": case.currency}
        else:
            message = ngettext(
                "Amounts in %(currency)s have at most %(digits)d decimal.",
                "Amounts in %(currency)s have at most %(digits)d decimals.",
                digits,
            ) % {"currency": case.currency, "digits": digits}
        raise CaseAmountInvalid(message, field=field)
    return amount.quantize(step)


def _check_amount(case: ReturnCase, amount, *, field: str = "amount") -> Decimal:
    """A valid amount that fits in what the case may still pay out. Call with the case's row locked."""
    amount = amount_clean(case, amount, field=field)
    remaining = payout_remaining(case)
    if amount > remaining:
        raise CaseAmountInvalid(
            _("This is more than this case may still pay out (%(remaining)s of %(cap)s).")
            % {
                "remaining": format_money(remaining, case.currency),
                "cap": format_money(payout_cap(case), case.currency),
            },
            field=field,
        )
    return amount


def _resolved(case: ReturnCase) -> None:
    case.resolved_at = timezone.now()


def _refund_create(
    case, *, key: str, amount: Decimal, kind: str, actor: Staff, due: Decimal | None = None, reason: str = ""
) -> Refund:
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                case=case,
                kind=kind,
                idempotency_key=key,
                amount=amount,
                currency=case.currency,
                created_by=actor,
                amount_due=due,
                reason=reason,
            )
    except IntegrityError:
        raise CaseConflict(_("This payment has already been made.")) from None
    events.publish(events.RefundRequested(case=case, actor=actor, role="agent", refund_id=refund.id))
    return refund


def approval_request_create(
    case: ReturnCase, *, actor: Staff, kind: str, amount: Decimal, request: dict, reason: str, key: str
) -> ApprovalRequest:
    """Put a request above this person's limit in the supervisors' queue (rma.cases.services.approvals decides
    it) and say on the timeline that the case awaits approval. Call under the case's row lock."""
    try:
        with transaction.atomic():
            approval = ApprovalRequest.objects.create(
                case=case, kind=kind, amount=amount, currency=case.currency, request=request, reason=reason,
                idempotency_key=key, requested_by=actor,
            )  # fmt: skip
    except IntegrityError:
        raise CaseConflict(_("A request like this one already awaits a supervisor on this case.")) from None
    events.publish(
        events.ApprovalRequested(
            case=case, actor=actor, role="agent", request_kind=kind, amount=str(amount), currency=case.currency,
            approval_id=approval.id,
        )
    )  # fmt: skip
    return approval


def _reason_missing(case: ReturnCase, due: Decimal) -> CaseAmountInvalid:
    return CaseAmountInvalid(
        _("This is more than is due (%(due)s, after deductions and kept fees). Say why in the reason.")
        % {"due": format_money(due, case.currency)},
        field="reason",
    )


def _refund_needs_approval(case: ReturnCase, *, amount: Decimal, due: Decimal) -> bool:
    threshold = Decimal(settings.REFUND_ABOVE_DUE_APPROVAL.get(case.currency, 0))
    return amount - due > threshold


@transaction.atomic
def case_refund(
    *,
    case: ReturnCase,
    actor: Staff,
    amount: Decimal | None = None,
    kind: str = Refund.Kind.REFUND,
    reason: str = "",
    currency: str = "",
    approval: ApprovalRequest | None = None,
) -> Refund | ApprovalRequest:
    """Refund to the original payment method: what is due, or a smaller amount (a price reduction). More than
    is due (paying back deductions or kept fees) needs a reason, and beyond ``REFUND_ABOVE_DUE_APPROVAL`` a
    supervisor's approval: the request then waits in their queue and the case stays as it is. Nothing ever
    passes the case's payout cap."""
    if kind not in {Refund.Kind.REFUND, Refund.Kind.PRICE_REDUCTION}:
        raise CaseInvalid(_("Choose a refund or a price reduction."))
    if case.gift:
        # The money would go to the buyer's card and tell the buyer about the return.
        raise CaseInvalid(_("A gift return is settled with store credit or an exchange, never a refund to the buyer."))
    reason = reason.strip()
    case_lock(case)
    if amount is not None and approval is None:
        amount = amount_clean(case, amount, currency=currency)
        due = amount_due(case)
        if _refund_needs_approval(case, amount=amount, due=due):
            if not has_transition_perm(case.refund, actor):
                raise not_allowed(case)
            if not reason:
                raise _reason_missing(case, due)
            _check_amount(case, amount)
            return approval_request_create(
                case, actor=actor, kind=ApprovalRequest.Kind.REFUND, amount=amount,
                request={"kind": kind, "due": str(due)}, reason=reason,
                key=f"approval:refund:{case.rma_number}:{secrets.token_hex(8)}",
            )  # fmt: skip
    # The transition first: a stale page or a second agent fails here; a bad amount rolls it back.
    _resolved(case)
    transition_run(case, "refund", actor=actor, holder=approval is None)
    due = amount_due(case)
    if amount is None:
        # Goodwill refunds and vouchers already paid count against the cap: the default pays what is left.
        amount = min(due, payout_remaining(case))
        if amount <= 0:
            raise CaseAmountInvalid(_("Nothing is left to pay out on this case."))
    else:
        amount = amount_clean(case, amount, currency=currency)
    amount = _check_amount(case, amount)
    if amount > due and not reason:
        raise _reason_missing(case, due)
    return _refund_create(
        case, key=f"refund:{case.rma_number}", amount=amount, kind=kind, actor=actor, due=due,
        reason=reason if amount != due else "",
    )  # fmt: skip


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
    case_lock(case)
    _resolved(case)
    transition_run(case, "credit", actor=actor)
    amount = _check_amount(case, min(amount_due(case), payout_remaining(case)))
    account = _credit_account(case)
    entry = StoreCreditEntry.objects.create(
        account=account, case=case, kind=StoreCreditEntry.Kind.CREDIT, amount=amount,
        idempotency_key=f"credit:{case.rma_number}", created_by=actor,
    )  # fmt: skip
    bonus = (amount * _bonus_percent(case) / 100).quantize(currency_step(case.currency))
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


def _exchange_settle_early(case: ReturnCase, order: ExchangeOrder, *, actor: Staff) -> ExchangeOrder:
    """Settle an instant exchange, sent at approval: a lower price is refunded now that the item is back."""
    _resolved(case)
    transition_run(case, "exchange", actor=actor)
    if order.hold_amount and not order.hold_release_due:
        order.hold_release_due = True
        order.save(update_fields=["hold_release_due"])
        events.publish(events.ExchangeHoldReleaseDue(case=case, actor=actor, role="agent", exchange_id=order.id))
    if order.price_difference < 0:
        _check_amount(case, -order.price_difference, field="price_difference")
        _refund_create(case, key=f"exchange:{case.rma_number}", amount=-order.price_difference,
                       kind=Refund.Kind.EXCHANGE_DIFFERENCE, actor=actor)  # fmt: skip
    return order


@transaction.atomic
def case_exchange(
    *, case: ReturnCase, actor: Staff, description: str = "", price_difference: Decimal | None = None
) -> ExchangeOrder:
    """Send the replacement the customer chose; a positive difference is charged, a negative one refunded.

    For an exchange chosen from the catalogue, an empty description and difference take the chosen variants
    and their price difference (rma.cases.services.exchanges), and the reserved units leave the stock. An
    instant exchange was sent at approval already: settling it only refunds a lower price."""
    case_lock(case)
    early = ExchangeOrder.objects.filter(case=case, shipped_early=True).first()
    if early is not None:
        return _exchange_settle_early(case, early, actor=actor)
    chosen = exchanges.catalogue_exchange(case)
    if chosen is not None:
        description = description.strip() or chosen[0]
        price_difference = chosen[1] if price_difference is None else price_difference
    if not description.strip():
        raise CaseInvalid(_("Describe what is sent to the customer."), field="description")
    price_difference = Decimal(price_difference or 0)
    if price_difference:
        sign = -1 if price_difference < 0 else 1
        price_difference = sign * amount_clean(case, abs(price_difference), field="price_difference")
    _resolved(case)
    transition_run(case, "exchange", actor=actor)
    if price_difference < 0:
        _check_amount(case, -price_difference, field="price_difference")
    order = ExchangeOrder.objects.create(
        case=case, number=f"EX-{case.rma_number}", description=description.strip(),
        price_difference=price_difference, currency=case.currency, created_by=actor,
    )  # fmt: skip
    exchanges.stock_ship(case=case)
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


def currency_step(currency: str) -> Decimal:
    """The smallest amount of a currency (0.01 for euros, 1 for yen), from Babel's currency data."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def _goodwill_role(actor: Staff) -> str | None:
    if actor.has_perm("rma.supervise_case"):
        return "supervisor"
    if actor.has_perm("rma.process_case"):
        return "agent"
    return None


def goodwill_limit(case: ReturnCase, actor: Staff) -> Decimal:
    """The most goodwill this person's role may give on this case in all, as a share of what the customer paid."""
    role = _goodwill_role(actor)
    percent = settings.GOODWILL_LIMIT_PERCENT[role] if role else 0
    return (refundable_total(case) * Decimal(percent) / 100).quantize(currency_step(case.currency), ROUND_DOWN)


def goodwill_granted(case: ReturnCase) -> Decimal:
    """The goodwill given on this case so far, by anyone."""
    return Compensation.objects.filter(case=case).aggregate(t=Sum("amount"))["t"] or Decimal(0)


def goodwill_remaining(case: ReturnCase, actor: Staff) -> Decimal:
    """What this person may still give on this case: their role's case limit less all goodwill given on it, and
    never more than the case may still pay out."""
    left = goodwill_limit(case, actor) - goodwill_granted(case)
    return max(min(left, payout_remaining(case)), Decimal(0))


def goodwill_daily_limit(actor: Staff, currency: str) -> Decimal:
    """The most goodwill this person may give in one day and currency, over all cases (settings)."""
    role = _goodwill_role(actor)
    return Decimal(settings.GOODWILL_DAILY_LIMIT[role].get(currency, 0)) if role else Decimal(0)


def goodwill_given_today(actor: Staff, currency: str) -> Decimal:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return Compensation.objects.filter(created_by=actor, currency=currency, created_at__gte=start).aggregate(
        t=Sum("amount")
    )["t"] or Decimal(0)


def _goodwill_check(case: ReturnCase, actor: Staff, amount: Decimal) -> None:
    """Refuse goodwill above the case's payout cap, the role's case limit or the person's daily limit. Call with
    the case's row and the actor's row locked, so two tabs or two agents cannot both pass on the same totals."""
    if amount > payout_remaining(case):
        _check_amount(case, amount)  # raises with the remaining cap next to the field
    left = goodwill_limit(case, actor) - goodwill_granted(case)
    if amount > left:
        raise CaseAboveLimit(
            _("This is above your goodwill limit for this case: %(left)s left of %(limit)s.")
            % {
                "left": format_money(max(left, Decimal(0)), case.currency),
                "limit": format_money(goodwill_limit(case, actor), case.currency),
            }
        )
    daily = goodwill_daily_limit(actor, case.currency)
    given = goodwill_given_today(actor, case.currency)
    if amount + given > daily:
        raise CaseAboveLimit(
            _("This is above your goodwill limit for today: %(left)s left of %(limit)s.")
            % {
                "left": format_money(max(daily - given, Decimal(0)), case.currency),
                "limit": format_money(daily, case.currency),
            }
        )


@transaction.atomic
def compensation_grant(
    *, case: ReturnCase, actor: Staff, kind: str, amount: Decimal = Decimal(0), note: str = "", token: str,
    currency: str = "", approved: bool = False,
) -> Compensation:  # fmt: skip
    """Give a goodwill gesture within the actor's limits (per case and per day, cumulative) and the case's payout
    cap. ``token`` comes from the form, so a double submit of the same form grants once. ``approved``: a
    supervisor approved it (rma.cases.services.approvals), so the limits do not apply."""
    if kind not in Compensation.Kind.values:
        raise CaseInvalid(_("Choose a kind of goodwill gesture."))
    if kind == Compensation.Kind.FREE_SHIPPING:
        if not actor.has_perm("rma.process_case"):
            raise CasePermissionDenied(_("You are not allowed to do this."))
        amount = Decimal(0)
    else:
        amount = amount_clean(case, amount or 0, currency=currency)
    case_lock(case)
    # The day's limit spans every case: the actor's own row serialises their grants across cases too.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).exists()
    if Compensation.objects.filter(idempotency_key=f"compensation:{token}").exists():
        raise CaseConflict(_("This goodwill gesture has already been granted."))
    if amount and approved:
        _check_amount(case, amount)  # a supervisor's approval waives the limits, never the case's payout cap
    elif amount:
        _goodwill_check(case, actor, amount)
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
