"""Filing a case and the workflow transitions that move no money (one service per transition)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from policies import selectors as policy_selectors
from policies.rules import Claim, evaluate
from policies.taxonomy import CHANGE_OF_MIND_REASONS, Reason

# Remedies listed mid-sentence use the policy taxonomy's labels ("a refund to the original payment method").
from policies.taxonomy import Resolution as InSentence
from returns_portal.formatting import format_list
from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import (
    CaseKind,
    CaseStatus,
    ExchangeOrder,
    Resolution,
    ReturnCase,
    ReturnItem,
    ReturnItemPhoto,
)
from rma.cases.services import exchanges, quote, sla
from rma.cases.services.assignment import case_auto_assign
from rma.cases.services.errors import CaseConflict, CaseInvalid
from rma.cases.services.workflow import transition_run
from rma.orders.models import Customer, OrderLine, Variant

DELIVERY_REASONS = frozenset({Reason.DAMAGED_IN_TRANSIT, Reason.WRONG_ITEM})
# Reasons where the customer tells what happens and since when (the start of a diagnosis).
PROBLEM_REASONS = frozenset({Reason.DEFECTIVE, Reason.NOT_AS_DESCRIBED})
# Reasons a customer must show with photos (of the parcel and the item).
PHOTO_REASONS = frozenset({Reason.DAMAGED_IN_TRANSIT})
FAULT_ONLY_RESOLUTIONS = frozenset({Resolution.REPAIR, Resolution.REPLACEMENT})
# What a gift's recipient may get: never money back to the buyer's payment method.
GIFT_RESOLUTIONS = frozenset({Resolution.STORE_CREDIT, Resolution.EXCHANGE})


@dataclass(frozen=True)
class ItemRequest:
    order_line: OrderLine
    quantity: int
    reason: str
    resolution: str = Resolution.REFUND
    exchange_wish: str = ""
    photos: tuple = ()  # cleaned files (rma.cases.photos.photo_clean)
    problem: str = ""  # for faults: what happens and since when
    exchange_variant: Variant | None = None  # chosen from the catalogue (rma.cases.services.exchanges)


def item_decision(
    *,
    order_line: OrderLine,
    reason: str,
    country: str,
    today: datetime.date | None = None,
    context: policy_selectors.PolicyContext | None = None,
    previous_returns: int | None = None,
):
    """The engine's decision for returning one order line for a reason, with the policy row used.

    Pass ``context`` (``policies.selectors.policy_context``) and ``previous_returns`` when deciding many
    lines at once: they are the same for every line of a customer.
    """
    context = context or policy_selectors.policy_context(country=country)
    order = order_line.order
    if previous_returns is None:
        previous_returns = customer_previous_returns(order.customer_id)
    claim = Claim(
        country=country,
        category=order_line.category,
        reason=reason,
        delivered_on=order.delivered_on,
        claimed_on=today or timezone.localdate(),
        ordered_on=order.ordered_on,
        last_delivered_on=order.delivered_on,
        informed=order.withdrawal_info_given,
        sku=order_line.sku,
        tags=frozenset(order_line.tags or ()),
        item_value=Decimal(str(order_line.unit_price)),
        order_value=order_value(order),
        currency=order.currency,
        previous_returns=previous_returns,
        reference=f"line:{order_line.pk}",
    )
    return context.policy, evaluate(claim, context.snapshot, context.jurisdiction)


def customer_previous_returns(customer_id: int) -> int:
    return (
        ReturnCase.objects.filter(customer_id=customer_id)
        .exclude(status__in=[CaseStatus.CANCELLED, CaseStatus.REJECTED])
        .count()
    )


def order_value(order) -> Decimal:
    return sum((Decimal(str(line.unit_price)) * line.quantity for line in order.lines.all()), Decimal(0))


def returnable_quantity(order_line: OrderLine) -> int:
    """Bought quantity less what is already in open or completed returns."""
    taken = (
        ReturnItem.objects.filter(order_line=order_line)
        .exclude(case__status__in=[CaseStatus.REJECTED, CaseStatus.CANCELLED, CaseStatus.EXPIRED])
        .aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    return max(order_line.quantity - taken, 0)


def case_kind_for(items: list[ItemRequest]) -> str:
    reasons = {i.reason for i in items}
    if reasons & DELIVERY_REASONS:
        return CaseKind.DELIVERY
    if reasons - CHANGE_OF_MIND_REASONS:
        return CaseKind.WARRANTY
    if any(i.resolution == Resolution.EXCHANGE for i in items):
        return CaseKind.EXCHANGE
    return CaseKind.RETURN


def _needs_shipment(items: list[ItemRequest]) -> bool:
    """Damaged or wrong goods of little value stay with the customer: shipping them back costs more."""
    if not all(i.reason in DELIVERY_REASONS for i in items):
        return True
    currency = items[0].order_line.order.currency
    limit = settings.KEEP_ITEM_BELOW.get(currency)
    total = sum((Decimal(str(i.order_line.unit_price)) * i.quantity for i in items), Decimal(0))
    return limit is None or total >= limit


def _check_item(customer: Customer, request: ItemRequest, *, context, previous_returns: int, today=None,
                gift_order=None):  # fmt: skip
    line = request.order_line

    def refuse(message: str, field: str):
        return CaseInvalid(message, order_line_id=line.pk, field=field)

    if line.order_id != getattr(gift_order, "pk", line.order_id) or (
        gift_order is None and line.order.customer_id != customer.pk
    ):
        raise refuse(_("This item is not part of your orders."), "quantity")
    if gift_order is not None and request.resolution not in GIFT_RESOLUTIONS:
        raise refuse(
            _("A gift is returned for store credit or an exchange, never for a refund to the buyer's payment method."),
            "resolution",
        )
    if request.quantity < 1 or request.quantity > returnable_quantity(line):
        raise refuse(_("The quantity for %(item)s is more than can be returned.") % {"item": line.name}, "quantity")
    if request.reason in PROBLEM_REASONS and not request.problem.strip():
        raise refuse(_("Describe what is wrong with %(item)s and since when.") % {"item": line.name}, "problem")
    if request.reason in PHOTO_REASONS and not request.photos:
        raise refuse(_("Add at least one photo of the damage to %(item)s.") % {"item": line.name}, "photos")
    if request.resolution == Resolution.EXCHANGE and not (request.exchange_wish.strip() or request.exchange_variant):
        raise refuse(_("Tell us what you would like instead of %(item)s.") % {"item": line.name}, "wish")
    policy, decision = item_decision(
        order_line=line, reason=request.reason, country=customer.country, context=context,
        previous_returns=previous_returns, today=today,
    )  # fmt: skip
    if request.exchange_variant is not None:
        if request.resolution != Resolution.EXCHANGE:
            raise CaseInvalid(_("Choose an exchange to pick another item for %(item)s.") % {"item": line.name})
        try:
            exchanges.exchange_check(order_line=line, variant=request.exchange_variant, policy=policy)
        except CaseInvalid as exc:
            raise refuse(str(exc), "wish") from None
    if not decision.eligible:
        raise refuse(_("%(item)s cannot be returned for this reason.") % {"item": line.name}, "reason")
    offered = resolutions_offered(decision, request.reason)
    if request.resolution not in offered:
        raise refuse(
            _("For %(item)s the shop offers: %(choices)s.")
            % {"item": line.name, "choices": format_list([InSentence(r).label for r in offered])},
            "resolution",
        )
    return policy, decision


def resolutions_offered(decision, reason: str) -> tuple[str, ...]:
    """What a customer may ask for one item and reason: the engine's resolutions (its policy and the law),
    less repair and replacement for a change of mind. Empty when the item cannot go back for that reason."""
    if not decision.eligible:
        return ()
    # An engine answer without resolutions restricts none (as case_open always read it).
    offered = tuple(r for r in decision.resolutions if r in Resolution.values) or tuple(Resolution.values)
    if reason in CHANGE_OF_MIND_REASONS:
        offered = tuple(r for r in offered if r not in FAULT_ONLY_RESOLUTIONS)
    return offered


def case_open(
    *,
    customer: Customer,
    items: list[ItemRequest],
    language: str,
    return_method: str | None = None,
    claimed_on: datetime.date | None = None,
    gift_order=None,
) -> ReturnCase:
    """File a case for a customer. Approves it at once when every item may be and the policy allows.

    The fees of the quote the customer saw (``rma.cases.services.quote``) are frozen on the case and its items.
    ``claimed_on`` is the day the claim counts from when it is not today (a withdrawal made earlier).
    ``gift_order``: the recipient of a gift (``customer``) returns items of this order, opened with its gift
    code (``rma.cases.services.gift``).
    """
    if not items:
        raise CaseInvalid(_("Choose at least one item to return."))
    if len({i.resolution for i in items}) > 1:
        # A case is settled once (one refund, one credit, one exchange...): one resolution per request.
        raise CaseInvalid(_("Choose the same resolution for every item, or file a separate request for the others."))
    if len({i.order_line.order.currency for i in items}) > 1:
        raise CaseInvalid(_("Items paid in different currencies must be returned in separate requests."))
    currency = items[0].order_line.order.currency
    with transaction.atomic():
        # Lock the customer's row so two filings at once cannot both take the same units.
        Customer.objects.select_for_update().get(pk=customer.pk)
        context = policy_selectors.policy_context(country=customer.country)
        previous = customer_previous_returns(customer.pk)
        checked = [
            (
                request,
                *_check_item(
                    customer,
                    request,
                    context=context,
                    previous_returns=previous,
                    today=claimed_on,
                    gift_order=gift_order,
                ),
            )  # fmt: skip
            for request in items
        ]
        policy = checked[0][1]
        decisions = [d for _r, _p, d in checked]
        return_method = return_method or quote.methods_offered(decisions)[0]
        if return_method not in quote.methods_offered(decisions):
            raise CaseInvalid(_("This way of sending the item back is not offered for these items."))
        quoted = quote.quote_build(
            currency=currency,
            lines=[(r.order_line.name, r.quantity, r.order_line.unit_price, r.resolution, d) for r, _p, d in checked],
            method=return_method, policy=policy, today=claimed_on or timezone.localdate(),
        )  # fmt: skip
        needs_shipment = _needs_shipment(items)
        case = ReturnCase(
            customer=customer,
            currency=currency,
            kind=case_kind_for(items),
            language=language,
            country=customer.country,
            policy=policy,
            region_fallback=context.fallback,
            needs_shipment=needs_shipment,
            return_shipping_paid_by=quoted.shipping_paid_by,
            return_method=return_method,
            shipping_fee=quoted.shipping_fee if needs_shipment else 0,
            gift=gift_order is not None,
            instant_exchange=exchanges.instant_exchange_for(policy=policy, items=items),
        )
        case.full_clean(exclude=["status"])  # the protected FSM field cannot be re-set by cleaning
        case.save()
        created = []
        for (request, _policy, decision), line in zip(checked, quoted.lines, strict=True):
            variant = request.exchange_variant
            item = ReturnItem.objects.create(
                restocking_fee=line.restocking_fee,
                case=case,
                order_line=request.order_line,
                quantity=request.quantity,
                reason=request.reason,
                resolution=request.resolution,
                exchange_wish=request.exchange_wish.strip() or (str(variant)[:200] if variant else ""),
                exchange_variant=variant,
                exchange_difference=exchanges.exchange_difference(
                    order_line=request.order_line, variant=variant, quantity=request.quantity
                )
                if variant
                else 0,
                problem=request.problem.strip(),
                eligible=decision.eligible,
                basis=decision.basis,
                deadline=decision.deadline,
                decision=decision.as_dict(),
            )
            for photo in request.photos:
                ReturnItemPhoto.objects.create(item=item, image=photo)
            created.append(item)
        # Under each variant's row lock: the last unit goes to one filing only, the other is refused.
        exchanges.stock_reserve(items=created)
        sla.sla_start(case)
        case.save()
        if customer.language != language:
            # The language the customer filed in is the one everything later is sent in.
            Customer.objects.filter(pk=customer.pk).update(language=language)
        events.publish(events.CaseFiled(case=case, role="customer", to_status=case.status, kind_of_case=case.kind))
        if all(d.auto_approve for _r, _p, d in checked) and not case.region_fallback:
            case.auto_approved = True
            case.decided_at = case.first_responded_at = timezone.now()
            transition_run(case, "approve", actor=None, role="system", check_perm=False)
            events.publish(events.CaseApproved(case=case, automatic=True))
            exchanges.exchange_ship_instant(case=case)
    if not case.auto_approved:
        # After the filing is committed: when nobody is free the case simply waits in the "unassigned" view.
        case_auto_assign(case=case)
    return case


def _decided(case: ReturnCase) -> None:
    now = timezone.now()
    case.decided_at = case.decided_at or now
    sla.sla_mark_response(case, now=now)


@transaction.atomic
def case_approve(*, case: ReturnCase, actor: Staff) -> ReturnCase:
    _decided(case)
    transition_run(case, "approve", actor=actor)
    events.publish(events.CaseApproved(case=case, actor=actor, role="agent"))
    exchanges.exchange_ship_instant(case=case, actor=actor)
    return case


@transaction.atomic
def case_reject(*, case: ReturnCase, actor: Staff, reason: str) -> ReturnCase:
    if not reason.strip():
        raise CaseInvalid(_("Tell the customer why the return is rejected."))
    _decided(case)
    transition_run(case, "reject", actor=actor, reason=reason.strip())
    exchanges.stock_release(case=case)
    events.publish(events.CaseRejected(case=case, actor=actor, role="agent"))
    return case


@transaction.atomic
def case_request_info(*, case: ReturnCase, actor: Staff, question: str) -> ReturnCase:
    if not question.strip():
        raise CaseInvalid(_("Write the question the customer should answer."))
    sla.sla_mark_response(case)
    transition_run(case, "request_info", actor=actor, question=question.strip())
    events.publish(events.InfoRequested(case=case, actor=actor, role="agent"))
    return case


@transaction.atomic
def case_provide_info(*, case: ReturnCase, customer_id: int, answer: str) -> ReturnCase:
    """The customer answers a question; the case goes back to the agents' decision."""
    if case.customer_id != customer_id:
        raise CaseInvalid(_("No such return."))
    if not answer.strip():
        raise CaseInvalid(_("Please write your answer."))
    transition_run(case, "provide_info", actor=None, role="customer", check_perm=False, answer=answer.strip())
    events.publish(events.InfoProvided(case=case, role="customer"))
    return case


