"""Turkey, Korea, China and the US states against their texts (issue #19 items 2 and 3), with edge days."""

import datetime

import pytest

from policies.law import jurisdiction_for
from policies.rules import Claim, evaluate

D = datetime.date
MARCH_2 = D(2026, 3, 2)  # a Monday


def claim(country, category="apparel", claimed=MARCH_2, delivered=MARCH_2, **kw):
    return Claim(
        country=country,
        category=category,
        reason="change_of_mind",
        delivered_on=delivered,
        claimed_on=claimed,
        **kw,
    )


def decide(country, **kw):
    return evaluate(claim(country, **kw), None, jurisdiction_for(country))


def codes(decision):
    return [step.code for step in decision.explanation]


# Korea: 전자상거래법 제17조제2항 and its proviso.
@pytest.mark.parametrize("category", ["perishable", "digital_download", "personalised"])
def test_korea_exceptions_hold_only_if_the_shop_made_them_clear(category):
    informed = decide("KR", category=category)
    assert not informed.eligible and informed.exception == category
    assert informed.explanation[0].reference.startswith("전자상거래법 제17조제2항제2호")
    not_informed = decide("KR", category=category, informed=False)
    assert not_informed.eligible and not_informed.basis == "statutory_withdrawal"
    assert "exception_not_made_clear" in codes(not_informed)


def test_korea_unwrapped_copyable_goods_only_once_unwrapped_and_made_clear():
    assert decide("KR", category="sealed_media", condition="unopened").eligible
    assert decide("KR", category="sealed_media", condition="opened").exception == "sealed_media"
    assert decide("KR", category="sealed_media", condition="opened", informed=False).eligible


def test_korea_goods_damaged_by_the_consumer_are_barred_whatever_the_shop_said():
    for informed in (True, False):
        decision = decide("KR", condition="damaged", informed=informed)
        assert not decision.eligible and "statutory_condition_bar" in codes(decision)
        assert decision.explanation[0].reference == "전자상거래법 제17조제2항제1호"


def test_korea_used_goods_are_barred_only_if_made_clear():
    assert not decide("KR", condition="used").eligible
    assert decide("KR", condition="used", informed=False).eligible


def test_korea_seven_days_last_day_and_day_after():
    assert decide("KR", claimed=D(2026, 3, 9)).deadline == D(2026, 3, 9)
    assert decide("KR", claimed=D(2026, 3, 9)).eligible
    assert not decide("KR", claimed=D(2026, 3, 10)).eligible


# China: CRPL Art. 25 and the 2017 seven-day measures.
def test_china_cosmetics_with_a_broken_seal_are_not_intact_but_an_opened_box_is():
    broken = decide("CN", category="cosmetics", condition="unsealed")
    assert not broken.eligible and "statutory_condition_bar_category" in codes(broken)
    assert broken.explanation[0].reference == "网络购买商品七日无理由退货暂行办法 第9条"
    assert decide("CN", category="cosmetics", condition="opened").eligible


def test_china_hygiene_goods_opened_are_excepted_only_if_the_consumer_confirmed_it():
    assert decide("CN", category="hygiene_sealed", condition="opened").exception == "hygiene_sealed"
    not_confirmed = decide("CN", category="hygiene_sealed", condition="opened", informed=False)
    assert not_confirmed.eligible and "exception_not_made_clear" in codes(not_confirmed)


@pytest.mark.parametrize("category", ["personalised", "perishable", "digital_download", "newspaper"])
def test_china_statutory_exceptions_need_no_confirmation(category):
    assert decide("CN", category=category, informed=False).exception == category


def test_china_used_or_damaged_is_not_intact_and_seven_days_edge():
    assert not decide("CN", condition="used").eligible
    assert decide("CN", claimed=D(2026, 3, 9)).eligible
    assert not decide("CN", claimed=D(2026, 3, 10)).eligible


