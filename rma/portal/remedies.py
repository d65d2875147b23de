"""What each remedy a customer may ask for means, said next to the choice on the return form."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from policies.taxonomy import Basis
from policies.taxonomy import Resolution as InSentence
from returns_portal.formatting import format_list
from rma.cases.models import Resolution
from rma.cases.services.cases import FAULT_ONLY_RESOLUTIONS


@dataclass(frozen=True)
class RemedyOption:
    code: str
    label: str
    note: str


def remedy_note(code: str, decision) -> str:
    if code == Resolution.REFUND:
        return _("Your money goes back to the payment method you used.")
    if code == Resolution.STORE_CREDIT:
        if decision is not None and decision.store_credit_bonus_percent:
            return _("Credit to spend in the shop, with a bonus of %(percent)s%%.") % {
                "percent": decision.store_credit_bonus_percent
            }
        return _("Credit to spend in the shop.")
    if code == Resolution.EXCHANGE:
        return _("Another size, colour or product instead of this one.")
    free = decision is not None and decision.basis == Basis.LEGAL_GUARANTEE
    if code == Resolution.REPAIR:
        if free:
            return _("We repair the item and send it back to you, free of charge under the legal guarantee.")
        return _("We repair the item and send it back to you.")
    if code == Resolution.REPLACEMENT:
        if free:
            return _("We send you the same item again, free of charge under the legal guarantee.")
        return _("We send you the same item again, in working order.")
    return ""


def remedy_options(offered, decision) -> list[RemedyOption]:
    return [RemedyOption(code, str(Resolution(code).label), remedy_note(code, decision)) for code in offered]


def remedies_withheld(offered, *, change_of_mind: bool) -> list[str]:
    """What is not offered for this item and reason, and why, in a sentence or two; empty when all is."""
    if not offered:
        return []
    missing = [code for code in Resolution.values if code not in offered]
    sentences = []
    if change_of_mind and any(code in FAULT_ONLY_RESOLUTIONS for code in missing):
        sentences.append(_("Repair and replacement are only for faulty, damaged or wrong items."))
        missing = [code for code in missing if code not in FAULT_ONLY_RESOLUTIONS]
    if missing:
        sentences.append(
            _("Not offered for this item and reason under the shop's policy and the law: %(choices)s.")
            % {"choices": format_list([InSentence(code).label for code in missing])}
        )
    return sentences
