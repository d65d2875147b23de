"""Render decision steps (message codes with parameters) as sentences in the active language."""

import datetime
from decimal import Decimal, InvalidOperation

from babel.lists import format_list
from django.utils.translation import gettext_lazy as _

from returns_portal.formatting import babel_locale, format_date, format_money, format_number

from .rules import Step
from .taxonomy import Basis, Category, Condition, PolicyCondition, Resolution, ReturnMethod, ShippingPayer

MESSAGES = {
    # Change of mind: the statute.
    "not_delivered": _("This item has not been delivered yet, so a return cannot be filed for it now."),
    "no_statutory_withdrawal": _("The law of your country gives no right to return goods for a change of mind."),
    "statutory_exception": _("The legal right of withdrawal does not cover this kind of item (%(category)s)."),
    "statutory_condition_bar": _("The legal right of withdrawal does not cover an item returned %(condition)s."),
    "statutory_withdrawal": _("The law gives you %(days)s days to withdraw from the purchase, until %(deadline)s."),
    "no_terms_withdrawal": _(
        "Because the shop did not display its own return terms, the law lets you return the item within "
        "%(days)s days, until %(deadline)s."
    ),
    "withdrawal_from_last_item": _("The withdrawal period runs from the delivery of the last item of your order."),
    "deadline_moved": _(
        "The last day of the period falls on a weekend or public holiday, so it moves to the next working day, "
        "%(deadline)s."
    ),
    "withdrawal_not_informed": _(
        "The shop did not tell you about your right of withdrawal, so the period is extended by %(months)s months, "
        "until %(deadline)s."
    ),
    "withdrawal_informed_late": _(
        "The shop told you about your right of withdrawal late, so you have %(days)s days from then, "
        "until %(deadline)s."
    ),
    "not_informed_shop_pays_shipping": _(
        "The shop did not tell you that you would pay for sending the item back, so the shop pays for it."
    ),
    "statutory_condition_bar_category": _(
        "The legal right of withdrawal does not cover an item of this kind (%(category)s) returned %(condition)s."
    ),
    "exception_not_made_clear": _(
        "Items of this kind (%(category)s) are excluded from the right of withdrawal only if the shop made that "
        "clear before the purchase, which it did not, so the right applies."
    ),
    "sealed_only": _("Items of this kind (%(category)s) can only be returned while still sealed."),
    "diminished_value": _(
        "The shop may deduct from the refund any loss in value caused by handling the item more than was "
        "needed to check it."
    ),
    # Change of mind: the merchant policy.
    "merchant_window": _("The shop's return policy allows returns for %(days)s days, until %(deadline)s."),
    "merchant_window_from_order": _(
        "The shop's return policy allows returns for %(days)s days from the order date, until %(deadline)s."
    ),
    "merchant_no_change_of_mind": _("The shop's return policy in your region does not accept change-of-mind returns."),
    "merchant_excluded_category": _(
        "The shop's return policy does not accept returns of this kind of item (%(category)s)."
    ),
    "merchant_condition_not_met": _("The shop's return policy only accepts items that are %(condition)s."),
    "merchant_conditions": _("Under the shop's return policy, items must be returned %(conditions)s."),
    "policy_rule": _("A special rule of the shop's return policy applies: %(rule)s (priority %(priority)s)."),
    "basis_chosen": _("The more favourable rule applies: %(basis)s."),
    # What the customer gets and pays.
    "shipping_payer": _("Return shipping is paid by: %(payer)s."),
    "shipping_payer_customer": _("You pay the return shipping."),
    "shipping_payer_merchant": _("The shop pays the return shipping."),
    "shipping_payer_shared": _("You and the shop share the cost of the return shipping."),
    "shipping_shared": _("You pay %(percent)s%% of the return shipping and the shop pays the rest."),
    "free_return_order_value": _("Return shipping is free because your order is worth at least %(amount)s."),
    "free_return_first": _("Return shipping is free for your first return."),
    "shipping_shop_at_fault": _("The shop pays for sending a faulty or wrong item back."),
    "restocking_fee": _("A restocking fee of %(percent)s%% of the price is deducted from the refund."),
    "no_restocking_fee_statutory": _("No restocking fee is charged while your legal right of withdrawal applies."),
    "resolutions": _("You can choose %(resolutions)s."),
    "store_credit_bonus": _("Store credit comes with a bonus of %(percent)s%%."),
    "refund_due_withdrawal_notice": _(
        "The refund is due within %(days)s days of telling the shop you are withdrawing."
    ),
    "refund_due_goods_received_or_proof_of_sending": _(
        "The refund is due within %(days)s days of the shop receiving the item back or your proof of sending it, "
        "whichever is earlier."
    ),
    "refund_due_goods_received": _("The refund is due within %(days)s days of the shop receiving the item back."),
    "refund_due_business_goods_received": _(
        "The refund is due within %(days)s business days of the shop receiving the item back."
    ),
    "refund_due_immediately": _("The refund, including what you paid for delivery, is due immediately."),
    "refund_due_rejection_agreed": _(
        "The refund is due within %(days)s days of the shop agreeing that you rightly rejected the item."
    ),
    "refund_withheld": _("The shop may wait to refund until it has the item back or your proof of sending it."),
    "merchant_refund_promise": _("The shop promises to refund within %(days)s days of receiving the item."),
    "return_methods": _("You can send the item back through %(methods)s."),
    "manual_review": _("An agent will review this return before it is approved."),
    # Faults.
    "legal_guarantee": _("The legal guarantee covers faults for %(months)s months, until %(deadline)s."),
    "presumption": _(
        "Until %(deadline)s a fault is presumed to have existed at delivery, so you do not have to prove it."
    ),
    "presumption_ended": _("Since %(deadline)s you may be asked to show that the fault existed at delivery."),
    "short_term_reject": _(
        "You can reject faulty goods for a full refund within %(days)s days of delivery, until %(deadline)s."
    ),
    "not_as_advertised": _(
        "Goods that differ from their description or from the contract can be returned within %(months)s months "
        "of delivery, until %(deadline)s, and within %(days)s days of noticing the difference."
    ),
    "fault_return_window": _(
        "Goods with a quality problem can be returned within %(days)s days of receipt, until %(deadline)s."
    ),
    "apparent_defect": _("A visible fault must be reported within %(days)s days of delivery, until %(deadline)s."),
    "notification_duty": _(
        "Tell the shop about a fault within %(months)s months of discovering it; the law of your country may "
        "otherwise not let you rely on it."
    ),
    "limitation_from_delivery": _(
        "A claim about a fault must be brought to court within %(months)s months of delivery, by %(deadline)s."
    ),
    "limitation_from_discovery": _(
        "A claim about a fault must be brought to court within %(months)s months of discovering the fault."
    ),
    "limitation_from_notification": _(
        "A claim about a fault must be brought to court within %(months)s months of telling the shop about it."
    ),
    "review_expected_lifespan": _(
        "The law of your country sets no fixed period for faults: the shop answers for them as long as goods of "
        "this kind can be expected to last, so an agent reviews your claim."
    ),
    "review_long_life": _(
        "The law of your country gives %(months)s months for goods meant to last substantially longer than two "
        "years, so an agent checks whether this item is one of them."
    ),
    "commercial_warranty": _("The shop's own warranty covers faults for %(months)s months, until %(deadline)s."),
    "remedies": _("The law offers these remedies, in this order: %(remedies)s."),
    # Summaries: one sentence for the portal and the agent's case page.
    "summary_statutory_withdrawal": _(
        "You can return this item until %(deadline)s under your legal right of withdrawal."
    ),
    "summary_merchant_policy": _("You can return this item until %(deadline)s under the shop's return policy."),
    "summary_expired": _("The return period for this item ended on %(deadline)s."),
    "summary_exception": _("This item (%(category)s) cannot be returned for a change of mind."),
    "summary_no_change_of_mind": _("This item can only be returned if it is faulty, damaged or not what you ordered."),
    "summary_fault_legal_guarantee": _("A fault in this item is covered by the legal guarantee until %(deadline)s."),
    "summary_fault_merchant_policy": _("A fault in this item is covered by the shop's policy until %(deadline)s."),
    "summary_fault_short_term_reject": _(
        "You can reject this item for a full refund until %(deadline)s; after that the legal guarantee still applies."
    ),
    "summary_fault_statutory_withdrawal": _(
        "You can return this item until %(deadline)s because it is not what was described or agreed."
    ),
    "summary_fault_commercial_warranty": _(
        "A fault in this item is covered by the shop's warranty until %(deadline)s."
    ),
    "summary_fault_review": _("A fault in this item is covered by law; an agent will review your claim."),
    "summary_fault_expired": _("The guarantee for this item ended on %(deadline)s."),
    # The legal floor under a draft policy (policies.floor).
    "floor_no_change_of_mind": _(
        "The law of %(country)s gives customers %(days)s days to withdraw for a change of mind, so this region's "
        "policy must accept change-of-mind returns (%(article)s)."
    ),
    "floor_window_short": _(
        "The return window of %(window)s days is shorter than the %(days)s days the law of %(country)s gives "
        "(%(article)s)."
    ),
    "floor_window_from_order": _(
        "The law of %(country)s counts the withdrawal period from delivery, so the window cannot start at the "
        "order date (%(article)s)."
    ),
    "floor_excluded_category": _(
        "%(category)s cannot be excluded from change-of-mind returns: it is not among the exceptions the law of "
        "%(country)s allows (%(article)s)."
    ),
    "floor_refund_missing": _(
        "The law of %(country)s requires a refund of the price after a withdrawal, so a refund to the original "
        "payment method must be offered (%(article)s)."
    ),
    "floor_refund_days": _(
        "The promised refund time of %(promised)s days is longer than the %(days)s days the law of %(country)s "
        "allows (%(article)s)."
    ),
    "floor_rule_window_short": _(
        "Rule %(rule)s (priority %(priority)s) sets a window of %(window)s days, shorter than the %(days)s days "
        "the law of %(country)s gives (%(article)s)."
    ),
    "floor_rule_no_refund": _(
        "Rule %(rule)s (priority %(priority)s) leaves out the refund the law of %(country)s requires after a "
        "withdrawal (%(article)s)."
    ),
    # The public policy page (policies.summary): the law and the policy in general terms.
    "page_withdrawal": _(
        "You can withdraw from a purchase within %(days)s days of receiving the goods, without giving a reason."
    ),
    "page_no_terms": _(
        "The law gives a right to return goods within %(days)s days only where a shop displays no return terms; "
        "this shop displays its terms below."
    ),
    "page_exceptions": _("The right of withdrawal does not cover %(categories)s."),
    "page_sealed_exceptions": _("These items are covered only while still sealed: %(categories)s."),
    "page_condition_bars": _("The right of withdrawal does not cover items that are %(item_conditions)s."),
    "page_cost_customer": _("If you withdraw, you pay the direct cost of sending the goods back."),
    "page_cost_merchant": _("If you withdraw, the shop pays for sending the goods back."),
    "page_guarantee": _("The legal guarantee covers faults present at delivery for %(months)s months."),
    "page_presumption": _(
        "During the first %(months)s months a fault is presumed to have existed at delivery, so you do not have "
        "to prove it."
    ),
    "page_expected_lifespan": _(
        "The law sets no fixed period for faults: the shop answers for faults present at delivery for as long as "
        "goods of the kind can be expected to last."
    ),
    "page_long_life": _(
        "For goods meant to last substantially longer, faults can be claimed for %(months)s months from delivery."
    ),
    "page_limitation_from_delivery": _(
        "A claim about a fault must be brought to court within %(months)s months of delivery."
    ),
    "page_limitation_from_discovery": _(
        "A claim about a fault must be brought to court within %(months)s months of discovering the fault."
    ),
    "page_limitation_from_notification": _(
        "A claim about a fault must be brought to court within %(months)s months of telling the shop about it."
    ),
    "page_category_condition_bars": _(
        "The right of withdrawal does not cover %(categories)s returned %(item_conditions)s."
    ),
    "page_informed_exceptions": _(
        "The right of withdrawal does not cover %(categories)s, provided the shop made this clear before the purchase."
    ),
    "page_informed_condition_bars": _(
        "The right of withdrawal does not cover items that are %(item_conditions)s, provided the shop made this "
        "clear before the purchase."
    ),
    "page_guarantee_open": _("The law protects you against faulty goods; an agent reviews every fault claim."),
    "page_short_term_reject": _("You can reject faulty goods for a full refund within %(days)s days of delivery."),
    "page_not_as_advertised": _(
        "Goods that differ from their description or from the contract can be returned within %(months)s months "
        "of delivery and within %(days)s days of noticing the difference."
    ),
    "page_fault_return": _("Goods with a quality problem can be returned within %(days)s days of receipt."),
    "page_apparent_defect": _(
        "A visible fault must be reported within %(short)s days of delivery for goods that are used up quickly, "
        "and within %(long)s days for durable goods."
    ),
    "page_policy_window": _("The shop accepts returns for any reason within %(days)s days of delivery."),
    "page_policy_window_from_order": _("The shop accepts returns for any reason within %(days)s days of the order."),
    "page_policy_excluded": _("The shop does not accept change-of-mind returns of %(categories)s."),
    "page_policy_warranty": _("The shop adds its own warranty against faults for %(months)s months from delivery."),
}

