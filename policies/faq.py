"""The FAQ page of a region: the public policy page's steps sorted into the questions customers ask."""

from dataclasses import dataclass, field
from decimal import Decimal

from babel.lists import format_list
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from returns_portal.formatting import babel_locale, format_money, format_number

from . import selectors
from .explain import render_step
from .models import ReturnCenter
from .rules import RuleSnapshot, Step
from .summary import (
    FAQ_COUNTING_FIRST_DAY,
    FAQ_COUNTING_NEXT_DAY,
    FAQ_COUNTING_WORKING_DAY,
    FAQ_NO_TERMS_DISPLAYED,
    FAQ_NO_TERMS_FROM_PURCHASE,
    FAQ_NO_TERMS_FROM_RECEIPT,
    FAQ_TOPICS,
    FAQ_WITHDRAWAL_FUNCTION,
    FAQ_WITHDRAWAL_NOTICE,
    FAQ_WITHDRAWAL_OTHER,
    faq_law_steps,
    faq_topic_steps,
)
from .taxonomy import Category, Resolution

# The sentences of the steps only the FAQ states; every other step is rendered by policies.explain.
FAQ_MESSAGES = {
    FAQ_COUNTING_NEXT_DAY: _("The day the period starts from is not counted: counting begins on the next day."),
    FAQ_COUNTING_FIRST_DAY: _("The day the period starts from counts as its first day."),
    FAQ_COUNTING_WORKING_DAY: _(
        "If the last day falls on a weekend or a public holiday, the period ends on the next working day."
    ),
    FAQ_NO_TERMS_DISPLAYED: ngettext_lazy(
        "The law gives a right to return goods within %(days)s day only where a shop displays no return terms; "
        "this shop displays its terms.",
        "The law gives a right to return goods within %(days)s days only where a shop displays no return terms; "
        "this shop displays its terms.",
        "days",
    ),
    FAQ_NO_TERMS_FROM_RECEIPT: ngettext_lazy(
        "Because the shop displays no return terms for this region, the law lets you return goods within "
        "%(days)s day of receiving them.",
        "Because the shop displays no return terms for this region, the law lets you return goods within "
        "%(days)s days of receiving them.",
        "days",
    ),
    FAQ_NO_TERMS_FROM_PURCHASE: ngettext_lazy(
        "Because the shop displays no return terms for this region, the law lets you return goods within "
        "%(days)s day of buying them.",
        "Because the shop displays no return terms for this region, the law lets you return goods within "
        "%(days)s days of buying them.",
        "days",
    ),
    FAQ_WITHDRAWAL_FUNCTION: _(
        "Use the “Withdraw from contract here” function of the returns portal: you name the order, confirm the "
        "withdrawal, and receive an acknowledgement by email with its content, date and time."
    ),
    FAQ_WITHDRAWAL_OTHER: _(
        "You can also withdraw by sending the shop the model withdrawal form or any other clear statement."
    ),
    FAQ_WITHDRAWAL_NOTICE: _(
        "Tell the shop within the withdrawal period that you are withdrawing, for example by starting a return "
        "in the returns portal."
    ),
}

# The resolutions that make the question about exchanges and store credit worth asking.
_EXCHANGE_RESOLUTIONS = frozenset({Resolution.EXCHANGE.value, Resolution.STORE_CREDIT.value})


@dataclass
class FaqStatement:
    """One sentence of an answer and the articles it rests on, each with the countries whose law it is."""

    text: str
    references: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def single_reference(self) -> str:
        """The reference when every country of the statement shares it, else ""."""
        return self.references[0][0] if len(self.references) == 1 else ""

    @property
    def isolated_references(self) -> list[tuple[str, list[str]]]:
        """The references between Unicode direction isolates (FSI … PDI), so that a Latin article number keeps
        its order inside a right-to-left sentence, as <bdi> does for markup."""
        return [(f"\u2068{reference}\u2069", countries) for reference, countries in self.references]


@dataclass
class FaqLawPart:
    """What the law of some countries of the region says on one question (they say the same)."""

    countries: list[str]
    statements: list[FaqStatement]


@dataclass
class FaqAnswer:
    policy: list[str] = field(default_factory=list)  # sentences from the shop's policy and its rules
    law: list[FaqLawPart] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.policy or self.law)


