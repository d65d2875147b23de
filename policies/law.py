"""Statutory baselines for distance sales of goods, per jurisdiction, with the articles they rest on.

These are the floor under every merchant policy (sources in ../shared/DOMAIN.md and docs/law.md).
Only what can be cited is encoded. Where a source leaves a point open (marked in ``unconfirmed``),
the reading more favourable to the consumer is encoded, so that a wrong guess costs the shop a
little generosity and never costs the customer a right; docs/law.md lists these points.
"""

from dataclasses import dataclass, replace
from functools import cache

from django.utils.translation import gettext_lazy as _

from .taxonomy import SONG_BEVERLY_EXCLUDED, Category, Condition, RefundClock, Resolution

EU_MEMBER_STATES = frozenset(
    ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT"]
    + ["LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU"]
)

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
    # Korea: exceptions only hold if the shop made them clear beforehand (전자상거래법 제17조제2항 단서).
    exceptions_need_information: bool = False
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
    guarantee_excluded: frozenset = frozenset()
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


_SPECIFIC = {
    "IT": _eu(
        "IT",
        withdrawal_reference="Codice del Consumo Art. 52",
        not_informed_reference="Codice del Consumo Art. 53",
        exceptions_reference="Codice del Consumo Art. 59",
        cost_reference="Codice del Consumo Art. 57",
        diminished_value_reference="Codice del Consumo Art. 57",
        refund_reference="Codice del Consumo Art. 56",
        guarantee_reference="Codice del Consumo Art. 133",
        presumption_reference="Codice del Consumo Art. 135",
        remedies_reference="Codice del Consumo Art. 135-bis",
        withdrawal_form_reference="Codice del Consumo Art. 49, Allegato I",
    ),
    "RO": _eu(
        "RO",
        withdrawal_reference="OUG 34/2014 Art. 9",
        not_informed_reference="OUG 34/2014 Art. 10",
        exceptions_reference="OUG 34/2014 Art. 16",
        cost_reference="OUG 34/2014 Art. 14",
        diminished_value_reference="OUG 34/2014 Art. 14",
        refund_reference="OUG 34/2014 Art. 13",
        guarantee_reference="OUG 140/2021 Art. 12",
        presumption_reference="OUG 140/2021 Art. 12",
        remedies_reference="OUG 140/2021",
    ),
    "DE": _eu(
        "DE",
        withdrawal_reference="BGB §§ 312g, 355, 356",
        counting_reference="BGB §§ 187, 188, 193",
        not_informed_reference="BGB § 356 (3)",
        exceptions_reference="BGB § 312g (2)",
        cost_reference="BGB § 357",
        diminished_value_reference="BGB § 357a",
        refund_reference="BGB § 357",
        guarantee_reference="BGB § 438",
        presumption_reference="BGB § 477",
        remedies_reference="BGB §§ 437, 439, 440, 441",
        withdrawal_form_reference="EGBGB Art. 246a § 1 (2), Anlage 2",
    ),
    "FR": _eu(
        "FR",
        withdrawal_reference="Code de la consommation L221-18",
        counting_reference="Code de la consommation L221-19",
        not_informed_reference="Code de la consommation L221-20",
        exceptions_reference="Code de la consommation L221-28",
        cost_reference="Code de la consommation L221-23",
        diminished_value_reference="Code de la consommation L221-23",
        refund_reference="Code de la consommation L221-24",
        presumption_months=24,
        guarantee_reference="Code de la consommation L217-3",
        presumption_reference="Code de la consommation L217-7",
        remedies_reference="Code de la consommation L217-8, L217-10",
        withdrawal_form_reference="Code de la consommation L221-5",
    ),
    "ES": _eu(
        "ES",
        withdrawal_reference="TRLGDCU Art. 102, 104",
        not_informed_reference="TRLGDCU Art. 105",
        exceptions_reference="TRLGDCU Art. 103",
        cost_reference="TRLGDCU Art. 108",
        diminished_value_reference="TRLGDCU Art. 108",
        refund_reference="TRLGDCU Art. 107",
        guarantee_months=36,
        presumption_months=24,
        guarantee_reference="TRLGDCU Art. 120",
        presumption_reference="TRLGDCU Art. 120",
        remedies_reference="TRLGDCU Art. 118, 119",
    ),
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
        counting_reference="网络购买商品七日无理由退货暂行办法 第6条",
        exceptions=frozenset(
            {Category.PERSONALISED, Category.PERISHABLE, Category.DIGITAL_DOWNLOAD, Category.NEWSPAPER}
        ),
        sealed_exceptions=frozenset({Category.SEALED_MEDIA}),
        exceptions_reference="消费者权益保护法 第25条",
        # Art. 25: goods returned must be intact ("消费者退货的商品应当完好").
        condition_bars=frozenset({Condition.USED, Condition.DAMAGED}),
        condition_bars_reference="消费者权益保护法 第25条",
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
        exceptions=frozenset({Category.PERISHABLE}),  # 제17조제2항제3호: value lost with time
        sealed_exceptions=frozenset({Category.SEALED_MEDIA}),  # 제17조제2항제4호: copyable goods unwrapped
        exceptions_reference="전자상거래법 제17조제2항",
        exceptions_need_information=True,
        condition_bars=frozenset({Condition.USED, Condition.DAMAGED}),  # 제17조제2항제1호, 제2호
        condition_bars_reference="전자상거래법 제17조제2항",
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
        withdrawal_reference="Law 6502 Art. 48",
        withdrawal_start=START_RECEIPT,
        start_day_counted=False,
        withdrawal_cost_bearer="merchant",
        cost_reference="Law 6502 Art. 48",
        refund_due_days=14,
        refund_due_from=RefundClock.WITHDRAWAL_NOTICE,
        refund_reference="Law 6502 Art. 48",
        guarantee_months=24,
        presumption_months=6,
        guarantee_reference="Law 6502 Art. 10-12",
        presumption_reference="Law 6502 Art. 10-12",
        remedies=(Resolution.REFUND, Resolution.PRICE_REDUCTION, Resolution.REPAIR, Resolution.REPLACEMENT),
        remedies_reference="Law 6502 Art. 11",
        unconfirmed=("counting", "refund_clock", "cost_bearer", "exceptions"),
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
SUBDIVISION_NAMES = {"US-CA": _("California")}

# A country with no specific entry: no statutory change-of-mind right is assumed, and faults go to review.
NO_STATUTE = Jurisdiction(code="", withdrawal_days=None)

# The countries and states whose baseline is encoded, for validating input and listing in docs.
ENCODED = tuple(sorted({*_SPECIFIC, *EU_MEMBER_STATES}))


@cache
def jurisdiction_for(country: str) -> Jurisdiction:
    """The baseline for an ISO country code (US states as ``US-CA``); EU members share the EU baseline."""
    country = (country or "").upper()
    if country in _SPECIFIC:
        return _SPECIFIC[country]
    if country.startswith("US-"):
        return replace(_SPECIFIC["US"], code=country)
    if country in EU_MEMBER_STATES:
        return _eu(country)
    return replace(NO_STATUTE, code=country)
