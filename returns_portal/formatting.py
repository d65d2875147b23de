"""Locale-aware formatting of money, dates and numbers with Babel, in the active Django language."""

import datetime
import functools
from decimal import Decimal

from babel import Locale
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
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
