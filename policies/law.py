"""Statutory baselines for distance sales of goods, per jurisdiction, with the articles they rest on.

These are the floor under every merchant policy (sources in ../shared/DOMAIN.md and docs/law.md).
Only what can be cited is encoded. Where a source leaves a point open (marked in ``unconfirmed``),
the reading more favourable to the consumer is encoded, so that a wrong guess costs the shop a
little generosity and never costs the customer a right; docs/law.md lists these points.
"""

from dataclasses import dataclass, replace
from functools import cache

from django.utils.translation import gettext_lazy as _

from .law_national import EEA_STATES, NATIONAL
from .taxonomy import SONG_BEVERLY_EXCLUDED, Category, Condition, RefundClock, Resolution

EU_MEMBER_STATES = frozenset(
    ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT"]
    + ["LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU"]
)
# The EU and the EEA states, each with its own entry over the EU baseline (policies/law_national.py).
EU_EEA_STATES = EU_MEMBER_STATES | EEA_STATES

# What the withdrawal period counts from.
START_LAST_ITEM = "possession_of_last_item"  # CRD Art. 9(2)(b)(ii): several goods delivered separately
START_RECEIPT = "receipt"
START_PURCHASE = "purchase"

# CRD 2011/83/EU Art. 16: change-of-mind exceptions. Sealed goods are excepted only once unsealed.
EU_EXCEPTIONS = frozenset(
    {
        Category.PERSONALISED,  # Art 16(c)
        Category.PERISHABLE,  # Art 16(d)
        Category.DIGITAL_DOWNLOAD,  # Art 16(m)
        Category.NEWSPAPER,  # Art 16(j)
    }
)
EU_SEALED_EXCEPTIONS = frozenset({Category.HYGIENE_SEALED, Category.SEALED_MEDIA})  # Art 16(e), 16(i)
# SGD 2019/771 Art. 13: repair or replacement (the consumer chooses), then price reduction or termination.
EU_REMEDIES = (Resolution.REPAIR, Resolution.REPLACEMENT, Resolution.PRICE_REDUCTION, Resolution.REFUND)


