"""Pure rules of the case workflow: which settlements fit a case, and who may act on a case someone holds.

No database, no clock, no translation: the facts come in as frozen dataclasses (``facts_from_case`` builds
them from a case's prefetched items) and the answers are codes. The services enforce these rules (a forged
POST is refused with a translated message, ``rma.cases.services.settlement``), and the workspace offers only
what they allow (``rma.workspace.actions``), so the page and the service cannot disagree.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from policies.taxonomy import CHANGE_OF_MIND_REASONS, Reason

# The settlement transitions of ``ReturnCase`` and the customer's wish each one carries out.
SETTLEMENTS = {
    "refund": "refund",
    "credit": "store_credit",
    "exchange": "exchange",
    "mark_repaired": "repair",
    "replace": "replacement",
}
# A fault the shop answers for with a repair: the item does not work, or not as promised, or broke on the way.
REPAIRABLE_REASONS = frozenset({Reason.DEFECTIVE, Reason.NOT_AS_DESCRIBED, Reason.DAMAGED_IN_TRANSIT})
# The shop sent the wrong thing: a replacement (or an exchange) fits even though the item comes back as new.
WRONG_ITEM_REASONS = frozenset({Reason.WRONG_ITEM})
# A size that did not fit: swapping it for another one is what an exchange is for.
SWAP_REASONS = frozenset({Reason.TOO_SMALL, Reason.TOO_LARGE, Reason.WRONG_ITEM})

# Why a settlement does not fit (the services translate each code into a sentence).
NO_FAULT = "no_fault"  # a repair or replacement of goods the customer only did not want
FAULT_NOT_FOUND = "fault_not_found"  # the warehouse found no fault in the item
CUSTOMER_FAULT = "customer_fault"  # the damage was caused by the customer: the guarantee does not cover it
NOT_WISHED = "not_wished"  # store credit or an exchange the customer did not ask for

# Workflow steps anyone allowed may take on a case another agent holds: the parcel's handling (the
# warehouse and the carrier work for every agent), and asking a supervisor for help (or, for the
# supervisor, handing an escalated case back). Every other step needs the case taken over first.
HOLDER_FREE_TRANSITIONS = frozenset({"mark_in_transit", "mark_received", "complete_inspection", "escalate",
                                     "deescalate"})  # fmt: skip


@dataclass(frozen=True)
class ItemFacts:
    reason: str
    wish: str  # the resolution the customer chose at filing
    inspected: bool = False
    grade: str = ""
    fault_found: bool = False
    customer_fault: bool = False


@dataclass(frozen=True)
class SettlementFacts:
    items: tuple[ItemFacts, ...]


def settlement_refusal(facts: SettlementFacts, transition: str) -> str | None:
    """Why this settlement does not fit the case (a code above), or None when it fits.

    - A refund always fits: money back is the remedy the law falls back on for every kind of case.
    - Store credit fits when the customer chose it, or chose an exchange (credit is the exchange's fallback
      when the wished item cannot be sent). It is never imposed on a customer who asked for their money.
    - An exchange fits when the customer chose one, or the size or the item was wrong.
    - A repair fits a reported fault (not a wrong item) the inspection confirmed, not caused by the customer.
    - A replacement fits a wrong item, or a reported fault the inspection confirmed, not caused by the customer.

    Goods that were not inspected (a delivery claim where nothing comes back) are judged on the claim.
    """
    if transition not in SETTLEMENTS or transition == "refund" or not facts.items:
        return None
    wishes = {item.wish for item in facts.items}
    if transition == "credit":
        return None if wishes & {"store_credit", "exchange"} else NOT_WISHED
    if transition == "exchange":
        if "exchange" in wishes or all(item.reason in SWAP_REASONS for item in facts.items):
            return None
        return NOT_WISHED
    repair = transition == "mark_repaired"
    for item in facts.items:
        wrong_item = item.reason in WRONG_ITEM_REASONS
        if item.reason in CHANGE_OF_MIND_REASONS or (repair and wrong_item):
            return NO_FAULT
        if item.inspected and item.customer_fault:
            return CUSTOMER_FAULT
        if item.inspected and not item.fault_found and not (wrong_item and not repair):
            return FAULT_NOT_FOUND
    return None


def settlements_fitting(facts: SettlementFacts) -> frozenset[str]:
    """The settlement transitions that fit the case."""
    return frozenset(name for name in SETTLEMENTS if settlement_refusal(facts, name) is None)


def takeover_needed(*, transition: str, assignee_id: int | None, actor_id: int | None) -> bool:
    """Whether this person must take the case over before this step: someone else holds it, and the step is
    not one anyone may take (``HOLDER_FREE_TRANSITIONS``). The customer and the system (no actor) never do."""
    if actor_id is None or assignee_id is None or assignee_id == actor_id:
        return False
    return transition not in HOLDER_FREE_TRANSITIONS


def facts_from_case(case) -> SettlementFacts:
    """The facts of a case's items (reads ``case.items.all()`` and each item's inspection: prefetch them)."""
    items = []
    for item in case.items.all():
        inspection = _inspection(item)
        items.append(
            ItemFacts(
                reason=item.reason,
                wish=item.resolution,
                inspected=inspection is not None,
                grade=inspection.grade if inspection is not None else "",
                fault_found=bool(inspection and inspection.fault_found),
                customer_fault=bool(inspection and inspection.customer_fault),
            )
        )
    return SettlementFacts(items=tuple(items))


def _inspection(item):
    try:
        return item.inspection
    except ObjectDoesNotExist:  # not inspected yet
        return None
