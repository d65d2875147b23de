"""Writes to return cases: filing, one service per workflow transition, labels, refunds, notifications.

Each transition service checks the actor's permission, runs the FSM transition, saves inside a
transaction (the model's optimistic lock refuses a stale write), writes the CaseEvent and enqueues
its side effects only after commit.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, has_transition_perm

from policies import selectors as policy_selectors
from policies.rules import Claim, evaluate

from . import adapters, documents, notifications
from .models import (
    CaseEvent,
    Customer,
    OrderLine,
    Refund,
    ReturnCase,
    ReturnItem,
    Shipment,
)


class CaseError(Exception):
    """Base error of the rma app; its message is translated and safe to show."""


class CaseTransitionNotAllowed(CaseError):
    pass


class CaseConflict(CaseError):
    """Someone else changed the case since it was loaded."""


class CasePermissionDenied(CaseError):
    pass


class CaseInvalid(CaseError):
    pass


@dataclass(frozen=True)
class ItemRequest:
    order_line: OrderLine
    quantity: int
    reason: str


def item_decision(*, order_line: OrderLine, reason: str, country: str, today: datetime.date | None = None):
    """The engine's decision for returning one order line for a reason, with the policy row used."""
    policy, snapshot, law = policy_selectors.policy_context_for_country(country=country)
    claim = Claim(
        country=country,
        category=order_line.category,
        reason=reason,
        delivered_on=order_line.order.delivered_on,
        claimed_on=today or timezone.localdate(),
    )
    return policy, evaluate(claim, snapshot, law)


def returnable_quantity(order_line: OrderLine) -> int:
    """Bought quantity less what is already in open or completed returns."""
    taken = (
        ReturnItem.objects.filter(order_line=order_line)
        .exclude(case__status__in=["rejected", "cancelled"])
        .aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    return max(order_line.quantity - taken, 0)


def _event(case, *, kind, actor=None, role="system", from_status="", to_status="", **data) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if actor and actor.is_authenticated else None,
        actor_role=role,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )


def case_open(*, customer: Customer, items: list[ItemRequest], language: str) -> ReturnCase:
    """File a return for a customer. Approves it at once when every item is eligible and policy allows."""
    if not items:
        raise CaseInvalid(_("Choose at least one item to return."))
    with transaction.atomic():
        # Lock the customer's row so two filings at once cannot both take the same units.
        Customer.objects.select_for_update().get(pk=customer.pk)
        decisions = []
        for request in items:
            if request.order_line.order.customer_id != customer.pk:
                raise CaseInvalid(_("This item is not part of your orders."))
            if request.quantity < 1 or request.quantity > returnable_quantity(request.order_line):
                raise CaseInvalid(
                    _("The quantity for %(item)s is more than can be returned.") % {"item": request.order_line.name}
                )
            policy, decision = item_decision(
                order_line=request.order_line, reason=request.reason, country=customer.country
            )
            if not decision.eligible:
                raise CaseInvalid(_("%(item)s cannot be returned for this reason.") % {"item": request.order_line.name})
            decisions.append((request, decision))

        case = ReturnCase(
            customer=customer,
            language=language,
            country=customer.country,
            policy=policy,
            return_shipping_paid_by=(
                "merchant" if any(d.return_shipping_paid_by == "merchant" for _r, d in decisions) else "customer"
            ),
        )
        case.full_clean(exclude=["status"])  # the protected FSM field cannot be re-set by cleaning
        case.save()
        if customer.language != language:
            # The language the customer filed in is the one everything later is sent in.
            Customer.objects.filter(pk=customer.pk).update(language=language)
        for request, decision in decisions:
            ReturnItem.objects.create(
                case=case,
                order_line=request.order_line,
                quantity=request.quantity,
                reason=request.reason,
                eligible=decision.eligible,
                basis=decision.basis,
                deadline=decision.deadline,
                decision=decision.as_dict(),
            )
        _event(case, kind=CaseEvent.Kind.FILED, role="customer", to_status=case.status)
        notifications.notification_queue(case=case, event="filed")
        if all(d.auto_approve for _r, d in decisions):
            case.approve()
            case.auto_approved = True
            case.save()
            _event(case, kind=CaseEvent.Kind.TRANSITION, from_status="requested", to_status=case.status, automatic=True)
            _after_approval(case)
    return case


def _after_approval(case: ReturnCase) -> None:
    from .tasks import label_render

    label_render.delay_on_commit(case.id)


