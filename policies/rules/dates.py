"""Calendar arithmetic for deadlines: adding months, working days and public holidays, the end of a period."""

import datetime
from functools import lru_cache

import holidays

from ..law import Jurisdiction

_ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=1024)
def _holidays(country: str, year: int):
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # the holidays package has no calendar for this country: weekends only
        return frozenset()


def _is_working_day(day: datetime.date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


@lru_cache(maxsize=65536)
def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: day 28 exists in every month


@lru_cache(maxsize=65536)
def next_working_day(day: datetime.date, country: str) -> datetime.date:
    while not _is_working_day(day, country):
        day += _ONE_DAY
    return day


@lru_cache(maxsize=65536)
def _period_end(start: datetime.date, days: int, counted: bool, extend: bool, country: str) -> datetime.date:
    last = start + datetime.timedelta(days=days - 1 if counted else days)
    return next_working_day(last, country) if extend else last


def period_end(
    start: datetime.date, days: int, *, start_day_counted: bool, extend_to_working_day: bool, holiday_country: str = ""
) -> datetime.date:
    """The last day of a period of ``days`` days beginning with the event on ``start``."""
    return _period_end(start, days, start_day_counted, extend_to_working_day, holiday_country)


def _end(law: Jurisdiction, start: datetime.date, days: int) -> datetime.date:
    return _period_end(start, days, law.start_day_counted, law.extend_to_working_day, law.holiday_country)