BASIS_LABELS = dict(Basis.choices)
_LIST_LABELS = {
    "categories": dict(Category.choices),
    "item_conditions": dict(Condition.choices),
    "conditions": dict(PolicyCondition.choices),
    "resolutions": dict(Resolution.choices),
    "remedies": dict(Resolution.choices),
    "methods": dict(ReturnMethod.choices),
}
_CONDITION_LABELS = {**dict(Condition.choices), **dict(PolicyCondition.choices)}


def country_name(code: str) -> str:
    """A country (or ``US-CA``) in the active language."""
    from babel import Locale

    from .law import SUBDIVISION_NAMES

    if code in SUBDIVISION_NAMES:
        return str(SUBDIVISION_NAMES[code])
    return Locale.parse(babel_locale()).territories.get(code, code)


def region_name(region) -> str:
    """A region's name in the active language: Babel's name where its code is a territory (EU, US, JP, CN…),
    else the name the admin gave it."""
    return region_label(region.code, region.name)


def region_label(code: str, name: str) -> str:
    """``region_name`` for a (code, name) pair, as pickers keep them."""
    from babel import Locale

    return Locale.parse(babel_locale()).territories.get((code or "").upper()) or name


def _percent(value) -> str:
    try:
        return format_number(Decimal(str(value)).normalize())
    except (InvalidOperation, ValueError):
        return str(value)