def _transition(case: ReturnCase, name: str, *, actor, role: str = "agent", check_perm: bool = True, **kwargs):
    """Run one transition for an actor and record it; the caller adds its side effects in the same atomic."""
    method = getattr(case, name)
    if check_perm and actor is not None and not has_transition_perm(method, actor):
        if name in {t.name for t in case.get_available_status_transitions()}:
            raise CasePermissionDenied(_("You are not allowed to do this."))
        raise CaseTransitionNotAllowed(
            _("This action is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
        )
    before = case.status
    try:
        method(**kwargs)
    except TransitionNotAllowed:
        raise CaseTransitionNotAllowed(
            _("This action is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
        ) from None
    try:
        case.save()
    except ConcurrentTransition:
        raise CaseConflict(_("Someone else changed this case a moment ago. Here is its current state.")) from None
    _event(case, kind=CaseEvent.Kind.TRANSITION, actor=actor, role=role, from_status=before, to_status=case.status)


@transaction.atomic
def case_approve(*, case: ReturnCase, actor) -> ReturnCase:
    _transition(case, "approve", actor=actor)
    notifications.notification_queue(case=case, event="approved")
    _after_approval(case)
    return case


@transaction.atomic
def case_reject(*, case: ReturnCase, actor, reason: str) -> ReturnCase:
    if not reason.strip():
        raise CaseInvalid(_("Tell the customer why the return is rejected."))
    _transition(case, "reject", actor=actor, reason=reason.strip())
    notifications.notification_queue(case=case, event="rejected")
    return case


def case_issue_label(*, case_id: int) -> ReturnCase:
    """Render the label and move the case to label_issued. Safe to run twice: one label results."""
    with transaction.atomic():
        case = ReturnCase.objects.select_for_update().get(pk=case_id)
        if Shipment.objects.filter(case=case).exists() or case.status != "approved":
            return case
        origin = case.items.select_related("order_line__order").first().order_line.order
        booking = adapters.carrier().book_return(
            rma_number=case.rma_number, from_country=origin.ship_country, to_country=documents.RETURN_CENTER["country"]
        )
        pdf = documents.label_pdf(case=case, shipment_tracking=booking.tracking_number, carrier_name=booking.carrier)
        shipment = Shipment(case=case, carrier=booking.carrier, tracking_number=booking.tracking_number)
        shipment.label_pdf.save(f"label-{case.rma_number}.pdf", ContentFile(pdf), save=False)
        shipment.save()
        _event(case, kind=CaseEvent.Kind.LABEL, tracking_number=booking.tracking_number, carrier=booking.carrier)
        _transition(case, "issue_label", actor=None, role="system", check_perm=False)
        notifications.notification_queue(case=case, event="label_ready")
    return case


@transaction.atomic
def case_mark_in_transit(*, case: ReturnCase, actor) -> ReturnCase:
    _transition(case, "mark_in_transit", actor=actor)
    return case


@transaction.atomic
def case_mark_received(*, case: ReturnCase, actor) -> ReturnCase:
    _transition(case, "mark_received", actor=actor)
    notifications.notification_queue(case=case, event="received")
    return case


def case_refund_amount(case: ReturnCase) -> Decimal:
    return sum((item.amount for item in case.items.select_related("order_line")), Decimal("0"))


@transaction.atomic
def case_refund(*, case: ReturnCase, actor) -> Refund:
    """Refund the returned items. The refund row's idempotency key makes a second refund impossible."""
    from .tasks import refund_execute

    _transition(case, "refund", actor=actor)
    order = case.items.select_related("order_line__order").first().order_line.order
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                case=case,
                idempotency_key=f"refund:{case.rma_number}",
                amount=case_refund_amount(case),
                currency=order.currency,
                provider=adapters.payment_provider().name,
                created_by=actor,
            )
    except IntegrityError:
        raise CaseConflict(_("This case has already been refunded.")) from None
    refund_execute.delay_on_commit(refund.id)
    return refund


def refund_pay(*, refund_id: int) -> Refund:
    """Pay a pending refund through the provider; the provider sees the same key on every retry."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("case").get(pk=refund_id)
        if refund.status == Refund.Status.PAID:
            return refund
        order = refund.case.items.select_related("order_line__order").first().order_line.order
        result = adapters.payment_provider().refund(
            idempotency_key=refund.idempotency_key,
            amount=refund.amount,
            currency=refund.currency,
            order_number=order.number,
        )
        refund.status = Refund.Status.PAID
        refund.provider_reference = result.reference
        refund.paid_at = timezone.now()
        refund.save()
        _event(
            refund.case,
            kind=CaseEvent.Kind.REFUND,
            amount=str(refund.amount),
            currency=refund.currency,
            reference=result.reference,
        )
        notifications.notification_queue(case=refund.case, event="refunded")
    return refund


@transaction.atomic
def case_close(*, case: ReturnCase, actor) -> ReturnCase:
    _transition(case, "close", actor=actor)
    return case


@transaction.atomic
def case_cancel(*, case: ReturnCase, actor=None) -> ReturnCase:
    """Cancel before the parcel is on its way; ``actor=None`` means the customer cancelled."""
    _transition(
        case, "cancel", actor=actor, role="customer" if actor is None else "agent", check_perm=actor is not None
    )
    return case


AGENT_ACTIONS = {
    "approve": case_approve,
    "mark_in_transit": case_mark_in_transit,
    "mark_received": case_mark_received,
    "refund": case_refund,
    "close": case_close,
    "cancel": case_cancel,
}
