"""Inspection on receipt, per item, with deductions the customer sees; partial-refund offers."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import (
    CaseStatus,
    Deduction,
    DeductionReason,
    Inspection,
    InspectionPhoto,
    ReturnCase,
    ReturnItem,
)
from rma.cases.services.errors import CaseInvalid, CasePermissionDenied
from rma.cases.services.workflow import not_allowed, transition_run


def item_inspect(
    *,
    item: ReturnItem,
    actor: Staff,
    grade: str,
    disposition: str,
    complete: bool = True,
    customer_fault: bool = False,
    fault_found: bool = False,
    notes: str = "",
    photos=(),
    deductions: list[tuple[str, Decimal]] = (),
) -> Inspection:
    """Record what was found in one received item. When the last item is inspected, the case is too."""
    if not actor.has_perm("rma.process_case"):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic():
        case = ReturnCase.objects.select_for_update().get(pk=item.case_id)
        item = ReturnItem.objects.select_for_update().select_related("order_line__order").get(pk=item.pk)
        if case.status != CaseStatus.RECEIVED or item.status != ReturnItem.Status.RECEIVED:
            raise not_allowed(case)
        order = item.order_line.order
        deductions = [(reason, Decimal(str(amount))) for reason, amount in deductions]
        total = sum((amount for _reason, amount in deductions), Decimal(0))
        if total > item.amount - item.restocking_fee:
            raise CaseInvalid(_("Deductions cannot be more than the item's price."))
        for reason, amount in deductions:
            if amount <= 0:
                raise CaseInvalid(_("A deduction must be a positive amount."))
            if (reason == DeductionReason.RESTOCKING_FEE and item.restocking_fee) or (
                reason == DeductionReason.RETURN_SHIPPING_FEE and case.shipping_fee
            ):
                # The fee quoted at filing is already kept back (rma.cases.services.quote): never twice.
                raise CaseInvalid(_("This fee was already kept back when the return was filed."))
            if reason == DeductionReason.DIMINISHED_VALUE and not order.withdrawal_info_given:
                # CRD Art. 14(2): no liability for diminished value if the trader did not inform of the right.
                raise CaseInvalid(
                    _(
                        "No deduction for diminished value is allowed: the customer was not informed of the "
                        "right of withdrawal (Directive 2011/83/EU Art. 14(2))."
                    )
                )
        inspection = Inspection(
            item=item,
            grade=grade,
            disposition=disposition,
            complete=complete,
            customer_fault=customer_fault,
            fault_found=fault_found,
            notes=notes.strip(),
            inspected_by=actor,
        )
        inspection.full_clean(exclude=["item"])
        inspection.save()
        for photo in photos:
            InspectionPhoto.objects.create(inspection=inspection, image=photo)
        for reason, amount in deductions:
            Deduction.objects.create(item=item, reason=reason, amount=amount, created_by=actor)
            events.publish(
                events.DeductionMade(case=case, actor=actor, role="agent", item=item.order_line.name,
                                     reason=reason, amount=str(amount), currency=order.currency)
            )  # fmt: skip
        item.status = ReturnItem.Status.INSPECTED
        item.save(update_fields=["status"])
        events.publish(events.ItemInspected(case=case, actor=actor, role="agent", item=item.order_line.name,
                                            grade=grade, disposition=disposition))  # fmt: skip
        if not case.items.exclude(status=ReturnItem.Status.INSPECTED).exists():
            transition_run(case, "complete_inspection", actor=actor)
            deductions = [
                {"amount": str(d.amount), "currency": d.item.order_line.order.currency, "item": d.item.order_line.name,
                 "reason": d.reason}
                for d in Deduction.objects.filter(item__case=case).select_related("item__order_line__order")
            ]  # fmt: skip
            events.publish(events.InspectionCompleted(case=case, actor=actor, role="agent", deductions=deductions))
    return inspection


@transaction.atomic
def case_offer_partial_refund(*, case: ReturnCase, actor: Staff, amount: Decimal, reason: str) -> ReturnCase:
    """Offer the customer a partial refund (e.g. the item came back worn); the customer accepts or refuses."""
    from rma.cases.services.money import refundable_total

    if amount <= 0 or amount > refundable_total(case):
        raise CaseInvalid(_("The offer must be more than zero and at most what the customer paid for the items."))
    if reason not in DeductionReason.values:
        raise CaseInvalid(_("Choose the reason for the partial refund."))
    transition_run(case, "offer_partial_refund", actor=actor, amount=amount, reason=reason)
    events.publish(events.OfferMade(case=case, actor=actor, role="agent"))
    return case


@transaction.atomic
def case_answer_offer(*, case: ReturnCase, customer_id: int, accept: bool) -> ReturnCase:
    """The customer accepts the offered amount (an agent then pays it) or refuses (a supervisor decides)."""
    if case.customer_id != customer_id:
        raise CaseInvalid(_("No such return."))
    transition_run(case, "accept_offer" if accept else "refuse_offer", actor=None, role="customer", check_perm=False)
    events.publish(events.OfferAnswered(case=case, role="customer", accepted=accept))
    return case
