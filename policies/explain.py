"""Render decision steps (message codes with parameters) as sentences in the active language."""

import datetime

from django.utils.translation import gettext_lazy as _

from returns_portal.formatting import format_date

from .rules import Step
from .taxonomy import Category, ShippingPayer

MESSAGES = {
    "not_delivered": _("This item has not been delivered yet, so a return cannot be filed for it now."),
    "no_statutory_withdrawal": _("The law of your country gives no right to return goods for a change of mind."),
    "statutory_exception": _("The legal right of withdrawal does not cover this kind of item (%(category)s)."),
    "statutory_withdrawal": _("The law gives you %(days)s days to withdraw from the purchase, until %(deadline)s."),
    "sealed_only": _("Items of this kind (%(category)s) can only be returned while still sealed."),
    "merchant_window": _("The shop's return policy allows returns for %(days)s days, until %(deadline)s."),
    "merchant_no_change_of_mind": _("The shop's return policy in your region does not accept change-of-mind returns."),
    "basis_chosen": _("The more favourable rule applies: %(basis)s."),
    "shipping_payer": _("Return shipping is paid by: %(payer)s."),
    "legal_guarantee": _("The legal guarantee covers faults for %(months)s months, until %(deadline)s."),
    "summary_statutory_withdrawal": _(
        "You can return this item until %(deadline)s under your legal right of withdrawal."
    ),
    "summary_merchant_policy": _("You can return this item until %(deadline)s under the shop's return policy."),
    "summary_expired": _("The return period for this item ended on %(deadline)s."),
    "summary_exception": _("This item (%(category)s) cannot be returned for a change of mind."),
    "summary_no_change_of_mind": _("This item can only be returned if it is faulty, damaged or not what you ordered."),
    "summary_fault_legal_guarantee": _("A fault in this item is covered by the legal guarantee until %(deadline)s."),
    "summary_fault_merchant_policy": _("A fault in this item is covered by the shop's policy until %(deadline)s."),
    "summary_fault_review": _("A fault in this item is covered by law; an agent will review your claim."),
    "summary_fault_expired": _("The guarantee for this item ended on %(deadline)s."),
}

BASIS_LABELS = {
    "statutory_withdrawal": _("legal right of withdrawal"),
    "legal_guarantee": _("legal guarantee"),
    "merchant_policy": _("the shop's return policy"),
    "none": _("none"),
}


def _param(name: str, value):
    if name == "deadline" and value:
        return format_date(datetime.date.fromisoformat(value), "long")
    if name == "category":
        return str(Category(value).label) if value in Category.values else value
    if name == "payer":
        return str(ShippingPayer(value).label)
    if name == "basis":
        return str(BASIS_LABELS.get(value, value))
    return value


def render_step(step: Step | dict) -> str:
    """One step as a sentence in the active language."""
    if isinstance(step, dict):
        step = Step.from_dict(step)
    template = MESSAGES[step.code]
    return str(template) % {name: _param(name, value) for name, value in step.params}


def render_explanation(steps) -> list[dict]:
    """Steps as ``{"code", "text", "reference"}`` in the active language."""
    rendered = []
    for step in steps:
        if isinstance(step, dict):
            step = Step.from_dict(step)
        rendered.append({"code": step.code, "text": render_step(step), "reference": step.reference})
    return rendered
