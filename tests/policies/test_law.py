"""The engine against the statutes it encodes: one test per rule, with the article it rests on."""

import datetime
from decimal import Decimal

import pytest

from policies.law import jurisdiction_for
from policies.rules import Claim, PolicySnapshot, RuleSnapshot, Step, evaluate

D = datetime.date
MARCH_2 = D(2026, 3, 2)  # a Monday


def claim(country="IT", category="apparel", reason="change_of_mind", delivered=MARCH_2, claimed=None, **kw):
    return Claim(
        country=country, category=category, reason=reason, delivered_on=delivered, claimed_on=claimed or delivered, **kw
    )


def policy(**kw):
    fields = {
        "region": "EU",
        "version": 1,
        "window_days": 30,
        "change_of_mind_allowed": True,
        "return_shipping_paid_by": "customer",
        "auto_approve": True,
    }
    return PolicySnapshot(**{**fields, **kw})


def codes(decision):
    return [step.code for step in decision.explanation]


def test_eu_not_informed_extends_by_twelve_months_and_the_shop_pays_shipping():
    law = jurisdiction_for("IT")
    decision = evaluate(claim(claimed=D(2027, 3, 1), informed=False), None, law)
    assert decision.eligible and decision.basis == "statutory_withdrawal"
    assert decision.deadline == D(2027, 3, 16)  # 16 March 2026 + 12 months (a Tuesday)
    assert decision.return_shipping_paid_by == "merchant"
    assert "withdrawal_not_informed" in codes(decision)
    assert not evaluate(claim(claimed=D(2027, 3, 17), informed=False), None, law).eligible


def test_eu_informed_late_gives_fourteen_days_from_the_information():
    decision = evaluate(
        claim(claimed=D(2026, 5, 10), informed=False, informed_on=D(2026, 5, 1)), None, jurisdiction_for("DE")
    )
    assert decision.deadline == D(2026, 5, 15)
    assert decision.eligible


def test_eu_withdrawal_runs_from_the_last_item_of_a_split_delivery():
    decision = evaluate(claim(claimed=D(2026, 3, 20), last_delivered_on=D(2026, 3, 10)), None, jurisdiction_for("IT"))
    assert decision.deadline == D(2026, 3, 24)
    assert "withdrawal_from_last_item" in codes(decision)


def test_eu_refund_is_due_fourteen_days_from_the_withdrawal_notice_and_may_be_withheld():
    decision = evaluate(claim(claimed=D(2026, 3, 5)), None, jurisdiction_for("FR"))
    assert (decision.refund_due_days, decision.refund_due_from) == (14, "withdrawal_notice")
    assert "refund_withheld" in codes(decision)
    assert decision.resolutions == ("refund",)


def test_eu_used_item_may_carry_a_diminished_value_deduction_only_if_informed():
    law = jurisdiction_for("ES")
    used = evaluate(claim(country="ES", condition="used", claimed=D(2026, 3, 5)), None, law)
    assert used.eligible and used.deductions == ("diminished_value",)
    uninformed = evaluate(claim(country="ES", condition="used", claimed=D(2026, 3, 5), informed=False), None, law)
    assert uninformed.deductions == ()


def test_eu_presumption_period_is_reported_for_faults():
    italy = evaluate(claim(reason="defective", claimed=D(2026, 6, 1)), None, jurisdiction_for("IT"))
    assert italy.presumption_until == D(2027, 3, 2)
    france = evaluate(claim(country="FR", reason="defective", claimed=D(2027, 6, 1)), None, jurisdiction_for("FR"))
    assert france.presumption_until == D(2028, 3, 2)
    assert "presumption" in codes(france)
    assert italy.resolutions[:2] == ("repair", "replacement")


def test_uk_short_term_right_to_reject_for_thirty_days_then_the_guarantee():
    law = jurisdiction_for("GB")
    early = evaluate(claim(country="GB", reason="defective", claimed=D(2026, 4, 1)), None, law)
    assert early.basis == "short_term_reject" and early.deadline == D(2026, 4, 1)
    assert early.resolutions[0] == "refund" and early.refund_due_from == "rejection_agreed"
    later = evaluate(claim(country="GB", reason="defective", claimed=D(2026, 4, 2)), None, law)
    assert later.basis == "legal_guarantee" and later.eligible


def test_uk_has_no_weekend_extension():
    decision = evaluate(claim(country="GB", delivered=D(2026, 3, 7)), None, jurisdiction_for("GB"))
    assert decision.deadline == D(2026, 3, 21)  # a Saturday


def test_korea_counts_like_its_civil_code_and_refuses_used_goods():
    law = jurisdiction_for("KR")
    # Delivered Mon 2 March: +7 = Mon 9 March.
    assert evaluate(claim(country="KR", claimed=D(2026, 3, 9)), None, law).eligible
    used = evaluate(claim(country="KR", condition="used", claimed=D(2026, 3, 3)), None, law)
    assert not used.eligible and "statutory_condition_bar" in codes(used)
    # Korea's exceptions only hold if the shop said so beforehand (제17조제2항 단서).
    assert evaluate(claim(country="KR", condition="used", claimed=D(2026, 3, 3), informed=False), None, law).eligible
    assert evaluate(claim(country="KR", reason="defective", claimed=D(2026, 3, 9)), None, law).refund_due_days is None


