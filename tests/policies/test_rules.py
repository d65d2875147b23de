"""The pure rules engine against the statutes it encodes, and its properties."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from policies.explain import render_explanation
from policies.law import jurisdiction_for
from policies.rules import Claim, PolicySnapshot, RuleSnapshot, evaluate
from policies.taxonomy import Category, PolicyCondition, Reason, Resolution, ReturnMethod

D = datetime.date


MARCH_2 = D(2026, 3, 2)


def claim(country="IT", category="apparel", reason="change_of_mind", delivered=MARCH_2, claimed=None, **kw):
    return Claim(
        country=country, category=category, reason=reason, delivered_on=delivered, claimed_on=claimed or delivered, **kw
    )


def policy(window=30, change_of_mind=True, payer="customer", auto=True):
    return PolicySnapshot(
        region="EU",
        version=1,
        window_days=window,
        change_of_mind_allowed=change_of_mind,
        return_shipping_paid_by=payer,
        auto_approve=auto,
    )


def test_eu_withdrawal_is_14_days_after_delivery_not_counting_the_delivery_day():
    law = jurisdiction_for("IT")
    # Delivered Monday 2 March 2026: the 14th day after is Monday 16 March.
    assert evaluate(claim(claimed=D(2026, 3, 16)), None, law).eligible
    late = evaluate(claim(claimed=D(2026, 3, 17)), None, law)
    assert not late.eligible
    assert late.deadline == D(2026, 3, 16)


def test_eu_last_day_on_a_weekend_moves_to_monday():
    decision = evaluate(claim(delivered=D(2026, 3, 7)), None, jurisdiction_for("DE"))  # +14 = Sat 21 March
    assert decision.deadline == D(2026, 3, 23)


def test_eu_last_day_on_public_holidays_moves_to_next_working_day():
    # Delivered Fri 11 Dec 2026 in Italy: +14 = Fri 25 Dec (Christmas), Sat 26 (Santo Stefano), Sun 27.
    decision = evaluate(claim(delivered=D(2026, 12, 11)), None, jurisdiction_for("IT"))
    assert decision.deadline == D(2026, 12, 28)
    assert decision.basis == "statutory_withdrawal"


def test_merchant_policy_more_generous_than_the_law_is_used_and_named():
    decision = evaluate(claim(claimed=D(2026, 3, 25)), policy(window=30), jurisdiction_for("IT"))
    assert decision.eligible
    assert decision.basis == "merchant_policy"
    assert decision.deadline == D(2026, 4, 1)


def test_the_law_is_a_floor_under_a_policy_without_change_of_mind_returns():
    decision = evaluate(claim(claimed=D(2026, 3, 10)), policy(change_of_mind=False), jurisdiction_for("FR"))
    assert decision.eligible
    assert decision.basis == "statutory_withdrawal"


@pytest.mark.parametrize("category", ["personalised", "perishable", "newspaper", "digital_download"])
def test_eu_exceptions_refuse_change_of_mind_but_not_faults(category):
    law = jurisdiction_for("IT")
    refused = evaluate(claim(category=category, claimed=D(2026, 3, 3)), policy(), law)
    assert not refused.eligible
    assert refused.exception == category
    fault = evaluate(claim(category=category, reason="defective", claimed=D(2026, 3, 3)), policy(), law)
    assert fault.eligible


def test_sealed_hygiene_goods_only_while_sealed():
    law = jurisdiction_for("IT")
    assert evaluate(claim(category="hygiene_sealed", condition="unopened", claimed=D(2026, 3, 5)), None, law).eligible
    unsealed = evaluate(claim(category="hygiene_sealed", condition="unsealed", claimed=D(2026, 3, 5)), None, law)
    assert not unsealed.eligible
    assert unsealed.exception == "hygiene_sealed"


def test_eu_fault_is_covered_by_the_two_year_legal_guarantee():
    decision = evaluate(claim(reason="defective", claimed=D(2027, 12, 1)), policy(), jurisdiction_for("IT"))
    assert decision.eligible
    assert decision.basis == "legal_guarantee"
    assert decision.deadline == D(2028, 3, 2)
    assert decision.return_shipping_paid_by == "merchant"
    spain = evaluate(claim(country="ES", reason="defective", claimed=D(2028, 12, 1)), None, jurisdiction_for("ES"))
    assert spain.eligible  # three years in Spain


def test_japan_has_no_change_of_mind_right_when_terms_are_displayed():
    decision = evaluate(
        claim(country="JP", claimed=D(2026, 3, 3)), policy(change_of_mind=False), jurisdiction_for("JP")
    )
    assert not decision.eligible
    assert decision.summary.code == "summary_no_change_of_mind"


def test_japan_eight_days_counting_the_delivery_day_when_no_terms_displayed():
    law = jurisdiction_for("JP")
    decision = evaluate(claim(country="JP", terms_displayed=False, claimed=D(2026, 3, 9)), None, law)
    assert decision.eligible
    assert decision.deadline == D(2026, 3, 9)
    assert not evaluate(claim(country="JP", terms_displayed=False, claimed=D(2026, 3, 10)), None, law).eligible


def test_china_seven_days_from_the_day_after_signing():
    law = jurisdiction_for("CN")
    assert evaluate(claim(country="CN", claimed=D(2026, 3, 9)), None, law).deadline == D(2026, 3, 9)


def test_us_change_of_mind_only_under_the_stated_policy():
    law = jurisdiction_for("US")
    assert not evaluate(claim(country="US", claimed=D(2026, 3, 3)), None, law).eligible
    stated = evaluate(claim(country="US", claimed=D(2026, 3, 30)), policy(window=30, payer="merchant"), law)
    assert stated.eligible and stated.basis == "merchant_policy" and stated.return_shipping_paid_by == "merchant"


def test_not_delivered_items_are_not_yet_returnable():
    decision = evaluate(claim(delivered=None, claimed=D(2026, 3, 3)), policy(), jurisdiction_for("IT"))
    assert not decision.eligible
    assert decision.summary.code == "not_delivered"


countries = st.sampled_from(
    ["IT", "RO", "DE", "FR", "ES", "GB", "US", "US-CA", "JP", "CN", "KR", "BR", "TR", "AU", "CH", "NZ"]
)
codes = st.frozensets
rules = st.builds(
    RuleSnapshot,
    priority=st.integers(1, 9),
    name=st.just("rule"),
    categories=codes(st.sampled_from(Category.values), max_size=3),
    reasons=codes(st.sampled_from(Reason.values), max_size=2),
    min_order_value=st.one_of(st.none(), st.decimals(0, 500, places=2)),
    max_previous_returns=st.one_of(st.none(), st.integers(0, 5)),
    window_days=st.one_of(st.none(), st.integers(0, 120)),
    restocking_fee_percent=st.one_of(st.none(), st.decimals(0, 30, places=0)),
    resolutions=st.one_of(st.none(), st.lists(st.sampled_from(Resolution.values), unique=True).map(tuple)),
    auto_approve=st.one_of(st.none(), st.booleans()),
    manual_review=st.booleans(),
)
policies = st.one_of(
    st.none(),
    st.builds(
        PolicySnapshot,
        region=st.just("X"),
        version=st.just(1),
        window_days=st.integers(0, 365),
        change_of_mind_allowed=st.booleans(),
        return_shipping_paid_by=st.sampled_from(["customer", "merchant", "shared"]),
        auto_approve=st.booleans(),
        window_start=st.sampled_from(["delivery", "order"]),
        excluded_categories=codes(st.sampled_from(Category.values), max_size=3),
        conditions=st.lists(st.sampled_from(PolicyCondition.values), unique=True, max_size=2).map(tuple),
        resolutions=st.lists(st.sampled_from(Resolution.values), unique=True, min_size=1).map(tuple),
        store_credit_bonus_percent=st.integers(0, 30),
        customer_shipping_share_percent=st.integers(0, 100),
        free_return_min_order_value=st.one_of(st.none(), st.decimals(0, 500, places=2)),
        free_first_return=st.booleans(),
        restocking_fee_percent=st.decimals(0, 30, places=0),
        refund_days=st.one_of(st.none(), st.integers(0, 30)),
        warranty_months=st.integers(0, 48),
        return_methods=st.lists(st.sampled_from(ReturnMethod.values), unique=True).map(tuple),
        rules=st.lists(rules, max_size=3, unique_by=lambda r: r.priority).map(
            lambda rs: tuple(sorted(rs, key=lambda r: r.priority))
        ),
    ),
)
claims = st.builds(
    Claim,
    country=countries,
    category=st.sampled_from(Category.values),
    reason=st.sampled_from(Reason.values),
    delivered_on=st.dates(D(2024, 1, 1), D(2028, 12, 31)),
    claimed_on=st.just(D(2024, 1, 1)),
    condition=st.sampled_from([None, "unopened", "opened", "unsealed", "used", "damaged"]),
    terms_displayed=st.booleans(),
    ordered_on=st.one_of(st.none(), st.dates(D(2023, 12, 1), D(2024, 1, 1))),
    informed=st.booleans(),
    order_value=st.one_of(st.none(), st.decimals(0, 1000, places=2)),
    item_value=st.one_of(st.none(), st.decimals(0, 1000, places=2)),
    previous_returns=st.integers(0, 6),
)


@hsettings(max_examples=300, deadline=None)
@given(c=claims, p=policies, offset=st.integers(0, 1200))
def test_a_policy_never_makes_a_decision_less_favourable_than_the_law_alone(c, p, offset):
    c = Claim(**{**c.__dict__, "claimed_on": c.delivered_on + datetime.timedelta(days=offset)})
    law = jurisdiction_for(c.country)
    law_only, with_policy = evaluate(c, None, law), evaluate(c, p, law)
    if law_only.eligible:
        assert with_policy.eligible
        if law_only.deadline and with_policy.deadline:
            assert with_policy.deadline >= law_only.deadline
        # Never a larger share of the shipping cost, and no fee, while the law alone would accept the return.
        assert with_policy.customer_shipping_share_percent <= law_only.customer_shipping_share_percent
        assert with_policy.restocking_fee_percent == Decimal(0)
        assert set(law_only.resolutions) <= set(with_policy.resolutions)


@hsettings(max_examples=200, deadline=None)
@given(c=claims, p=policies, first=st.integers(0, 800), later=st.integers(1, 800))
def test_eligibility_never_returns_once_lapsed(c, p, first, later):
    law = jurisdiction_for(c.country)

    def at(days):
        return evaluate(Claim(**{**c.__dict__, "claimed_on": c.delivered_on + datetime.timedelta(days=days)}), p, law)

    if not at(first).eligible:
        assert not at(first + later).eligible


@hsettings(max_examples=60, deadline=None)
@given(c=claims, p=policies)
def test_every_explanation_step_renders_in_every_language(c, p):
    decision = evaluate(c, p, jurisdiction_for(c.country))
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for step in render_explanation(decision.explanation):
                assert step["text"] and "%(" not in step["text"]
