"""The source of every article the law baselines cite: title, URL, date read, and how far it was confirmed."""

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .law import Jurisdiction

SOURCES_FILE = Path(__file__).resolve().parent / "data" / "law_sources.json"

READ, SECONDARY, UNCONFIRMED = "read", "secondary", "unconfirmed"
STATUSES = (READ, SECONDARY, UNCONFIRMED)

# Each encoded value and the reference field that cites it. A value that is set needs its reference,
# and every part of that reference (parts are separated by ";") needs a source.
VALUE_REFERENCES = {
    "withdrawal_days": "withdrawal_reference",
    "extend_to_working_day": "counting_reference",
    "not_informed_extension_months": "not_informed_reference",
    "exceptions": "exceptions_reference",
    "sealed_exceptions": "exceptions_reference",
    "condition_bars": "condition_bars_reference",
    "informed_exceptions": "informed_exceptions_reference",
    "informed_sealed_exceptions": "informed_exceptions_reference",
    "informed_condition_bars": "informed_exceptions_reference",
    "category_condition_bars": "category_condition_bars_reference",
    "not_informed_cost_bearer": "cost_reference",
    "refund_due_days": "refund_reference",
    "guarantee_months": "guarantee_reference",
    "no_fixed_period_reason": "guarantee_reference",
    "presumption_months": "presumption_reference",
    "long_life_guarantee_months": "long_life_reference",
    "limitation_months": "limitation_reference",
    "notification_months": "notification_reference",
    "apparent_defect_days": "guarantee_reference",
    "remedies": "remedies_reference",
    "short_term_reject_days": "short_term_reject_reference",
    "fault_return_days": "fault_return_reference",
    "not_as_advertised_months": "not_as_advertised_reference",
    "no_terms_withdrawal_days": "no_terms_reference",
}


@dataclass(frozen=True)
class Source:
    """One legal text: the citation prefix it answers for, where to read it, and when it was read."""

    cites: str
    title: str
    url: str
    read_on: datetime.date | None
    status: str
    note: str = ""
    url_is_portal: bool = False  # the URL is the legislation portal's home, not the act's own page


@cache
def all_sources() -> tuple[Source, ...]:
    data = json.loads(SOURCES_FILE.read_text(encoding="utf-8"))
    return tuple(
        Source(
            cites=row["cites"],
            title=row["title"],
            url=row["url"],
            read_on=datetime.date.fromisoformat(row["read_on"]) if row.get("read_on") else None,
            status=row["status"],
            note=row.get("note", ""),
            url_is_portal=row.get("url_is_portal", False),
        )
        for row in data["sources"]
    )


@cache
def _by_prefix() -> tuple[Source, ...]:
    return tuple(sorted(all_sources(), key=lambda source: len(source.cites), reverse=True))


def reference_parts(reference: str) -> list[str]:
    return [part.strip() for part in reference.split(";") if part.strip()]


def source_for(part: str) -> Source | None:
    """The source of one citation (the longest ``cites`` prefix it starts with)."""
    for source in _by_prefix():
        if part.startswith(source.cites):
            return source
    return None


def citations(law: Jurisdiction) -> list[tuple[str, str]]:
    """(value field, reference) for every value this baseline sets."""
    cited = []
    for field, reference_field in VALUE_REFERENCES.items():
        value = getattr(law, field)
        if value is None or value is False or value == "" or value == () or value == frozenset():
            continue
        cited.append((field, getattr(law, reference_field)))
    return cited


def all_references(law: Jurisdiction) -> list[tuple[str, str]]:
    """(reference field, reference) for every article a baseline cites, set values or not."""
    return [(name, value) for name, value in vars(law).items() if name.endswith("_reference") and value]


def sources_for(law: Jurisdiction) -> list[Source]:
    """The distinct sources a baseline rests on, in the order first cited."""
    found: dict[str, Source] = {}
    for _field, reference in all_references(law):
        for part in reference_parts(reference):
            source = source_for(part)
            if source is not None:
                found.setdefault(source.cites, source)
    return list(found.values())