def test_korea_goods_not_as_advertised_for_three_months():
    law = jurisdiction_for("KR")
    decision = evaluate(claim(country="KR", reason="not_as_described", claimed=D(2026, 5, 29)), None, law)
    assert decision.eligible and decision.basis == "statutory_withdrawal"
    assert decision.deadline == D(2026, 6, 2)


def test_china_returns_must_be_intact_and_quality_problems_have_seven_days():
    law = jurisdiction_for("CN")
    damaged = evaluate(claim(country="CN", condition="damaged", claimed=D(2026, 3, 3)), None, law)
    assert not damaged.eligible
    fault = evaluate(claim(country="CN", reason="defective", claimed=D(2026, 3, 9)), None, law)
    assert fault.eligible and fault.resolutions[0] == "refund"
    later = evaluate(claim(country="CN", reason="defective", claimed=D(2026, 6, 1)), None, law)
    assert later.eligible and later.deadline is None and later.summary.code == "summary_fault_review"


def test_brazil_apparent_defects_thirty_or_ninety_days_and_immediate_refund():
    law = jurisdiction_for("BR")
    durable = evaluate(
        claim(country="BR", category="electronics", reason="defective", claimed=D(2026, 5, 1)), None, law
    )
    assert durable.deadline == D(2026, 6, 1)  # 31 May 2026 is a Sunday
    perishable = evaluate(
        claim(country="BR", category="perishable", reason="defective", claimed=D(2026, 3, 5)), None, law
    )
    assert perishable.deadline == D(2026, 4, 1)
    withdrawal = evaluate(claim(country="BR", claimed=D(2026, 3, 9)), None, law)
    assert withdrawal.refund_due_days == 0 and withdrawal.return_shipping_paid_by == "merchant"


def test_california_thirty_days_from_purchase_only_without_displayed_terms():
    law = jurisdiction_for("US-CA")
    kw = {"country": "US-CA", "ordered_on": D(2026, 2, 20), "terms_displayed": False}
    assert evaluate(claim(claimed=D(2026, 3, 22), **kw), None, law).eligible
    assert not evaluate(claim(claimed=D(2026, 3, 23), **kw), None, law).eligible
    assert not evaluate(claim(category="perishable", claimed=D(2026, 3, 3), **kw), None, law).eligible
    assert not evaluate(claim(claimed=D(2026, 3, 3), **{**kw, "terms_displayed": True}), None, law).eligible


def test_california_implied_warranty_excludes_clothing():
    law = jurisdiction_for("US-CA")
    speaker = evaluate(
        claim(country="US-CA", category="electronics", reason="defective", claimed=D(2027, 3, 3)), None, law
    )
    assert not speaker.eligible and speaker.deadline == D(2027, 3, 2)
    coat = evaluate(claim(country="US-CA", category="apparel", reason="defective", claimed=D(2027, 3, 3)), None, law)
    assert coat.eligible and coat.deadline is None  # outside Song-Beverly: an agent reviews


def test_switzerland_has_no_withdrawal_but_two_years_for_defects():
    law = jurisdiction_for("CH")
    assert not evaluate(claim(country="CH", claimed=D(2026, 3, 3)), None, law).eligible
    assert evaluate(claim(country="CH", reason="defective", claimed=D(2028, 3, 2)), None, law).eligible
    assert not evaluate(claim(country="CH", reason="defective", claimed=D(2028, 3, 3)), None, law).eligible


def test_no_restocking_fee_while_the_statutory_withdrawal_is_open():
    law, fee_policy = jurisdiction_for("IT"), policy(restocking_fee_percent=Decimal(15))
    within = evaluate(claim(claimed=D(2026, 3, 10)), fee_policy, law)
    assert within.restocking_fee_percent == 0 and "no_restocking_fee_statutory" in codes(within)
    after = evaluate(claim(claimed=D(2026, 3, 25)), fee_policy, law)
    assert after.basis == "merchant_policy" and after.restocking_fee_percent == Decimal(15)


def test_shared_shipping_and_free_return_rules():
    law, shared = jurisdiction_for("US"), policy(return_shipping_paid_by="shared", customer_shipping_share_percent=40)
    decision = evaluate(claim(country="US", claimed=D(2026, 3, 5), previous_returns=2), shared, law)
    assert decision.return_shipping_paid_by == "shared" and decision.customer_shipping_share_percent == 40
    first = policy(return_shipping_paid_by="customer", free_first_return=True)
    assert evaluate(claim(country="US", claimed=D(2026, 3, 5)), first, law).return_shipping_paid_by == "merchant"
    big = policy(free_return_min_order_value=Decimal(100), currency="USD")
    rich = claim(country="US", claimed=D(2026, 3, 5), order_value=Decimal(120), currency="USD", previous_returns=1)
    assert evaluate(rich, big, law).return_shipping_paid_by == "merchant"
    other_currency = claim(
        country="US", claimed=D(2026, 3, 5), order_value=Decimal(120), currency="EUR", previous_returns=1
    )
    assert evaluate(other_currency, big, law).return_shipping_paid_by == "customer"


