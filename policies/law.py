"""Statutory baselines for distance sales of goods, per jurisdiction, with the articles they rest on.

These are the floor under every merchant policy (see ../shared/DOMAIN.md for the sources). Only what
can be cited is encoded; open points are listed in docs/law.md.
"""

from dataclasses import dataclass
from functools import cache

from .taxonomy import Category

EU_MEMBER_STATES = frozenset(
    ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT"]
    + ["LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU"]
)

# CRD 2011/83/EU Art 16: change-of-mind exceptions. Sealed goods are excepted only once unsealed.
EU_EXCEPTIONS = frozenset(
    {
        Category.PERSONALISED,  # Art 16(c)
        Category.PERISHABLE,  # Art 16(d)
        Category.DIGITAL_DOWNLOAD,  # Art 16(m)
        Category.NEWSPAPER,  # Art 16(j)
    }
)
EU_SEALED_EXCEPTIONS = frozenset({Category.HYGIENE_SEALED, Category.SEALED_MEDIA})  # Art 16(e), 16(i)


@dataclass(frozen=True)
class Jurisdiction:
    """What the law of one country (or state) grants a consumer who bought at a distance."""

    code: str
    withdrawal_days: int | None  # None: no statutory change-of-mind right
    withdrawal_reference: str = ""
    # True where the start day (delivery) counts as day 1 (Japan); False where counting starts the day after.
    start_day_counted: bool = False
    # True where a last day on a weekend or public holiday moves to the next working day.
    extend_to_working_day: bool = False
    holiday_country: str = ""
    exceptions: frozenset = frozenset()
    sealed_exceptions: frozenset = frozenset()
    exceptions_reference: str = ""
    # Who bears the cost of sending goods back after a change of mind, if informed.
    withdrawal_cost_bearer: str = "customer"
    # The legal guarantee for non-conforming goods; None where the law sets no fixed period from delivery.
    guarantee_months: int | None = None
    presumption_months: int | None = None
    guarantee_reference: str = ""
    # Rights that only exist when the shop displays no return terms (Japan, California).
    no_terms_withdrawal_days: int | None = None
    no_terms_reference: str = ""
    refund_due_days: int | None = None
    refund_due_from: str | None = None


def _eu(code: str, *, guarantee: int = 24, presumption: int = 12, guarantee_ref: str, withdrawal_ref: str):
    return Jurisdiction(
        code=code,
        withdrawal_days=14,
        withdrawal_reference=withdrawal_ref,
        start_day_counted=False,
        extend_to_working_day=True,
        holiday_country=code,
        exceptions=EU_EXCEPTIONS,
        sealed_exceptions=EU_SEALED_EXCEPTIONS,
        exceptions_reference="Directive 2011/83/EU Art. 16",
        guarantee_months=guarantee,
        presumption_months=presumption,
        guarantee_reference=guarantee_ref,
        refund_due_days=14,
        refund_due_from="withdrawal_notice",
    )


_SPECIFIC = {
    "IT": _eu(
        "IT",
        withdrawal_ref="Codice del Consumo Art. 52",
        guarantee_ref="Codice del Consumo Art. 133, 135",
    ),
    "RO": _eu("RO", withdrawal_ref="OUG 34/2014 Art. 9", guarantee_ref="OUG 140/2021 Art. 12"),
    "DE": _eu("DE", withdrawal_ref="BGB §§ 312g, 355", guarantee_ref="BGB § 438, § 477"),
    "FR": _eu(
        "FR",
        presumption=24,
        withdrawal_ref="Code de la consommation L221-18",
        guarantee_ref="Code de la consommation L217-3, L217-7",
    ),
    "ES": _eu("ES", guarantee=36, presumption=24, withdrawal_ref="TRLGDCU Art. 102", guarantee_ref="TRLGDCU Art. 120"),
    "GB": Jurisdiction(
        code="GB",
        withdrawal_days=14,
        withdrawal_reference="Consumer Contracts Regulations 2013 reg. 29, 30",
        start_day_counted=False,
        exceptions=EU_EXCEPTIONS,
        sealed_exceptions=EU_SEALED_EXCEPTIONS,
        exceptions_reference="Consumer Contracts Regulations 2013 reg. 28",
        guarantee_months=72,
        presumption_months=6,
        guarantee_reference="Consumer Rights Act 2015 ss. 19-24; Limitation Act 1980 s. 5",
        refund_due_days=14,
        refund_due_from="goods_received_or_proof_of_sending",
    ),
    "US": Jurisdiction(code="US", withdrawal_days=None, guarantee_reference="state implied warranty law"),
    "US-CA": Jurisdiction(
        code="US-CA",
        withdrawal_days=None,
        no_terms_withdrawal_days=30,
        no_terms_reference="California Civil Code § 1723",
        guarantee_reference="California Civil Code § 1791.1 (Song-Beverly Act)",
    ),
    "JP": Jurisdiction(
        code="JP",
        withdrawal_days=None,
        start_day_counted=True,
        no_terms_withdrawal_days=8,
        no_terms_reference="特定商取引法 第15条の3",
        guarantee_reference="民法 第562条〜第566条",
    ),
    "CN": Jurisdiction(
        code="CN",
        withdrawal_days=7,
        withdrawal_reference="消费者权益保护法 第25条",
        start_day_counted=False,
        exceptions=frozenset(
            {Category.PERSONALISED, Category.PERISHABLE, Category.DIGITAL_DOWNLOAD, Category.NEWSPAPER}
        ),
        sealed_exceptions=frozenset({Category.SEALED_MEDIA}),
        exceptions_reference="消费者权益保护法 第25条",
        guarantee_reference="消费者权益保护法 第24条",
        refund_due_days=7,
        refund_due_from="goods_received",
    ),
    "TR": Jurisdiction(
        code="TR",
        withdrawal_days=14,
        withdrawal_reference="Law 6502 Art. 48",
        guarantee_months=24,
        presumption_months=6,
        guarantee_reference="Law 6502 Art. 10-12",
    ),
    "KR": Jurisdiction(
        code="KR",
        withdrawal_days=7,
        withdrawal_reference="전자상거래법 제17조",
        guarantee_reference="전자상거래법 제17조 제3항",
    ),
    "BR": Jurisdiction(
        code="BR",
        withdrawal_days=7,
        withdrawal_reference="Código de Defesa do Consumidor Art. 49",
        guarantee_reference="Código de Defesa do Consumidor Art. 18, 26",
    ),
    "AU": Jurisdiction(
        code="AU", withdrawal_days=None, guarantee_reference="Australian Consumer Law ss. 54-59, 259-263"
    ),
    "CH": Jurisdiction(
        code="CH",
        withdrawal_days=None,
        guarantee_months=24,
        guarantee_reference="Code des obligations Art. 210",
    ),
}

# A country with no specific entry: no statutory change-of-mind right is assumed, and faults go to review.
NO_STATUTE = Jurisdiction(code="", withdrawal_days=None)


@cache
def jurisdiction_for(country: str) -> Jurisdiction:
    """The baseline for an ISO country code (US states as ``US-CA``); EU members share the EU baseline."""
    country = (country or "").upper()
    if country in _SPECIFIC:
        return _SPECIFIC[country]
    if country.startswith("US-"):
        return _SPECIFIC["US"]
    if country in EU_MEMBER_STATES:
        return _eu(
            country,
            withdrawal_ref="Directive 2011/83/EU Art. 9",
            guarantee_ref="Directive (EU) 2019/771 Art. 10, 11",
        )
    return NO_STATUTE
