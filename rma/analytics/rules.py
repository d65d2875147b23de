"""Pure rules of return analytics: a case's facts, duration histograms, percentiles, rates, what to fix.

No database, no clock, no translation: plain values in, plain values out.
"""

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# Upper bounds, in hours, of the duration histogram's buckets; the last bucket holds everything longer.
DURATION_EDGES = (1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720)
OVERFLOW_BUCKET = len(DURATION_EDGES)

STATUS_OUTCOME = {
    "refunded": "refund",
    "credited": "store_credit",
    "exchanged": "exchange",
    "repaired": "repair",
    "replaced": "replacement",
    "rejected": "rejected",
    "cancelled": "cancelled",
    "expired": "expired",
}
# A closed case whose timeline says nothing about its end: what the customer asked for, if it was settled.
WISH_OUTCOME = {
    "refund": "refund",
    "store_credit": "store_credit",
    "exchange": "exchange",
    "repair": "repair",
    "replacement": "replacement",
}
FEE_REASONS = frozenset({"restocking_fee", "return_shipping_fee"})
ZERO = Decimal(0)


def duration_bucket(hours: float) -> int:
    """The index of the first bucket whose upper bound holds ``hours``."""
    for index, edge in enumerate(DURATION_EDGES):
        if hours <= edge:
            return index
    return OVERFLOW_BUCKET


def percentile_bucket(histogram: Mapping[int, int], q: float) -> int | None:
    """The bucket holding the q-th percentile (nearest rank: the ceil(q·n)-th smallest value); None if empty."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return bucket
    return max(histogram)


def bucket_hours(bucket: int) -> int:
    """The upper bound of a bucket in hours (the overflow bucket reports the last bound: "more than")."""
    return DURATION_EDGES[min(bucket, OVERFLOW_BUCKET - 1)]


def rate(part: int | Decimal, whole: int | Decimal) -> float | None:
    """A share (0.25 for 25%), or None when there is nothing to divide by."""
    return float(part) / float(whole) if whole else None


def outcome_for(*, status: str, last_outcome_status: str | None, resolved: bool, wish: str | None) -> str:
    """How the case ended: its status if that says so, else the last ending its timeline records."""
    if status in STATUS_OUTCOME:
        return STATUS_OUTCOME[status]
    if status != "closed":
        return "open"
    if last_outcome_status in STATUS_OUTCOME:
        return STATUS_OUTCOME[last_outcome_status]
    if resolved and wish in WISH_OUTCOME:
        return WISH_OUTCOME[wish]
    return "rejected"


def _hours(start: datetime.datetime | None, end: datetime.datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 3600


def _clock(due: datetime.datetime | None, done: datetime.datetime | None, now: datetime.datetime) -> tuple[int, int]:
    """(measured, on time) for one SLA clock: measured once it stopped or ran out."""
    if due is None:
        return 0, 0
    if done is not None:
        return 1, int(done <= due)
    if now > due:
        return 1, 0
    return 0, 0


@dataclass(frozen=True)
class CaseRecord:
    """What analytics reads of one case, its items' first category and currency, and its money."""

    created_at: datetime.datetime
    status: str
    first_response_due_at: datetime.datetime | None = None
    first_responded_at: datetime.datetime | None = None
    decision_due_at: datetime.datetime | None = None
    decided_at: datetime.datetime | None = None
    received_at: datetime.datetime | None = None
    refund_due_at: datetime.datetime | None = None
    resolved_at: datetime.datetime | None = None
    last_outcome_status: str | None = None
    wish: str | None = None
    items_value: Decimal = ZERO
    refunded: Decimal = ZERO  # paid refunds, goodwill refunds excluded (they are goodwill)
    credited: Decimal = ZERO
    credit_bonus: Decimal = ZERO
    exchange_difference: Decimal | None = None  # None: no exchange order
    deductions: Mapping[str, Decimal] = field(default_factory=dict)  # reason -> amount
    # Fees quoted at filing (label share and restocking, rma.cases.services.quote), kept back when money is paid.
    quoted_fees: Decimal = ZERO
    goodwill: Decimal = ZERO
    label_cost: Decimal | None = None  # None: no label, or no price for it
    has_label: bool = False
    rating: int | None = None
    repeat: bool = False


@dataclass(frozen=True)
class CaseFacts:
    outcome: str
    repeat: int
    clocks: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]  # first response, decision, refund
    durations: Mapping[str, int]  # stage -> bucket
    rating: int | None
    money: Mapping[str, Decimal]
    labels: int
    labels_priced: int


def case_facts(record: CaseRecord, *, now: datetime.datetime) -> CaseFacts:
    """Everything a case adds to the summary tables."""
    outcome = outcome_for(
        status=record.status,
        last_outcome_status=record.last_outcome_status,
        resolved=record.resolved_at is not None,
        wish=record.wish,
    )
    stages = {
        "decision": _hours(record.created_at, record.decided_at),
        "receipt": _hours(record.decided_at, record.received_at),
        "refund": _hours(record.received_at, record.resolved_at),
        "total": _hours(record.created_at, record.resolved_at),
    }
    kept_exchange = ZERO
    if outcome == "exchange" and record.exchange_difference is not None:
        # The sale the shop kept: the returned goods' value, plus a difference charged, less one refunded.
        kept_exchange = max(record.items_value + record.exchange_difference, ZERO)
    fees = sum((a for r, a in record.deductions.items() if r in FEE_REASONS), ZERO)
    if outcome in {"refund", "store_credit"}:
        fees += record.quoted_fees
    deductions = sum((a for r, a in record.deductions.items() if r not in FEE_REASONS), ZERO)
    return CaseFacts(
        outcome=outcome,
        repeat=int(record.repeat),
        clocks=(
            _clock(record.first_response_due_at, record.first_responded_at, now),
            _clock(record.decision_due_at, record.decided_at, now),
            _clock(record.refund_due_at, record.resolved_at, now) if record.received_at else (0, 0),
        ),
        durations={stage: duration_bucket(h) for stage, h in stages.items() if h is not None},
        rating=record.rating if record.rating in {1, 2, 3, 4, 5} else None,
        money={
            "refunded": record.refunded,
            "credited": record.credited,
            "credit_bonus": record.credit_bonus,
            "kept_exchange": kept_exchange,
            "fees": fees,
            "deductions": deductions,
            "goodwill": record.goodwill,
            "label_cost": record.label_cost or ZERO,
        },
        labels=int(record.has_label),
        labels_priced=int(record.has_label and record.label_cost is not None),
    )