def test_override_rules_apply_in_priority_order():
    rules = (
        RuleSnapshot(priority=1, name="Phones", categories=frozenset({"electronics"}), window_days=15),
        RuleSnapshot(priority=2, name="Everything", window_days=60, manual_review=True),
    )
    law, p = jurisdiction_for("US"), policy(rules=rules)
    phone = evaluate(claim(country="US", category="electronics", claimed=D(2026, 3, 20)), p, law)
    assert not phone.eligible and phone.deadline == D(2026, 3, 17)  # 15 days: the first rule wins
    coat = evaluate(claim(country="US", claimed=D(2026, 4, 20)), p, law)
    assert coat.eligible and coat.manual_review and not coat.auto_approve
    assert coat.rules_applied == (2,)
    assert "policy_rule" in codes(coat)


def test_rule_on_reasons_covers_the_size_reasons_and_order_values():
    rules = (
        RuleSnapshot(
            priority=1,
            name="Mind",
            reasons=frozenset({"change_of_mind"}),
            min_order_value=Decimal(50),
            auto_approve=False,
        ),
    )
    law, p = jurisdiction_for("US"), policy(rules=rules)
    assert not evaluate(
        claim(country="US", reason="too_small", order_value=Decimal(80), claimed=D(2026, 3, 3)), p, law
    ).auto_approve
    assert evaluate(
        claim(country="US", reason="too_small", order_value=Decimal(20), claimed=D(2026, 3, 3)), p, law
    ).auto_approve


def test_auto_approval_limits_by_value_and_history():
    law = jurisdiction_for("US")
    capped = policy(auto_approve_max_value=Decimal(100), auto_approve_max_previous_returns=3)
    assert evaluate(claim(country="US", item_value=Decimal(90), claimed=D(2026, 3, 3)), capped, law).auto_approve
    assert not evaluate(claim(country="US", item_value=Decimal(190), claimed=D(2026, 3, 3)), capped, law).auto_approve
    frequent = claim(country="US", item_value=Decimal(90), previous_returns=4, claimed=D(2026, 3, 3))
    assert not evaluate(frequent, capped, law).auto_approve
    no_faults = policy(auto_approve_faults=False)
    assert not evaluate(claim(country="US", reason="defective", claimed=D(2026, 3, 3)), no_faults, law).auto_approve


def test_shop_warranty_covers_faults_after_the_legal_guarantee():
    law = jurisdiction_for("IT")
    decision = evaluate(claim(reason="defective", claimed=D(2028, 6, 1)), policy(warranty_months=36), law)
    assert decision.eligible and decision.basis == "commercial_warranty" and decision.deadline == D(2029, 3, 2)


def test_policy_exclusions_and_conditions_apply_only_above_the_law():
    law = jurisdiction_for("IT")
    strict = policy(excluded_categories=frozenset({"apparel"}), conditions=("unused",))
    within = evaluate(claim(claimed=D(2026, 3, 10), condition="used"), strict, law)
    assert within.eligible and within.basis == "statutory_withdrawal"
    after = evaluate(claim(claimed=D(2026, 3, 25)), strict, law)
    assert not after.eligible and "merchant_excluded_category" in codes(after)
    used = evaluate(claim(category="home", claimed=D(2026, 3, 25), condition="used"), strict, law)
    assert not used.eligible and "merchant_condition_not_met" in codes(used)


def test_store_credit_bonus_and_resolutions_and_methods():
    p = policy(
        resolutions=("refund", "store_credit", "exchange"),
        store_credit_bonus_percent=10,
        return_methods=("drop_off_qr",),
    )
    decision = evaluate(claim(claimed=D(2026, 3, 25)), p, jurisdiction_for("IT"))
    assert decision.resolutions == ("refund", "store_credit", "exchange")
    assert decision.store_credit_bonus_percent == 10
    assert decision.return_methods == ("drop_off_qr",)


def test_decision_round_trips_through_json_and_old_stored_steps_still_read():
    decision = evaluate(claim(claimed=D(2026, 3, 5)), policy(), jurisdiction_for("IT"))
    stored = decision.as_dict()
    assert stored["deadline"] == "2026-04-01"
    assert stored["summary"]["params"]["deadline"] == "2026-04-01"
    assert Step.from_dict(stored["summary"]).code == "summary_merchant_policy"
    assert Step.from_dict({"code": "summary_expired", "params": {"deadline": "2026-01-01"}}).reference == ""


@pytest.mark.parametrize("country", ["IT", "RO", "DE", "FR", "ES", "GB", "CN", "KR", "BR", "TR"])
def test_every_statutory_step_carries_its_article(country):
    decision = evaluate(claim(country=country, claimed=D(2026, 3, 3)), None, jurisdiction_for(country))
    first = decision.explanation[0]
    assert first.code == "statutory_withdrawal" and first.reference
