"""Checking imported order records field by field, collecting every problem with its file line and field.

A record passes only when every field is valid: ISO 4217 currency, ISO 3166 country (and subdivision), email,
dates in an order that can happen, a known category, whole quantities, prices with at most the currency's
decimals. What comes out is typed and trimmed, ready to write.
"""

import datetime
from decimal import Decimal, InvalidOperation
from functools import cache

import holidays
from babel import Locale
from babel.numbers import get_currency_precision, list_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from policies.taxonomy import Category
from rma.orders.import_readers import Problem

REQUIRED = ("order_number", "email", "customer_name", "country", "currency", "ordered_on", "ship_street", "ship_city")
LINE_REQUIRED = ("sku", "product_name", "category", "quantity", "unit_price")
LIMITS = {
    "order_number": 40, "customer_name": 200, "ship_street": 200, "ship_postcode": 20, "ship_city": 100,
    "phone": 32, "time_zone": 64, "sku": 64, "product_name": 200, "hs_code": 12,
}  # fmt: skip


@cache
def _countries() -> frozenset[str]:
    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@cache
def _subdivisions() -> dict[str, frozenset[str]]:
    return {country: frozenset(codes) for country, codes in holidays.list_supported_countries().items()}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _day(value, name: str, where, problems: list[Problem]) -> datetime.date | None:
    value = _text(value)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(where, name, f"must be a date as YYYY-MM-DD, not {value!r}"))
        return None


