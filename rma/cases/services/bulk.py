"""Bulk actions from the queue: each case goes through its own service, so permissions and the workflow apply."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from rma.cases.events import Staff
from rma.cases.models import ReturnCase
from rma.cases.services.assignment import case_assign, case_claim
from rma.cases.services.cases import case_approve, case_close, case_mark_received
from rma.cases.services.errors import CaseError, CaseInvalid, CasePermissionDenied

# The permission a person needs before a bulk action is tried at all (each service checks again).
BULK_PERMISSIONS = {
    "assign": "rma.process_case",
    "approve": "rma.decide_case",
    "mark_received": "rma.process_case",
    "close": "rma.process_case",
}
MAX_BULK = 500
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass
class BulkResult:
    action: str
    done: list[str] = field(default_factory=list)  # RMA numbers
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what was given, why it was skipped)


def references_parse(text: str) -> list[str]:
    """RMA or tracking numbers pasted or scanned one per line (or separated by spaces, commas, semicolons)."""
    seen, result = set(), []
    for token in _SEPARATORS.split(text or ""):
        token = token.strip().upper()
        if token and token not in seen:
            seen.add(token)
            result.append(token)
    return result


def _resolve(references: list[str]) -> tuple[list[tuple[str, ReturnCase]], list[tuple[str, str]]]:
    cases = list(
        ReturnCase.objects.filter(Q(rma_number__in=references) | Q(shipment__tracking_number__in=references))
        .select_related("shipment")
        .order_by("id")
    )
    by_reference = {}
    for case in cases:
        by_reference[case.rma_number] = case
        shipment = getattr(case, "shipment", None)
        if shipment is not None:
            by_reference[shipment.tracking_number.upper()] = case
    found, missing, taken = [], [], set()
    for reference in references:
        case = by_reference.get(reference)
        if case is None:
            missing.append((reference, _("No case has this RMA or tracking number.")))
        elif case.pk in taken:
            missing.append((reference, _("Listed twice: done once.")))
        else:
            taken.add(case.pk)
            found.append((reference, case))
    return found, missing


def _approve_eligible(case: ReturnCase, actor: Staff) -> None:
    if case.region_fallback or case.items.filter(eligible=False).exists():
        raise CaseInvalid(_("Not every item is eligible: decide this case on its page."))
    case_approve(case=case, actor=actor)


def cases_bulk(*, actor: Staff, action: str, references: list[str], assignee: Staff | None = None) -> BulkResult:
    """Run ``action`` on each case an RMA or tracking number names; list what was skipped and why.

    Each case is its own transaction: one refused case does not undo the others.
    """
    if action not in BULK_PERMISSIONS:
        raise CaseInvalid(_("Choose what to do with the selected cases."))
    if not actor.has_perm(BULK_PERMISSIONS[action]):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    if not references:
        raise CaseInvalid(_("Select cases in the list, or paste or scan their RMA or tracking numbers."))
    if len(references) > MAX_BULK:
        raise CaseInvalid(_("At most %(count)s cases at once, please.") % {"count": MAX_BULK})
    if action == "assign" and assignee is None:
        raise CaseInvalid(_("Choose who gets the cases."))
    found, skipped = _resolve(references)
    result = BulkResult(action=action, skipped=skipped)
    for reference, case in found:
        try:
            if action == "assign":
                if assignee.pk == actor.pk and not actor.has_perm("rma.supervise_case"):
                    case_claim(case=case, actor=actor)
                else:
                    case_assign(case=case, actor=actor, assignee=assignee)
            elif action == "approve":
                _approve_eligible(case, actor)
            elif action == "mark_received":
                case_mark_received(case=case, actor=actor)
            else:
                case_close(case=case, actor=actor)
        except CaseError as exc:
            result.skipped.append((reference, str(exc)))
        else:
            result.done.append(case.rma_number)
    return result
