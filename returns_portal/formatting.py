"""Locale-aware formatting of money, dates and numbers with Babel, in the active Django language."""

import datetime
import functools
import zoneinfo
from decimal import Decimal

from babel import Locale
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
from babel.core import get_global
from django.utils import timezone, translation


def babel_locale(language: str | None = None) -> str:
    """The Babel locale name for a Django language code (``zh-hans`` -> ``zh_Hans``)."""
    return translation.to_locale(language or translation.get_language() or "en")


@functools.cache
def _locale(name: str) -> Locale:
    """A parsed Babel locale, kept: parsing one per call costs more than the formatting itself."""
    return Locale.parse(name)


def format_money(amount: Decimal | int | str, currency: str, language: str | None = None) -> str:
    return babel_numbers.format_currency(Decimal(amount), currency, locale=_locale(babel_locale(language)))


def format_date(value: datetime.date | datetime.datetime, fmt: str = "medium", language: str | None = None):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return babel_dates.format_date(value, format=fmt, locale=babel_locale(language))


def format_datetime(value: datetime.datetime, fmt: str = "medium", language: str | None = None) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return babel_dates.format_datetime(value, format=fmt, locale=babel_locale(language))


def format_number(value, language: str | None = None) -> str:
    return babel_numbers.format_decimal(value, locale=_locale(babel_locale(language)))


@functools.cache
def _percent_pattern(name: str, digits: int) -> babel_numbers.NumberPattern:
    pattern = babel_numbers.parse_pattern(_locale(name).percent_formats[None].pattern)
    pattern.frac_prec = (digits, digits)
    return pattern


def format_percent(value, language: str | None = None, digits: int = 1) -> str:
    """A share (0.253) as a percentage in the locale's own pattern, with ``digits`` decimals (25.3%, 25,3 %)."""
    name = babel_locale(language)
    return _percent_pattern(name, digits).apply(Decimal(str(value)), _locale(name))


def format_list(items, style: str = "standard", language: str | None = None) -> str:
    """Items listed in a sentence the locale's way ("a, b and c", "a、b和c", "a، b وc")."""
    items = [str(item) for item in items]
    return babel_lists.format_list(items, style=style, locale=_locale(babel_locale(language))) if items else ""


# Countries whose first CLDR zone is not where most people live (Babel lists the zones alphabetically).
PRIMARY_ZONES = {
    "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
    "CA": "America/Toronto", "CL": "America/Santiago", "CY": "Asia/Nicosia", "EC": "America/Guayaquil",
    "ES": "Europe/Madrid", "ID": "Asia/Jakarta", "KZ": "Asia/Almaty", "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur", "PT": "Europe/Lisbon", "RU": "Europe/Moscow", "US": "America/New_York",
}  # fmt: skip


@functools.cache
def zone_for(country: str, name: str = "") -> datetime.tzinfo:
    """A customer's time zone: the one stored for them (an IANA name), else their country's main zone,
    else the shop's (``TIME_ZONE``). US states are stored as ``US-CA``: the country part decides."""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    territory = (country or "").split("-")[0].upper()
    zones = get_global("territory_zones").get(territory) or ()
    chosen = PRIMARY_ZONES.get(territory) or (zones[0] if zones else "")
    try:
        return zoneinfo.ZoneInfo(chosen) if chosen else timezone.get_default_timezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in the active language (Babel's territory names); US states name their country."""
    territory = (code or "").split("-")[0].upper()
    return _locale(babel_locale(language)).territories.get(territory, code)