@transaction.atomic
def case_label_problems_record(*, case: ReturnCase, problems: list[dict]) -> bool:
    """Keep on the case why its shipping documents cannot be made yet (logistics found it); tell the
    customer once per new set of problems. Returns whether anything changed."""
    case = ReturnCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.APPROVED or problems == case.document_problems:
        return False
    case.document_problems = problems
    case.save(update_fields=["document_problems", "updated_at"])
    events.publish(events.LabelDelayed(case=case, problems=problems))
    return True


def case_label_issued(*, case: ReturnCase, tracking_number: str, carrier: str, cross_border: bool) -> ReturnCase:
    """The shipping documents exist (logistics made them): the case moves to label_issued. Call inside the
    transaction that stores the shipment, with the case's row locked."""
    case.document_problems = []
    events.publish(
        events.LabelIssued(case=case, tracking_number=tracking_number, carrier=carrier, cross_border=cross_border)
    )
    transition_run(case, "issue_label", actor=None, role="system", check_perm=False)
    return case


@transaction.atomic
def case_mark_in_transit(*, case: ReturnCase, actor: Staff | None) -> ReturnCase:
    """The parcel is on its way: an agent says so (``actor``), or the carrier's scan does (``None``)."""
    role = "agent" if actor is not None else "system"
    transition_run(case, "mark_in_transit", actor=actor, role=role, check_perm=actor is not None)
    events.publish(events.ParcelInTransit(case=case, actor=actor, role=role))
    return case