@dataclass(frozen=True)
class FixThresholds:
    """When a product stands out from its category: enough sales and returns, and well above the category."""

    min_sold: int = 20
    min_returned: int = 5
    ratio: float = 1.5  # the product's rate at least this many times the category's
    margin: float = 0.05  # and at least this much higher (5 percentage points)
    reason_min_units: int = 3
    reason_ratio: float = 2.0
    reason_margin: float = 0.03
    # and unlikely to be chance: this many standard deviations above what the category's rate predicts
    min_z: float = 3.0


@dataclass(frozen=True)
class ProductFigures:
    sku: str
    name: str
    category: str
    sold: int
    returned: int
    reasons: Mapping[str, int]


@dataclass(frozen=True)
class FixLine:
    """One line of "what to fix": the product's figure beside its category's, for the whole rate or one reason."""

    sku: str
    name: str
    category: str
    reason: str | None  # None: the return rate as a whole
    sold: int
    returned: int  # units returned (for this reason, on a reason line)
    rate: float
    category_sold: int
    category_returned: int
    category_rate: float
    times: float | None  # product rate / category rate; None when the category's rate is zero


def excess_z(returned: int, sold: int, base: float) -> float:
    """How many standard deviations ``returned`` lies above ``sold × base`` (binomial), inf when base is 0 or 1."""
    spread = math.sqrt(sold * base * (1 - base))
    if spread == 0:
        return math.inf if returned > sold * base else 0.0
    return (returned - sold * base) / spread


def _above(returned: int, sold: int, base: float, *, ratio: float, margin: float, min_z: float) -> bool:
    own = returned / sold
    return own - base >= margin and (base == 0 or own >= ratio * base) and excess_z(returned, sold, base) >= min_z


def what_to_fix(products: Iterable[ProductFigures], thresholds: FixThresholds = FixThresholds()) -> list[FixLine]:
    """Products whose return rate, or the rate of one reason, is well above their category's.

    Rates are units returned over units sold, in the same period, region and category; the category's
    figures are the sums over all its products. "Well above": enough units, a ratio and a margin over the
    category's rate, and at least ``min_z`` standard deviations above it, so that chance on small numbers
    does not fill the list. Sorted by the excess units (what fixing would save).
    """
    products = list(products)
    cat_sold: dict[str, int] = {}
    cat_returned: dict[str, int] = {}
    cat_reasons: dict[tuple[str, str], int] = {}
    for p in products:
        cat_sold[p.category] = cat_sold.get(p.category, 0) + p.sold
        cat_returned[p.category] = cat_returned.get(p.category, 0) + p.returned
        for reason, units in p.reasons.items():
            cat_reasons[(p.category, reason)] = cat_reasons.get((p.category, reason), 0) + units
    lines: list[tuple[float, FixLine]] = []
    t = thresholds
    for p in products:
        if p.sold < t.min_sold:
            continue
        sold_c = cat_sold[p.category]
        base = rate(cat_returned[p.category], sold_c) or 0.0
        own = rate(p.returned, p.sold) or 0.0
        if p.returned >= t.min_returned and _above(p.returned, p.sold, base, ratio=t.ratio, margin=t.margin,
                                                   min_z=t.min_z):  # fmt: skip
            line = FixLine(p.sku, p.name, p.category, None, p.sold, p.returned, own, sold_c,
                           cat_returned[p.category], base, own / base if base else None)  # fmt: skip
            lines.append(((own - base) * p.sold, line))
        for reason, units in sorted(p.reasons.items()):
            if units < t.reason_min_units:
                continue
            reason_base = rate(cat_reasons[(p.category, reason)], sold_c) or 0.0
            reason_own = rate(units, p.sold) or 0.0
            if _above(units, p.sold, reason_base, ratio=t.reason_ratio, margin=t.reason_margin, min_z=t.min_z):
                line = FixLine(p.sku, p.name, p.category, reason, p.sold, units, reason_own, sold_c,
                               cat_reasons[(p.category, reason)], reason_base,
                               reason_own / reason_base if reason_base else None)  # fmt: skip
                lines.append(((reason_own - reason_base) * p.sold, line))
    lines.sort(key=lambda pair: (-pair[0], pair[1].sku, pair[1].reason or ""))
    return [line for _excess, line in lines]


def trend_unit(start: datetime.date, end: datetime.date) -> str:
    """The step of a trend over a period: days up to two months, weeks up to half a year, else months."""
    days = (end - start).days + 1
    if days <= 62:
        return "day"
    if days <= 186:
        return "week"
    return "month"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of the months from ``start``'s to ``end``'s, inclusive."""
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = month_end(current) + datetime.timedelta(days=1)
    return months
