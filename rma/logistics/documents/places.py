"""Countries on documents: ISO codes checked against Babel, names in the reader's language, customs territories."""

import functools

from babel import Locale

from returns_portal.formatting import babel_locale

# Codes in CLDR's territory list that are not countries a parcel can come from or go to: regions,
# groupings, reserved and private-use codes (ISO 3166-1 "exceptionally reserved" ones included).
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})

# The Union customs territory (Regulation (EU) 952/2013, art. 4): the 27 member states, with Monaco
# through France. Goods moving inside it need no customs declaration; special fiscal areas (Canary
# Islands, Channel Islands...) are not modelled: they go by the country code.
_EU_CUSTOMS_UNION = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "MC",
    }
)  # fmt: skip

# Scripts whose Han characters differ by language: the CJK face that matches the address's country.
_CJK_LANGUAGE_BY_COUNTRY = {"CN": "zh-Hans", "SG": "zh-Hans", "TW": "zh-Hant", "HK": "zh-Hant", "MO": "zh-Hant"}
_CJK_LANGUAGE_BY_COUNTRY |= {"JP": "ja", "KR": "ko"}


@functools.cache
def country_codes() -> frozenset[str]:
    return frozenset(
        code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def country_part(code: str) -> str:
    """The ISO country of a code the project stores: ``IT`` or a subdivision such as ``US-CA``."""
    return (code or "").strip().upper().split("-", 1)[0]


def country_known(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code, alone or with a subdivision suffix (``US-CA``)."""
    code = (code or "").strip().upper()
    country, _sep, subdivision = code.partition("-")
    if country not in country_codes():
        return False
    return not _sep or (1 <= len(subdivision) <= 3 and subdivision.isalnum())


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in a language (the active one by default), from CLDR."""
    country = country_part(code)
    return Locale.parse(babel_locale(language)).territories.get(country, country)


def customs_territory(code: str) -> str:
    return "EU" if country_part(code) in _EU_CUSTOMS_UNION else country_part(code)


def crosses_customs_border(from_country: str, to_country: str) -> bool:
    """Whether a parcel between two countries leaves a customs territory (and needs CN23 and an invoice)."""
    return customs_territory(from_country) != customs_territory(to_country)


def address_language(country: str) -> str | None:
    """The language tag that picks the right CJK glyph forms for an address from this country."""
    return _CJK_LANGUAGE_BY_COUNTRY.get(country_part(country))