def _param(name: str, value, params: dict):
    if name == "deadline" and value:
        return format_date(value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value), "long")
    if name == "category":
        return str(Category(value).label) if value in Category.values else value
    if name == "condition":
        return str(_CONDITION_LABELS.get(value, value))
    if name == "payer":
        return str(ShippingPayer(value).label) if value in ShippingPayer.values else value
    if name == "basis":
        return str(BASIS_LABELS.get(value, value))
    if name in _LIST_LABELS:
        labels = _LIST_LABELS[name]
        return format_list([str(labels.get(v, v)) for v in value or []], locale=babel_locale()) if value else ""
    if name == "percent":
        return _percent(value)
    if name == "amount":
        return format_money(value, params["currency"]) if params.get("currency") else _percent(value)
    if name == "country":
        if isinstance(value, list | tuple):
            return format_list([country_name(code) for code in value], locale=babel_locale())
        return country_name(value)
    return value


def render_step(step: Step | dict) -> str:
    """One step as a sentence in the active language."""
    if isinstance(step, dict):
        step = Step.from_dict(step)
    params = dict(step.params)
    # A whole sentence per payer, never a label dropped into one ("paid by: Customer").
    template = MESSAGES.get(f"{step.code}_{params.get('payer')}", MESSAGES[step.code])
    return str(template) % {name: _param(name, value, params) for name, value in params.items()}


def render_explanation(steps) -> list[dict]:
    """Steps as ``{"code", "text", "reference"}`` in the active language."""
    rendered = []
    for step in steps:
        if isinstance(step, dict):
            step = Step.from_dict(step)
        rendered.append({"code": step.code, "text": render_step(step), "reference": step.reference})
    return rendered