@transaction.atomic
def case_mark_received(*, case: ReturnCase, actor: Staff | None) -> ReturnCase:
    """The parcel arrived: the warehouse says so (``actor``), or the carrier's delivery scan does (``None``)."""
    role = "agent" if actor is not None else "system"
    sla.sla_on_received(case)
    transition_run(case, "mark_received", actor=actor, role=role, check_perm=actor is not None)
    case.items.update(status=ReturnItem.Status.RECEIVED)
    events.publish(events.ParcelReceived(case=case, actor=actor, role=role))
    return case


@transaction.atomic
def case_close(*, case: ReturnCase, actor: Staff) -> ReturnCase:
    # A case closes once its money has arrived: a refund still pending or parked keeps it open and in sight.
    if case.refunds.exclude(status="paid").exists():
        raise CaseConflict(_("A refund of this case has not been paid yet: close the case once it is paid."))
    case.closed_at = timezone.now()
    transition_run(case, "close", actor=actor)
    events.publish(events.CaseClosed(case=case, actor=actor, role="agent"))
    return case


@transaction.atomic
def case_cancel(*, case: ReturnCase, actor: Staff | None = None, customer_id: int | None = None) -> ReturnCase:
    """Cancel before the parcel is on its way: by an agent (``actor``) or by the case's customer."""
    if actor is None and case.customer_id != customer_id:
        raise CaseInvalid(_("No such return."))
    role = "customer" if actor is None else "agent"
    if ExchangeOrder.objects.filter(case=case, shipped_early=True).exists():
        # An instant exchange already sent the new item: the returned one must still come back.
        raise CaseConflict(_("The new item has already been sent, so this return can no longer be cancelled."))
    transition_run(case, "cancel", actor=actor, role=role, check_perm=actor is not None)
    exchanges.stock_release(case=case)
    events.publish(events.CaseCancelled(case=case, actor=actor, role=role))
    return case


@transaction.atomic
def case_escalate(*, case: ReturnCase, actor: Staff) -> ReturnCase:
    transition_run(case, "escalate", actor=actor)
    events.publish(events.CaseEscalated(case=case, actor=actor, role="agent"))
    return case


@transaction.atomic
def case_deescalate(*, case: ReturnCase, actor: Staff) -> ReturnCase:
    """A supervisor sends an escalated case back to where it was."""
    transition_run(case, "deescalate", actor=actor)
    events.publish(events.CaseDeescalated(case=case, actor=actor, role="agent"))
    return case