# Turkey: Law 6502 Art. 48 and the distance-contracts regulation.
@pytest.mark.parametrize(
    ("category", "condition"),
    [
        ("personalised", None),
        ("perishable", None),
        ("newspaper", None),
        ("digital_download", None),
        ("hygiene_sealed", "unsealed"),
        ("sealed_media", "opened"),
    ],
)
def test_turkey_exceptions(category, condition):
    decision = decide("TR", category=category, condition=condition)
    assert not decision.eligible and decision.exception == category
    assert decision.explanation[0].reference == "Mesafeli Sözleşmeler Yönetmeliği Art. 15"


def test_turkey_sealed_goods_still_sealed_can_go_back_and_the_shop_pays():
    decision = decide("TR", category="hygiene_sealed", condition="unopened", claimed=D(2026, 3, 16))
    assert decision.eligible and decision.return_shipping_paid_by == "merchant"


def test_turkey_not_informed_extends_by_a_year_last_day_and_day_after():
    last = decide("TR", claimed=D(2027, 3, 16), informed=False)
    assert last.eligible and last.deadline == D(2027, 3, 16) and "withdrawal_not_informed" in codes(last)
    assert not decide("TR", claimed=D(2027, 3, 17), informed=False).eligible
    assert not decide("TR", claimed=D(2026, 3, 17)).eligible  # informed: 14 days, 16 March


def test_turkey_last_day_on_republic_day_moves_to_the_next_working_day():
    delivered = D(2026, 10, 15)  # + 14 = Thursday 29 October, Cumhuriyet Bayramı
    moved = decide("TR", delivered=delivered, claimed=D(2026, 10, 30))
    assert moved.eligible and moved.deadline == D(2026, 10, 30) and "deadline_moved" in codes(moved)
    assert not decide("TR", delivered=delivered, claimed=D(2026, 10, 31)).eligible


def test_turkey_split_delivery_counts_from_the_last_item():
    decision = decide("TR", claimed=D(2026, 3, 20), last_delivered_on=D(2026, 3, 10))
    assert decision.eligible and decision.deadline == D(2026, 3, 24)


# US states with refund-policy disclosure laws.
def test_new_york_without_a_posted_policy_thirty_days_from_purchase():
    ordered = D(2026, 3, 1)
    last = decide("US-NY", ordered_on=ordered, claimed=D(2026, 3, 31), terms_displayed=False)
    assert last.eligible and last.deadline == D(2026, 3, 31) and "no_terms_withdrawal" in codes(last)
    assert last.explanation[0].reference == "New York General Business Law § 218-a (3)"
    assert not decide("US-NY", ordered_on=ordered, claimed=D(2026, 4, 1), terms_displayed=False).eligible


def test_new_york_used_or_damaged_goods_and_a_posted_policy():
    assert not decide("US-NY", ordered_on=MARCH_2, condition="used", terms_displayed=False).eligible
    assert not decide("US-NY", ordered_on=MARCH_2, condition="damaged", terms_displayed=False).eligible
    posted = decide("US-NY", ordered_on=MARCH_2, terms_displayed=True)
    assert not posted.eligible and "no_statutory_withdrawal" in codes(posted)


@pytest.mark.parametrize("state", ["US-TX", "US-WA", "US-OH"])
def test_every_other_state_answers_no_statute(state):
    decision = decide(state, ordered_on=MARCH_2, terms_displayed=False)
    assert not decision.eligible and "no_statutory_withdrawal" in codes(decision)


def test_florida_without_a_no_refund_notice_seven_days_from_purchase():
    last = decide("US-FL", ordered_on=MARCH_2, claimed=D(2026, 3, 9), terms_displayed=False)
    assert last.eligible and last.deadline == D(2026, 3, 9)
    assert last.explanation[0].reference == "Florida Statutes § 501.142"
    assert not decide("US-FL", ordered_on=MARCH_2, claimed=D(2026, 3, 10), terms_displayed=False).eligible
    assert decide("US-FL", category="personalised", ordered_on=MARCH_2, terms_displayed=False).exception
    assert not decide("US-FL", condition="used", ordered_on=MARCH_2, terms_displayed=False).eligible