@dataclass
class FaqPage:
    answers: dict[str, FaqAnswer]  # by topic; an empty (false) answer: the question is left out
    return_methods: tuple
    return_centres: list[tuple[ReturnCenter, list[str]]]
    withdrawal_function: bool  # some country's law asks for the "withdraw from contract here" function
    withdrawal_form: bool  # some country's law asks for the model withdrawal form


def faq_text(step: Step) -> str:
    """One step as a sentence in the active language, FAQ-only steps included."""
    message = FAQ_MESSAGES.get(step.code)
    if message is None:
        return render_step(step)
    return str(message % dict(step.params)) if step.params else str(message)


def _labels(codes, choices) -> str:
    labels = dict(choices)
    return format_list([str(labels.get(code, code)) for code in codes], locale=babel_locale())


def _percent(value: Decimal) -> str:
    return format_number(Decimal(value).normalize())


def _only_categories(rule: RuleSnapshot) -> bool:
    """Whether the rule is told apart by product category alone, so a customer can tell if it applies."""
    others = (rule.skus, rule.tags, rule.reasons)
    bounds = (rule.min_order_value, rule.max_order_value, rule.min_previous_returns, rule.max_previous_returns)
    return bool(rule.categories) and not any(others) and all(b is None for b in bounds)


def _rule_window(rule: RuleSnapshot) -> str:
    days = rule.window_days
    if _only_categories(rule):
        categories = _labels(sorted(rule.categories), Category.choices)
        return ngettext(
            "For %(categories)s the shop accepts returns within %(days)s day.",
            "For %(categories)s the shop accepts returns within %(days)s days.",
            days,
        ) % {"categories": categories, "days": days}
    return ngettext(
        "Under the special rule “%(rule)s” the shop accepts returns within %(days)s day for the items and "
        "orders it covers.",
        "Under the special rule “%(rule)s” the shop accepts returns within %(days)s days for the items and "
        "orders it covers.",
        days,
    ) % {"rule": rule.name, "days": days}


def _rule_fee(rule: RuleSnapshot) -> str:
    if _only_categories(rule):
        params = {"categories": _labels(sorted(rule.categories), Category.choices)}
        if not rule.restocking_fee_percent:
            return gettext("For %(categories)s no restocking fee is charged.") % params
        params["percent"] = _percent(rule.restocking_fee_percent)
        return (
            gettext("For %(categories)s a restocking fee of %(percent)s%% of the price is deducted from the refund.")
            % params
        )
    if not rule.restocking_fee_percent:
        return gettext(
            "Under the special rule “%(rule)s” no restocking fee is charged for the items and orders it covers."
        ) % {"rule": rule.name}
    return gettext(
        "Under the special rule “%(rule)s” a restocking fee of %(percent)s%% of the price is deducted from the "
        "refund for the items and orders it covers."
    ) % {"rule": rule.name, "percent": _percent(rule.restocking_fee_percent)}


def _rule_resolutions(rule: RuleSnapshot) -> str:
    resolutions = _labels(rule.resolutions, Resolution.choices)
    if _only_categories(rule):
        categories = _labels(sorted(rule.categories), Category.choices)
        return gettext("For %(categories)s you can choose %(resolutions)s.") % {
            "categories": categories,
            "resolutions": resolutions,
        }
    return gettext(
        "Under the special rule “%(rule)s” you can choose %(resolutions)s for the items and orders it covers."
    ) % {"rule": rule.name, "resolutions": resolutions}


def _fee_answer(page, steps: list[Step]) -> list[str]:
    """The policy's restocking fee, the fees its rules set, and that none applies under the statute."""
    snapshot = page.snapshot
    if not snapshot.change_of_mind_allowed:
        # The engine charges a restocking fee only on change-of-mind returns under the policy.
        return [gettext("The shop charges no restocking fee.")]
    rules = [r for r in snapshot.rules if r.restocking_fee_percent is not None]
    if not snapshot.restocking_fee_percent and not rules:
        return [gettext("The shop charges no restocking fee.")]
    texts = [faq_text(s) for s in steps if s.code == "restocking_fee"]
    texts += [_rule_fee(r) for r in rules]
    if not snapshot.restocking_fee_percent:
        texts.append(gettext("In all other cases the shop charges no restocking fee."))
    if page.statutory_withdrawal_somewhere and (
        snapshot.restocking_fee_percent or any(r.restocking_fee_percent for r in rules)
    ):
        texts.append(faq_text(Step("no_restocking_fee_statutory")))
    return texts