@dataclass(frozen=True)
class Jurisdiction:
    """What the law of one country (or state) grants a consumer who bought at a distance."""

    code: str
    # The statutory change-of-mind right; None where there is none.
    withdrawal_days: int | None
    withdrawal_reference: str = ""
    withdrawal_start: str = START_RECEIPT
    # True where the start day counts as day 1 (Japan); False where counting starts the day after.
    start_day_counted: bool = False
    # True where a last day on a weekend or public holiday moves to the next working day.
    extend_to_working_day: bool = False
    holiday_country: str = ""
    counting_reference: str = ""
    # The period when the shop did not give the withdrawal information (CRD Art. 10).
    not_informed_extension_months: int | None = None
    not_informed_reference: str = ""
    # Statutory exceptions by category; sealed ones only once the seal is broken.
    exceptions: frozenset = frozenset()
    sealed_exceptions: frozenset = frozenset()
    exceptions_reference: str = ""
    # Conditions of the returned item that end the right (China: goods must be intact; Korea: used up).
    condition_bars: frozenset = frozenset()
    condition_bars_reference: str = ""
    # Exceptions that hold only if the shop made them clear before the purchase or had the consumer confirm
    # them (Korea 전자상거래법 제17조제2항 단서, China 2017 measures): with ``informed`` False they do not apply.
    informed_exceptions: frozenset = frozenset()
    informed_sealed_exceptions: frozenset = frozenset()
    informed_condition_bars: frozenset = frozenset()
    informed_exceptions_reference: str = ""
    # Conditions that end the right for some categories only: ((categories, conditions), ...) (China).
    category_condition_bars: tuple = ()
    category_condition_bars_reference: str = ""
    # Who bears the direct cost of sending goods back after a change of mind, if informed.
    withdrawal_cost_bearer: str = "customer"
    not_informed_cost_bearer: str | None = None
    cost_reference: str = ""
    # A deduction for handling beyond what is needed to test the goods (CRD Art. 14(2)).
    diminished_value_reference: str = ""
    refund_due_days: int | None = None
    refund_due_business_days: bool = False
    refund_due_from: str | None = None
    refund_may_be_withheld: bool = False  # until the goods or proof of sending arrive (CRD Art. 13(3))
    refund_reference: str = ""
    # The legal guarantee for non-conforming goods; None where no fixed period runs from delivery.
    guarantee_months: int | None = None
    guarantee_start: str = "delivery"
    guarantee_excluded: frozenset = frozenset()
    # Norway, Iceland: a longer period for goods meant to last substantially longer (judged by an agent).
    long_life_guarantee_months: int | None = None
    long_life_reference: str = ""
    # Why the guarantee has no fixed end (Netherlands, Finland: the goods' expected life): agent review.
    no_fixed_period_reason: str = ""
    # The time to bring the claim to court, and the event it counts from (law_national.FROM_*).
    limitation_months: int | None = None
    limitation_from: str = ""
    limitation_reference: str = ""
    # The consumer must tell the seller of a fault within this many months of discovering it.
    notification_months: int | None = None
    notification_reference: str = ""
    presumption_months: int | None = None
    guarantee_reference: str = ""
    presumption_reference: str = ""
    # Brazil: days to claim an apparent defect, from delivery (non-durable, durable).
    apparent_defect_days: tuple[int, int] | None = None
    remedies: tuple = ()
    remedies_reference: str = ""
    # Special rights for faulty goods.
    short_term_reject_days: int | None = None  # UK CRA 2015 s. 22
    short_term_reject_reference: str = ""
    fault_return_days: int | None = None  # China CRPL Art. 24
    fault_return_reference: str = ""
    not_as_advertised_months: int | None = None  # Korea 전자상거래법 제17조제3항
    not_as_advertised_days_from_discovery: int | None = None
    not_as_advertised_reference: str = ""
    # Rights that only exist when the shop displays no return terms (Japan, California).
    no_terms_withdrawal_days: int | None = None
    no_terms_start: str = START_RECEIPT
    no_terms_cost_bearer: str = "customer"
    no_terms_exceptions: frozenset = frozenset()
    no_terms_sealed_exceptions: frozenset = frozenset()
    no_terms_condition_bars: frozenset = frozenset()
    no_terms_reference: str = ""
    # The model withdrawal form the shop must give (CRD Annex I(B); UK CCR 2013 Schedule 3).
    withdrawal_form_reference: str = ""
    # The "withdraw from contract here" function (CRD Art. 11a, from 19 June 2026).
    withdrawal_function_reference: str = ""
    # Points of this baseline the sources leave open; the favourable reading is encoded.
    unconfirmed: tuple = ()

    @property
    def has_withdrawal_right(self) -> bool:
        return self.withdrawal_days is not None

    @property
    def fault_period_fixed(self) -> bool:
        """Whether a fault claim can lapse by a date counted from delivery."""
        return self.guarantee_months is not None


_EU_BASE = Jurisdiction(
    code="EU",
    withdrawal_days=14,
    withdrawal_reference="Directive 2011/83/EU Art. 9",
    withdrawal_start=START_LAST_ITEM,
    start_day_counted=False,
    extend_to_working_day=True,
    counting_reference="Regulation (EEC, Euratom) No 1182/71 Art. 3; Directive 2011/83/EU Recital 41",
    not_informed_extension_months=12,
    not_informed_reference="Directive 2011/83/EU Art. 10",
    exceptions=EU_EXCEPTIONS,
    sealed_exceptions=EU_SEALED_EXCEPTIONS,
    exceptions_reference="Directive 2011/83/EU Art. 16",
    withdrawal_cost_bearer="customer",
    not_informed_cost_bearer="merchant",
    cost_reference="Directive 2011/83/EU Art. 14(1)",
    diminished_value_reference="Directive 2011/83/EU Art. 14(2)",
    refund_due_days=14,
    refund_due_from=RefundClock.WITHDRAWAL_NOTICE,
    refund_may_be_withheld=True,
    refund_reference="Directive 2011/83/EU Art. 13",
    guarantee_months=24,
    presumption_months=12,
    guarantee_reference="Directive (EU) 2019/771 Art. 10",
    presumption_reference="Directive (EU) 2019/771 Art. 11",
    remedies=EU_REMEDIES,
    remedies_reference="Directive (EU) 2019/771 Art. 13",
    withdrawal_form_reference="Directive 2011/83/EU Art. 11(1), Annex I(B)",
    withdrawal_function_reference="Directive 2011/83/EU Art. 11a",
)