def _country(value: str, name: str, where, problems: list[Problem], *, subdivision_allowed: bool) -> str:
    code = value.upper()
    country, _, sub = code.partition("-")
    if country not in _countries():
        problems.append(Problem(where, name, f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. IT, US)"))
        return code
    if sub:
        known = _subdivisions().get(country)
        if not subdivision_allowed:
            problems.append(Problem(where, name, f"give the country alone, not {value!r}"))
        elif known is None or sub not in known:
            valid = ", ".join(f"{country}-{s}" for s in sorted(known or ())) or "none known"
            problems.append(Problem(where, name, f"{value!r} is not a subdivision of {country}; valid: {valid}"))
    return code


def _money(value, currency: str, name: str, where, problems: list[Problem]) -> Decimal | None:
    raw = _text(value)
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        problems.append(Problem(where, name, f"must be a number with a dot as decimal separator, not {raw!r}"))
        return None
    if not amount.is_finite() or amount < 0:
        problems.append(Problem(where, name, f"must be zero or more, not {raw!r}"))
        return None
    digits = get_currency_precision(currency) if currency in _currencies() else 2
    if -amount.as_tuple().exponent > digits:
        problems.append(Problem(where, name, f"{raw} has more decimals than {currency} allows ({digits})"))
        return None
    if amount >= Decimal("10000000000"):
        problems.append(Problem(where, name, f"{raw} is too large"))
        return None
    return amount


def _whole(value, name: str, where, problems: list[Problem], *, minimum: int) -> int | None:
    raw = _text(value)
    try:
        number = int(raw)
    except ValueError:
        problems.append(Problem(where, name, f"must be a whole number, not {raw!r}"))
        return None
    if number < minimum or number > 2_000_000_000:
        problems.append(Problem(where, name, f"must be at least {minimum}, not {number}"))
        return None
    return number


def _tags(value) -> list[str]:
    items = value if isinstance(value, list) else _text(value).replace(";", ",").split(",")
    return sorted({str(tag).strip().lower() for tag in items if str(tag).strip()})


def record_check(record: dict, problems: list[Problem], *, today: datetime.date) -> dict | None:
    """The record as typed values, or None when any of its fields is wrong (the problems say which)."""
    where = record.get("_line", "?")
    before = len(problems)
    values = {name: _text(record.get(name)) for name in (*REQUIRED, "language", "delivered_on", "ship_postcode",
                                                         "phone", "time_zone")}  # fmt: skip
    for name in REQUIRED:
        if not values[name]:
            problems.append(Problem(where, name, "is missing"))
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            problems.append(Problem(where, name, f"is longer than {limit} characters"))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(Problem(where, "email", f"{values['email']!r} is not an email address"))
    if values["country"]:
        values["country"] = _country(values["country"], "country", where, problems, subdivision_allowed=True)
    currency = values["currency"].upper()
    if values["currency"] and currency not in _currencies():
        problems.append(Problem(where, "currency", f"{values['currency']!r} is not an ISO 4217 code (e.g. EUR, JPY)"))
    ordered = _day(values["ordered_on"], "ordered_on", where, problems)
    delivered = _day(values["delivered_on"], "delivered_on", where, problems)
    if ordered and delivered and delivered < ordered:
        problems.append(Problem(where, "delivered_on", f"{delivered} is before the order day {ordered}"))
    if ordered and ordered > today + datetime.timedelta(days=1):
        problems.append(Problem(where, "ordered_on", f"{ordered} is in the future"))
    language = values["language"].lower() or "en"
    languages = {code for code, _name in settings.LANGUAGES}
    lines = []
    for index, line in enumerate(record.get("lines") or [], start=1):
        # A CSV line has its own file line; a JSON Lines or API order's lines are named by their place.
        line_where = line.get("_line", where)
        prefix = "" if "_line" in line else f"lines[{index}]."
        for name in LINE_REQUIRED:
            if not _text(line.get(name)):
                problems.append(Problem(line_where, prefix + name, "is missing"))
        category = _text(line.get("category"))
        if category and category not in Category.values:
            problems.append(Problem(line_where, prefix + "category",
                                    f"unknown {category!r}; valid: {', '.join(Category.values)}"))  # fmt: skip
        for name in ("sku", "product_name", "hs_code"):
            if len(_text(line.get(name))) > LIMITS[name]:
                problems.append(Problem(line_where, prefix + name, f"is longer than {LIMITS[name]} characters"))
        quantity = _whole(line.get("quantity"), prefix + "quantity", line_where, problems, minimum=1)
        price = _money(line.get("unit_price"), currency, prefix + "unit_price", line_where, problems)
        weight = None
        if _text(line.get("weight_grams")):
            weight = _whole(line.get("weight_grams"), prefix + "weight_grams", line_where, problems, minimum=0)
        origin = _text(line.get("origin_country")).upper()
        if origin:
            _country(origin, prefix + "origin_country", line_where, problems, subdivision_allowed=False)
        image_url = _text(line.get("image_url"))
        if image_url and (len(image_url) > 500 or not image_url.startswith(("https://", "http://", "/"))):
            problems.append(
                Problem(line_where, prefix + "image_url", "must be an http(s) URL of at most 500 characters")
            )
        lines.append({
            "image_url": image_url,
            "sku": _text(line.get("sku")), "name": _text(line.get("product_name")), "category": category,
            "quantity": quantity, "unit_price": price, "hs_code": _text(line.get("hs_code")),
            "weight_grams": weight, "origin_country": origin, "tags": _tags(line.get("tags")),
        })  # fmt: skip
    if not lines:
        problems.append(Problem(where, "lines", "an order needs at least one line"))
    if len(problems) > before:
        return None
    return {
        "_line": where,
        "number": values["order_number"],
        "email": values["email"].lower(),
        "customer_name": values["customer_name"],
        "language": language if language in languages else "en",
        "requested_language": "" if language in languages else language,
        "country": values["country"],
        "phone": values["phone"],
        "time_zone": values["time_zone"],
        "currency": currency,
        "ordered_on": ordered,
        "delivered_on": delivered,
        "ship_street": values["ship_street"],
        "ship_postcode": values["ship_postcode"],
        "ship_city": values["ship_city"],
        "lines": lines,
    }


def records_check(records: list[dict], *, today: datetime.date) -> tuple[list[dict], list[Problem]]:
    """Check every record; the same order number twice (JSON Lines) or one email with two names is a problem."""
    problems: list[Problem] = []
    clean, seen = [], {}
    for record in records:
        checked = record_check(record, problems, today=today)
        if checked is None:
            continue
        if checked["number"] in seen:
            first = seen[checked["number"]]
            problems.append(
                Problem(checked["_line"], "order_number", f"{checked['number']} is already on line {first}")
            )
            continue
        seen[checked["number"]] = checked["_line"]
        clean.append(checked)
    return clean, problems
