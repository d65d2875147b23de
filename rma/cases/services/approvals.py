"""Four-eyes approvals: what an agent may not give alone waits for a supervisor, who approves or declines it."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import ApprovalRequest, Compensation, Refund, ReturnCase
from rma.cases.services import money
from rma.cases.services.errors import CaseAboveLimit, CaseConflict, CaseInvalid, CasePermissionDenied
from rma.cases.services.workflow import holder_check


@transaction.atomic
def goodwill_request(
    *, case: ReturnCase, actor: Staff, kind: str, amount: Decimal = Decimal(0), note: str = "", token: str,
    currency: str = "",
) -> Compensation | ApprovalRequest:  # fmt: skip
    """Give a goodwill gesture, or, when it is above this person's limit (per case or per day), ask a supervisor:
    an approval request waits in their queue. Above what the case may pay out at all it is refused. On a case
    another agent holds, take it over first."""
    money.case_lock(case)
    holder_check(case, actor=actor, transition="goodwill")
    try:
        with transaction.atomic():
            return money.compensation_grant(
                case=case, actor=actor, kind=kind, amount=amount, note=note, token=token, currency=currency
            )
    except CaseAboveLimit:
        if not actor.has_perm("rma.process_case"):
            raise
    amount = money.amount_clean(case, amount, currency=currency)
    return money.approval_request_create(
        case, actor=actor, kind=ApprovalRequest.Kind.GOODWILL, amount=amount,
        request={"kind": kind, "note": note.strip(), "token": token}, reason=note.strip(), key=f"approval:{token}",
    )  # fmt: skip


def approval_decide(*, approval: ApprovalRequest, actor: Staff, approve: bool, reason: str) -> ApprovalRequest:
    """A supervisor approves (the money moves now, the limit waived but never the case's payout cap) or declines
    a request, with a reason; both land on the timeline. Nobody decides their own request."""
    if not actor.has_perm("rma.supervise_case"):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    reason = reason.strip()
    if not reason:
        raise CaseInvalid(_("Give a reason for your decision."))
    with transaction.atomic():
        case = money.case_lock(approval.case)
        approval = ApprovalRequest.objects.select_for_update().get(pk=approval.pk)
        if approval.status != ApprovalRequest.Status.PENDING:
            raise CaseConflict(_("This request has already been decided."))
        if approval.requested_by_id == actor.pk:
            raise CasePermissionDenied(_("You cannot approve or decline your own request."))
        if approve:
            request = approval.request
            if approval.kind == ApprovalRequest.Kind.GOODWILL:
                money.compensation_grant(
                    case=case, actor=actor, kind=request["kind"], amount=approval.amount, note=request.get("note", ""),
                    token=request["token"], approved=True,
                )  # fmt: skip
            else:
                money.case_refund(
                    case=case, actor=actor, amount=approval.amount, kind=request.get("kind", Refund.Kind.REFUND),
                    reason=approval.reason, approval=approval,
                )  # fmt: skip
        approval.status = ApprovalRequest.Status.APPROVED if approve else ApprovalRequest.Status.DECLINED
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.decision_reason = reason
        approval.save()
        events.publish(
            events.ApprovalDecided(
                case=case, actor=actor, role="agent", request_kind=approval.kind, amount=str(approval.amount),
                currency=approval.currency, approved=approve, reason=reason, approval_id=approval.id,
            )
        )  # fmt: skip
    return approval