def _eu(code: str, **national) -> Jurisdiction:
    return replace(_EU_BASE, code=code, holiday_country=code, **national)


# Every EU and EEA state from its own entry in policies/law_national.py.
_NATIONAL = {code: _eu(code, **values) for code, values in NATIONAL.items()}

_SPECIFIC = {
    "GB": Jurisdiction(
        code="GB",
        withdrawal_days=14,
        withdrawal_reference="Consumer Contracts Regulations 2013 reg. 29, 30",
        withdrawal_start=START_LAST_ITEM,
        start_day_counted=False,
        counting_reference="Consumer Contracts Regulations 2013 reg. 30",
        not_informed_extension_months=12,
        not_informed_reference="Consumer Contracts Regulations 2013 reg. 31",
        exceptions=EU_EXCEPTIONS,
        sealed_exceptions=EU_SEALED_EXCEPTIONS,
        exceptions_reference="Consumer Contracts Regulations 2013 reg. 28",
        withdrawal_cost_bearer="customer",
        not_informed_cost_bearer="merchant",
        cost_reference="Consumer Contracts Regulations 2013 reg. 35",
        diminished_value_reference="Consumer Contracts Regulations 2013 reg. 34",
        refund_due_days=14,
        refund_due_from=RefundClock.GOODS_RECEIVED_OR_PROOF,
        refund_reference="Consumer Contracts Regulations 2013 reg. 34",
        guarantee_months=72,
        presumption_months=6,
        guarantee_reference="Consumer Rights Act 2015 ss. 9-11, 19; Limitation Act 1980 s. 5",
        presumption_reference="Consumer Rights Act 2015 s. 19 (14), (15)",
        remedies=(Resolution.REPAIR, Resolution.REPLACEMENT, Resolution.PRICE_REDUCTION, Resolution.REFUND),
        remedies_reference="Consumer Rights Act 2015 ss. 23, 24",
        short_term_reject_days=30,
        short_term_reject_reference="Consumer Rights Act 2015 ss. 20, 22",
        withdrawal_form_reference="Consumer Contracts Regulations 2013 Schedule 3",
    ),
    "US": Jurisdiction(
        code="US",
        withdrawal_days=None,
        guarantee_reference="Uniform Commercial Code § 2-314 (state implied warranty law)",
    ),
    "US-CA": Jurisdiction(
        code="US-CA",
        withdrawal_days=None,
        no_terms_withdrawal_days=30,
        no_terms_start=START_PURCHASE,
        no_terms_cost_bearer="customer",
        # § 1723(b): food and perishable goods, customised goods, goods that cannot be resold for health
        # reasons, goods used or damaged after purchase, goods not returned in their original package.
        no_terms_exceptions=frozenset({Category.PERISHABLE, Category.PERSONALISED}),
        no_terms_sealed_exceptions=frozenset({Category.HYGIENE_SEALED}),
        no_terms_condition_bars=frozenset({Condition.USED, Condition.DAMAGED}),
        no_terms_reference="California Civil Code § 1723",
        guarantee_months=12,
        guarantee_excluded=SONG_BEVERLY_EXCLUDED,
        guarantee_reference="California Civil Code §§ 1791, 1791.1 (Song-Beverly Act)",
        remedies=(Resolution.REPLACEMENT, Resolution.REPAIR, Resolution.REFUND),
        remedies_reference="California Civil Code § 1791.1 (d)",
    ),
    # GBL § 218-a (3): a shop (online retailers included) that does not post its refund policy owes, for up
    # to thirty days from the purchase, a cash refund or a credit at the buyer's option for goods not used or
    # damaged. The statute is silent on the cost of sending goods back: the favourable reading puts it on the
    # shop (docs/law.md).
    "US-NY": Jurisdiction(
        code="US-NY",
        withdrawal_days=None,
        no_terms_withdrawal_days=30,
        no_terms_start=START_PURCHASE,
        no_terms_cost_bearer="merchant",
        no_terms_condition_bars=frozenset({Condition.USED, Condition.DAMAGED}),
        no_terms_reference="New York General Business Law § 218-a (3)",
        guarantee_reference="Uniform Commercial Code § 2-314 (state implied warranty law)",
        unconfirmed=("cost_bearer",),
    ),
    # Fla. Stat. § 501.142 (1): a shop that gives no refunds and does not say so grants, on request and with
    # proof of purchase, a refund within 7 days of the purchase for goods unused and in their original carton;
    # (2): not for food, perishable goods, goods custom made or custom altered. The section speaks of the
    # point of sale; the favourable reading applies it to an online shop that displays no terms (docs/law.md).
    "US-FL": Jurisdiction(
        code="US-FL",
        withdrawal_days=None,
        no_terms_withdrawal_days=7,
        no_terms_start=START_PURCHASE,
        no_terms_cost_bearer="merchant",
        no_terms_exceptions=frozenset({Category.PERISHABLE, Category.PERSONALISED}),
        no_terms_condition_bars=frozenset({Condition.USED, Condition.DAMAGED}),
        no_terms_reference="Florida Statutes § 501.142",
        guarantee_reference="Uniform Commercial Code § 2-314 (state implied warranty law)",
        unconfirmed=("online_sales", "cost_bearer"),
    ),
    "JP": Jurisdiction(
        code="JP",
        withdrawal_days=None,
        start_day_counted=True,
        no_terms_withdrawal_days=8,
        no_terms_start=START_RECEIPT,
        no_terms_cost_bearer="customer",
        no_terms_reference="特定商取引法 第15条の3",
        guarantee_reference="民法 第562条〜第566条",
        remedies=(Resolution.REPAIR, Resolution.REPLACEMENT, Resolution.PRICE_REDUCTION, Resolution.REFUND),
        remedies_reference="民法 第562条〜第564条",
    ),
    "CN": Jurisdiction(
        code="CN",
        withdrawal_days=7,
        withdrawal_reference="消费者权益保护法 第25条",
        withdrawal_start=START_RECEIPT,
        start_day_counted=False,
        counting_reference="消费者权益保护法 第25条",
        # Art. 25 and the 2017 measures Art. 6: made to order, fresh and perishable, digital goods downloaded
        # or unsealed by the consumer, newspapers and periodicals delivered.
        exceptions=frozenset(
            {Category.PERSONALISED, Category.PERISHABLE, Category.DIGITAL_DOWNLOAD, Category.NEWSPAPER}
        ),
        sealed_exceptions=frozenset({Category.SEALED_MEDIA}),
        exceptions_reference="消费者权益保护法 第25条; 网络购买商品七日无理由退货暂行办法 第6条",
        # Measures Art. 7: goods whose unsealing affects health or quality are excepted only if the consumer
        # confirmed it at purchase; without that confirmation the seller may not refuse (the favourable reading
        # puts sealed hygiene goods here).
        informed_sealed_exceptions=frozenset({Category.HYGIENE_SEALED}),
        informed_exceptions_reference="网络购买商品七日无理由退货暂行办法 第7条",
        # Art. 25: goods returned must be intact ("消费者退货的商品应当完好"); measures Art. 8-9: used beyond
        # checking them, or damaged, is not intact.
        condition_bars=frozenset({Condition.USED, Condition.DAMAGED}),
        condition_bars_reference="消费者权益保护法 第25条; 网络购买商品七日无理由退货暂行办法 第8条",
        # Measures Art. 9 by category: food and cosmetics are not intact once their necessary one-time seal is
        # broken (only the seal: an opened outer box is not enough).
        category_condition_bars=(
            (frozenset({Category.COSMETICS, Category.PERISHABLE}), frozenset({Condition.UNSEALED})),
        ),
        category_condition_bars_reference="网络购买商品七日无理由退货暂行办法 第9条",
        withdrawal_cost_bearer="customer",
        cost_reference="消费者权益保护法 第25条",
        refund_due_days=7,
        refund_due_from=RefundClock.GOODS_RECEIVED,
        refund_reference="消费者权益保护法 第25条",
        guarantee_reference="消费者权益保护法 第24条",
        fault_return_days=7,
        fault_return_reference="消费者权益保护法 第24条",
        remedies=(Resolution.REFUND, Resolution.REPLACEMENT, Resolution.REPAIR),
        remedies_reference="消费者权益保护法 第24条",
        unconfirmed=("article_numbers", "hygiene_confirmation"),
    ),
    "KR": Jurisdiction(
        code="KR",
        withdrawal_days=7,
        withdrawal_reference="전자상거래법 제17조제1항",
        withdrawal_start=START_RECEIPT,
        start_day_counted=False,
        extend_to_working_day=True,
        holiday_country="KR",
        counting_reference="민법 제157조, 제161조",
        # 제17조제2항제1호: goods lost or damaged through the consumer's fault, whatever the shop said.
        condition_bars=frozenset({Condition.DAMAGED}),
        condition_bars_reference="전자상거래법 제17조제2항제1호",
        # 제2호 to 제6호 hold only if the shop made them clear or offered a trial (제17조제2항 단서, 제6항):
        # used up (2), value lost with time (3), copyable goods unwrapped (4), digital content once supplied (5),
        # goods made to the consumer's order with prior notice and written consent (6, 시행령 제21조).
        informed_exceptions=frozenset({Category.PERISHABLE, Category.DIGITAL_DOWNLOAD, Category.PERSONALISED}),
        informed_sealed_exceptions=frozenset({Category.SEALED_MEDIA}),
        informed_condition_bars=frozenset({Condition.USED}),
        informed_exceptions_reference="전자상거래법 제17조제2항제2호~제6호, 단서",
        withdrawal_cost_bearer="customer",
        cost_reference="전자상거래법 제18조",
        refund_due_days=3,
        refund_due_business_days=True,
        refund_due_from=RefundClock.GOODS_RECEIVED,
        refund_reference="전자상거래법 제18조제2항",
        guarantee_reference="전자상거래법 제17조제3항",
        not_as_advertised_months=3,
        not_as_advertised_days_from_discovery=30,
        not_as_advertised_reference="전자상거래법 제17조제3항",
        unconfirmed=("refund_clock", "cost_bearer"),
    ),
    "BR": Jurisdiction(
        code="BR",
        withdrawal_days=7,
        withdrawal_reference="Código de Defesa do Consumidor Art. 49",
        withdrawal_start=START_RECEIPT,
        start_day_counted=False,
        extend_to_working_day=True,
        holiday_country="BR",
        counting_reference="Código Civil Art. 132",
        withdrawal_cost_bearer="merchant",
        cost_reference="Código de Defesa do Consumidor Art. 49, parágrafo único",
        refund_due_days=0,
        refund_due_from=RefundClock.WITHDRAWAL_NOTICE,
        refund_reference="Código de Defesa do Consumidor Art. 49, parágrafo único",
        guarantee_reference="Código de Defesa do Consumidor Art. 18, 26",
        apparent_defect_days=(30, 90),
        remedies=(Resolution.REPAIR, Resolution.REPLACEMENT, Resolution.REFUND, Resolution.PRICE_REDUCTION),
        remedies_reference="Código de Defesa do Consumidor Art. 18",
        unconfirmed=("counting", "cost_bearer"),
    ),
    "TR": Jurisdiction(
        code="TR",
        withdrawal_days=14,
        withdrawal_reference="Law 6502 Art. 48; Mesafeli Sözleşmeler Yönetmeliği Art. 9",
        # The favourable reading: several goods delivered separately count from the last one, as in the CRD.
        withdrawal_start=START_LAST_ITEM,
        start_day_counted=False,
        extend_to_working_day=True,
        holiday_country="TR",
        counting_reference="Mesafeli Sözleşmeler Yönetmeliği Art. 9",
        # Not told of the right: not bound by 14 days, and the right ends one year after the period would have.
        not_informed_extension_months=12,
        not_informed_reference="Mesafeli Sözleşmeler Yönetmeliği Art. 10",
        # Art. 15: goods made to the consumer's wishes, perishable goods, newspapers and periodicals, digital
        # content supplied electronically; hygiene goods and books, media and software once their protective
        # packaging is opened.
        exceptions=frozenset(
            {Category.PERSONALISED, Category.PERISHABLE, Category.NEWSPAPER, Category.DIGITAL_DOWNLOAD}
        ),
        sealed_exceptions=frozenset({Category.HYGIENE_SEALED, Category.SEALED_MEDIA}),
        exceptions_reference="Mesafeli Sözleşmeler Yönetmeliği Art. 15",
        withdrawal_cost_bearer="merchant",
        not_informed_cost_bearer="merchant",
        cost_reference="Law 6502 Art. 48",
        refund_due_days=14,
        refund_due_from=RefundClock.WITHDRAWAL_NOTICE,
        refund_reference="Law 6502 Art. 48; Mesafeli Sözleşmeler Yönetmeliği Art. 13",
        guarantee_months=24,
        presumption_months=6,
        guarantee_reference="Law 6502 Art. 10-12",
        presumption_reference="Law 6502 Art. 10-12",
        remedies=(Resolution.REFUND, Resolution.PRICE_REDUCTION, Resolution.REPAIR, Resolution.REPLACEMENT),
        remedies_reference="Law 6502 Art. 11",
        unconfirmed=("article_numbers", "counting", "last_item", "refund_clock", "cost_bearer"),
    ),
    "AU": Jurisdiction(
        code="AU",
        withdrawal_days=None,
        guarantee_reference="Australian Consumer Law ss. 54-59",
        remedies=(Resolution.REFUND, Resolution.REPLACEMENT, Resolution.REPAIR),
        remedies_reference="Australian Consumer Law ss. 259-263",
    ),
    "CH": Jurisdiction(
        code="CH",
        withdrawal_days=None,
        guarantee_months=24,
        guarantee_reference="Code des obligations Art. 201, 210",
        remedies=(Resolution.REFUND, Resolution.PRICE_REDUCTION, Resolution.REPLACEMENT),
        remedies_reference="Code des obligations Art. 205, 206",
    ),
}

# Names of the states with their own baseline (Babel names countries, not states).
SUBDIVISION_NAMES = {"US-CA": _("California"), "US-FL": _("Florida"), "US-NY": _("New York")}

# A country with no specific entry: no statutory change-of-mind right is assumed, and faults go to review.
NO_STATUTE = Jurisdiction(code="", withdrawal_days=None)

# The countries and states whose baseline is encoded, for validating input and listing in docs.
ENCODED = tuple(sorted({*_SPECIFIC, *_NATIONAL}))


@cache
def jurisdiction_for(country: str) -> Jurisdiction:
    """The baseline for an ISO country code (US states as ``US-CA``); each EU and EEA state has its own entry."""
    country = (country or "").upper()
    if country in _NATIONAL:
        return _NATIONAL[country]
    if country in _SPECIFIC:
        return _SPECIFIC[country]
    if country.startswith("US-"):
        return replace(_SPECIFIC["US"], code=country)
    return replace(NO_STATUTE, code=country)
