"""Deadlines of a case: the shop's SLA clocks and the statutory refund due date, and the sweep over them."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from policies.law import jurisdiction_for
from rma.cases import events
from rma.cases.models import CaseStatus, ReturnCase
from rma.cases.services import exchanges
from rma.cases.services.errors import CaseError
from rma.cases.services.workflow import transition_run


def sla_hours(name: str) -> int:
    return settings.SLA_HOURS[name]


def sla_start(case: ReturnCase, *, now=None) -> None:
    """Set the clocks that start when a case is filed (fields only; the caller saves)."""
    now = now or timezone.now()
    case.first_response_due_at = now + datetime.timedelta(hours=sla_hours("first_response"))
    case.decision_due_at = now + datetime.timedelta(hours=sla_hours("decision"))
    case.statutory_refund_due_on = statutory_refund_due(case, filed_on=timezone.localdate(now))


def statutory_refund_due(case: ReturnCase, *, filed_on=None, received_on=None):
    """The date by which the law wants the money back, for a withdrawal; None when the law sets none yet."""
    if not case.items.filter(basis="statutory_withdrawal").exists():
        return None
    law = jurisdiction_for(case.country)
    if not law.refund_due_days:
        return None
    if law.refund_due_from == "withdrawal_notice" and filed_on:
        return filed_on + datetime.timedelta(days=law.refund_due_days)
    if received_on and law.refund_due_from in {"goods_received", "goods_received_or_proof_of_sending"}:
        return received_on + datetime.timedelta(days=law.refund_due_days)
    return None


def sla_mark_response(case: ReturnCase, *, now=None) -> None:
    if case.first_responded_at is None:
        case.first_responded_at = now or timezone.now()


def sla_on_received(case: ReturnCase, *, now=None) -> None:
    now = now or timezone.now()
    case.received_at = now
    case.refund_due_at = now + datetime.timedelta(hours=sla_hours("refund_after_receipt"))
    due = statutory_refund_due(case, received_on=timezone.localdate(now))
    if due and (case.statutory_refund_due_on is None or due > case.statutory_refund_due_on):
        case.statutory_refund_due_on = due


@transaction.atomic
def case_expire(*, case: ReturnCase) -> ReturnCase:
    """The label was never used within its validity (rma.logistics finds these): the case expires."""
    transition_run(case, "expire", actor=None, role="system", check_perm=False)
    exchanges.stock_release(case=case)
    events.publish(events.CaseExpired(case=case))
    return case


def sla_sweep(*, now=None) -> dict:
    """Escalate cases whose decision or refund is overdue; move refund deadlines the law lets the shop hold
    until the goods arrive. Safe to run any number of times. (Unused labels expire in rma.logistics.sweeps.)"""
    now = now or timezone.now()
    counts = {"escalated": 0, "deadline_moved": 0}
    overdue_decision = ReturnCase.objects.filter(
        status__in=[CaseStatus.REQUESTED, CaseStatus.NEEDS_INFO], decided_at__isnull=True, decision_due_at__lt=now
    )
    overdue_refund = ReturnCase.objects.filter(
        status__in=[CaseStatus.RECEIVED, CaseStatus.INSPECTED], resolved_at__isnull=True, refund_due_at__lt=now
    )
    for case_id in list(overdue_decision.values_list("id", flat=True)) + list(
        overdue_refund.values_list("id", flat=True)
    ):
        with transaction.atomic():
            case = ReturnCase.objects.select_for_update().get(pk=case_id)
            try:
                transition_run(case, "escalate", actor=None, role="system", check_perm=False)
            except CaseError:
                continue  # changed meanwhile: nothing to escalate
            events.publish(events.SlaMissed(case=case, clock="decision" if case.decided_at is None else "refund"))
            counts["escalated"] += 1

    # The trader may withhold the refund until the goods (or proof of sending) arrive (CRD Art. 13(3)):
    # when the date passes with the parcel still on its way, the deadline becomes "on receipt".
    today = timezone.localdate(now)
    waiting = ReturnCase.objects.filter(
        statutory_refund_due_on__lt=today,
        received_at__isnull=True,
        status__in=[CaseStatus.APPROVED, CaseStatus.LABEL_ISSUED, CaseStatus.IN_TRANSIT],
    )
    for case_id in waiting.values_list("id", flat=True):
        with transaction.atomic():
            case = ReturnCase.objects.select_for_update().get(pk=case_id)
            if case.statutory_refund_due_on is None or case.received_at:
                continue
            previous = case.statutory_refund_due_on
            case.statutory_refund_due_on = None
            case.save(update_fields=["statutory_refund_due_on", "updated_at"])
            events.publish(events.RefundDeadlineMoved(case=case, previous=previous.isoformat()))
            counts["deadline_moved"] += 1
    return counts