def _policy_answers(page) -> dict[str, list[str]]:
    """The shop's sentences for each question: its policy's steps, then what its override rules change."""
    snapshot = page.snapshot
    if snapshot is None:
        return {}
    steps = page.policy_steps
    answers = {topic: [faq_text(s) for s in faq_topic_steps(steps, topic)] for topic in FAQ_TOPICS}
    rules = snapshot.rules
    if snapshot.change_of_mind_allowed:
        answers["window"] += [_rule_window(r) for r in rules if r.window_days is not None]
    answers["fee"] = _fee_answer(page, faq_topic_steps(steps, "fee"))
    if page.policy.return_label_fee and page.policy.currency and snapshot.return_shipping_paid_by != "merchant":
        answers["shipping"].append(
            gettext(
                "When you pay for return shipping, %(amount)s for the label (or your share of it) is kept back "
                "from your refund; exchanges carry no label fee."
            )
            % {"amount": format_money(page.policy.return_label_fee, page.policy.currency)}
        )
        if "return_center" in snapshot.return_methods:
            answers["shipping"].append(gettext("Bringing the item to a return centre yourself costs no label fee."))
    resolution_rules = [r for r in rules if r.resolutions is not None]
    offered = set(snapshot.resolutions).union(*(r.resolutions for r in resolution_rules))
    if offered & _EXCHANGE_RESOLUTIONS:
        answers["exchange"] += [_rule_resolutions(r) for r in resolution_rules]
    else:
        answers["exchange"] = []
    return answers


def _law_parts(topic: str, law_steps: list[tuple[list[str], list[Step]]]) -> list[FaqLawPart]:
    """The law's answer to one question, the countries whose law says the same merged into one part."""
    merged: dict[tuple, tuple[list[str], list[dict[str, list[str]]]]] = {}
    for countries, steps in law_steps:
        steps = faq_topic_steps(steps, topic)
        if not steps:
            continue
        key = tuple((s.code, s.params) for s in steps)
        merged_countries, references = merged.setdefault(key, ([], [{} for _s in steps]))
        merged_countries.extend(countries)
        for slot, step in zip(references, steps, strict=True):
            if step.reference:
                slot.setdefault(step.reference, []).extend(countries)
    return [
        FaqLawPart(
            countries=countries,
            statements=[
                FaqStatement(faq_text(Step(code, params)), list(slot.items()))
                for (code, params), slot in zip(key, references, strict=True)
            ],
        )
        for key, (countries, references) in merged.items()
    ]


def region_return_centres(countries: list[str]) -> list[tuple[ReturnCenter, list[str]]]:
    """The centres the region's goods go back to, each with the countries it takes returns from."""
    centres: dict[int, tuple[ReturnCenter, list[str]]] = {}
    for country in countries:
        centre = selectors.return_center_for_country(country=country)
        if centre is not None:
            centres.setdefault(centre.pk, (centre, []))[1].append(country)
    return list(centres.values())


def faq_page_context(*, page) -> FaqPage:
    """The answers for the region of a ``policies.views.PolicyPage``, in the active language."""
    terms_displayed = page.policy is not None
    law_steps = [
        (group.countries, faq_law_steps(group.jurisdiction, terms_displayed=terms_displayed))
        for group in page.law_groups
    ]
    policy = _policy_answers(page)
    answers = {topic: FaqAnswer(policy=policy.get(topic, []), law=_law_parts(topic, law_steps)) for topic in FAQ_TOPICS}
    methods = page.snapshot.return_methods if page.snapshot else ()
    countries = [country for group in page.law_groups for country in group.countries]
    laws = [group.jurisdiction for group in page.law_groups]
    return FaqPage(
        answers=answers,
        return_methods=methods,
        return_centres=region_return_centres(countries) if methods else [],
        withdrawal_function=any(law.has_withdrawal_right and law.withdrawal_function_reference for law in laws),
        withdrawal_form=page.withdrawal_form_required,
    )
