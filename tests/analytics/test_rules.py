"""The pure rules: buckets, percentiles, outcomes, clocks, money of one case, what to fix."""

import datetime
import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rma.analytics import rules

T0 = datetime.datetime(2026, 10, 1, 8, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)


def test_duration_buckets_hold_their_upper_bound():
    assert rules.duration_bucket(0) == 0
    assert rules.duration_bucket(1) == 0
    assert rules.duration_bucket(1.01) == 1
    assert rules.duration_bucket(24) == rules.DURATION_EDGES.index(24)
    assert rules.duration_bucket(721) == rules.OVERFLOW_BUCKET
    assert rules.bucket_hours(rules.OVERFLOW_BUCKET) == 720


@given(st.lists(st.floats(min_value=0, max_value=2000), min_size=1, max_size=60), st.sampled_from([0.5, 0.9, 0.95]))
def test_percentile_of_the_histogram_is_the_bucket_of_the_nearest_rank_value(hours, q):
    histogram = {}
    for h in hours:
        histogram[rules.duration_bucket(h)] = histogram.get(rules.duration_bucket(h), 0) + 1
    nearest_rank = sorted(hours)[math.ceil(q * len(hours)) - 1]
    assert rules.percentile_bucket(histogram, q) == rules.duration_bucket(nearest_rank)


def test_percentile_of_nothing_is_none():
    assert rules.percentile_bucket({}, 0.5) is None


def test_outcome_from_status_timeline_or_wish():
    assert rules.outcome_for(status="refunded", last_outcome_status=None, resolved=True, wish="refund") == "refund"
    assert rules.outcome_for(status="in_transit", last_outcome_status=None, resolved=False, wish="refund") == "open"
    closed = {"status": "closed", "resolved": True, "wish": "exchange"}
    assert rules.outcome_for(last_outcome_status="credited", **closed) == "store_credit"
    assert rules.outcome_for(last_outcome_status=None, **closed) == "exchange"
    assert rules.outcome_for(status="closed", last_outcome_status=None, resolved=False, wish="refund") == "rejected"


def test_case_facts_clocks_stages_and_money():
    record = rules.CaseRecord(
        created_at=T0, status="closed", first_response_due_at=T0 + 24 * H, first_responded_at=None,
        decision_due_at=T0 + 48 * H, decided_at=T0 + 50 * H, received_at=T0 + 100 * H, refund_due_at=T0 + 124 * H,
        resolved_at=T0 + 110 * H, last_outcome_status="exchanged", items_value=Decimal("80.00"),
        exchange_difference=Decimal("12.50"), deductions={"restocking_fee": Decimal("4.00"),
                                                          "missing_parts": Decimal("6.00")},
        has_label=True, label_cost=None, rating=4, repeat=True,
    )  # fmt: skip
    facts = rules.case_facts(record, now=T0 + 200 * H)
    assert facts.outcome == "exchange"
    # First response never given and past due: late. Decision 2 h late. Refund 10 h after receipt: on time.
    assert facts.clocks == ((1, 0), (1, 0), (1, 1))
    assert facts.durations == {"decision": rules.duration_bucket(50), "receipt": rules.duration_bucket(50),
                               "refund": rules.duration_bucket(10), "total": rules.duration_bucket(110)}  # fmt: skip
    assert facts.money["kept_exchange"] == Decimal("92.50")  # the goods plus the difference charged
    assert (facts.money["fees"], facts.money["deductions"]) == (Decimal("4.00"), Decimal("6.00"))
    assert (facts.labels, facts.labels_priced, facts.rating, facts.repeat) == (1, 0, 4, 1)


def test_a_clock_not_yet_due_is_not_measured():
    record = rules.CaseRecord(created_at=T0, status="requested", decision_due_at=T0 + 48 * H)
    assert rules.case_facts(record, now=T0 + 10 * H).clocks[1] == (0, 0)
    assert rules.case_facts(record, now=T0 + 49 * H).clocks[1] == (1, 0)


def product(sku, category, sold, **reasons):
    return rules.ProductFigures(sku=sku, name=sku, category=category, sold=sold, returned=sum(reasons.values()),
                                reasons=reasons)  # fmt: skip


def test_what_to_fix_needs_enough_units_a_ratio_a_margin_and_significance():
    products = [
        product("A", "apparel", 100, too_small=20, change_of_mind=5),  # 25% against the category's 8.5%
        product("B", "apparel", 900, too_small=30, change_of_mind=30),
        product("small", "apparel", 10, too_small=5),  # 50%, but only 10 sold
        product("book", "books", 50, wrong_item=1),
    ]
    lines = rules.what_to_fix(products)
    assert [(line.sku, line.reason) for line in lines] == [("A", None), ("A", "too_small")]
    overall = lines[0]
    assert (overall.category_sold, overall.category_returned) == (1010, 90)
    assert overall.rate == 0.25 and overall.category_rate == 90 / 1010
    assert rules.excess_z(25, 100, 90 / 1010) > 3


def test_chance_on_small_numbers_is_not_a_problem():
    # 5 of 40 against 8%: 12.5% is 1.5× and 4.5 points above, but only one standard deviation away.
    products = [product("A", "home", 40, defective=5), product("B", "home", 1000, defective=78)]
    assert rules.what_to_fix(products, rules.FixThresholds(margin=0.04)) == []
    assert rules.what_to_fix(products, rules.FixThresholds(margin=0.04, min_z=1.0))[0].sku == "A"


def test_trend_units_and_months():
    assert rules.trend_unit(datetime.date(2026, 10, 1), datetime.date(2026, 11, 30)) == "day"
    assert rules.trend_unit(datetime.date(2026, 6, 1), datetime.date(2026, 11, 30)) == "week"
    assert rules.trend_unit(datetime.date(2025, 12, 1), datetime.date(2026, 11, 30)) == "month"
    assert rules.month_end(datetime.date(2028, 2, 10)) == datetime.date(2028, 2, 29)
    assert rules.months_between(datetime.date(2026, 11, 5), datetime.date(2027, 1, 1)) == [
        datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)]  # fmt: skip


def test_rate_of_nothing_is_none():
    assert rules.rate(3, 0) is None and rules.rate(1, 4) == 0.25


def test_fees_quoted_at_filing_count_once_the_money_is_paid():
    paid = rules.CaseRecord(created_at=T0, status="refunded", items_value=Decimal("100.00"),
                            refunded=Decimal("84.00"), quoted_fees=Decimal("16.00"))  # fmt: skip
    cancelled = rules.CaseRecord(created_at=T0, status="cancelled", quoted_fees=Decimal("16.00"))
    assert rules.case_facts(paid, now=T0 + 10 * H).money["fees"] == Decimal("16.00")
    assert rules.case_facts(cancelled, now=T0 + 10 * H).money["fees"] == Decimal(0)  # nothing was kept back
