"""Each EU and EEA state's own entry (issue #19 item 1), tested from the statute's wording with its edge days."""

import datetime

import pytest

from policies.law import EU_EEA_STATES, jurisdiction_for
from policies.law_national import NATIONAL
from policies.rules import Claim, evaluate

D = datetime.date
MARCH_2 = D(2026, 3, 2)  # a Monday


def claim(country, claimed, *, reason="defective", delivered=MARCH_2, **kw):
    return Claim(
        country=country, category="electronics", reason=reason, delivered_on=delivered, claimed_on=claimed, **kw
    )


def codes(decision):
    return [step.code for step in decision.explanation]


@pytest.mark.parametrize("code", sorted(EU_EEA_STATES))
def test_every_eu_and_eea_state_has_its_own_entry_with_national_citations(code):
    law = jurisdiction_for(code)
    assert code in NATIONAL
    assert law.code == code and law.holiday_country == code
    assert law.withdrawal_days == 14 and law.refund_due_days == 14
    assert not law.withdrawal_reference.startswith("Directive")  # the national transposition is cited
    assert law.guarantee_reference and not law.guarantee_reference.startswith("Directive")
    assert law.fault_period_fixed or law.no_fixed_period_reason
    # The portal offers the "withdraw from contract here" function (CRD Art. 11a) to EU customers only.
    assert bool(law.withdrawal_function_reference) == (code not in {"NO", "IS", "LI"})


def test_portugal_three_year_guarantee_last_day_and_day_after():
    law = jurisdiction_for("PT")  # DL 84/2021 art. 12: three years from delivery
    last = evaluate(claim("PT", D(2029, 3, 2)), None, law)
    assert last.eligible and last.basis == "legal_guarantee" and last.deadline == D(2029, 3, 2)
    after = evaluate(claim("PT", D(2029, 3, 3)), None, law)
    assert not after.eligible and after.explanation[-1].code == "summary_fault_expired"


def test_portugal_presumption_runs_two_years():
    law = jurisdiction_for("PT")  # DL 84/2021 art. 13
    assert "presumption" in codes(evaluate(claim("PT", D(2028, 3, 2)), None, law))
    assert "presumption_ended" in codes(evaluate(claim("PT", D(2028, 3, 3)), None, law))


def test_sweden_three_years_and_a_two_year_presumption():
    law = jurisdiction_for("SE")
    assert evaluate(claim("SE", D(2029, 3, 2)), None, law).eligible
    assert not evaluate(claim("SE", D(2029, 3, 3)), None, law).eligible
    decision = evaluate(claim("SE", D(2028, 3, 2)), None, law)
    assert decision.presumption_until == D(2028, 3, 2) and "presumption" in codes(decision)
    assert "notification_duty" in codes(decision)


def test_germany_two_years_one_year_presumption_and_limitation_from_delivery():
    law = jurisdiction_for("DE")
    decision = evaluate(claim("DE", D(2027, 3, 3)), None, law)
    assert "presumption_ended" in codes(decision)
    limitation = next(s for s in decision.explanation if s.code == "limitation_from_delivery")
    assert dict(limitation.params)["deadline"] == D(2028, 3, 2)
    assert limitation.reference == "BGB § 438 (1) Nr. 3, (2)"


def test_austria_limitation_is_three_months_after_the_two_years():
    decision = evaluate(claim("AT", D(2027, 1, 1)), None, jurisdiction_for("AT"))
    step = next(s for s in decision.explanation if s.code == "limitation_from_delivery")
    assert dict(step.params) == {"months": 27, "deadline": D(2028, 6, 2)}


@pytest.mark.parametrize("code", ["NL", "FI"])
def test_expected_lifespan_states_route_late_faults_to_an_agent_with_the_reason(code):
    decision = evaluate(claim(code, D(2031, 3, 2)), None, jurisdiction_for(code))  # five years on
    assert decision.eligible and decision.deadline is None and not decision.auto_approve
    assert "review_expected_lifespan" in codes(decision)
    assert decision.summary.code == "summary_fault_review"
    assert "notification_duty" in codes(decision)


def test_netherlands_limitation_runs_from_the_notification():
    decision = evaluate(claim("NL", D(2026, 9, 1)), None, jurisdiction_for("NL"))
    step = next(s for s in decision.explanation if s.code == "limitation_from_notification")
    assert step.reference == "BW 7:23 lid 2" and dict(step.params) == {"months": 24}


def test_norway_two_years_then_review_for_long_lasting_goods_until_five_years():
    law = jurisdiction_for("NO")  # forbrukerkjøpsloven § 27 annet ledd
    last = evaluate(claim("NO", D(2028, 3, 2)), None, law)
    assert last.eligible and last.deadline == D(2028, 3, 2) and last.basis == "legal_guarantee"
    after = evaluate(claim("NO", D(2028, 3, 3)), None, law)
    assert after.eligible and after.deadline is None and "review_long_life" in codes(after)
    assert evaluate(claim("NO", D(2031, 3, 2)), None, law).eligible
    assert not evaluate(claim("NO", D(2031, 3, 3)), None, law).eligible


def test_norway_presumes_for_two_years_last_day_and_day_after():
    # Forbrukerkjøpsloven § 18 as amended from 1 January 2024: the seller bears the burden for two years.
    law = jurisdiction_for("NO")
    last = evaluate(claim("NO", D(2028, 3, 2)), None, law)
    assert last.presumption_until == D(2028, 3, 2) and "presumption" in codes(last)
    step = next(s for s in last.explanation if s.code == "presumption")
    assert step.reference == "Forbrukerkjøpsloven § 18"
    assert "presumption_ended" in codes(evaluate(claim("NO", D(2028, 3, 3)), None, law))


def test_austria_cites_its_own_act_for_late_information_cost_and_presumption():
    law = jurisdiction_for("AT")  # FAGG § 12, § 15 (2); VGG § 11 (1): one year
    late = evaluate(claim("AT", D(2027, 3, 16), reason="change_of_mind", informed=False), None, law)
    assert late.eligible and late.deadline == D(2027, 3, 16)
    assert any(s.reference == "FAGG § 12" for s in late.explanation)
    assert not evaluate(claim("AT", D(2027, 3, 17), reason="change_of_mind", informed=False), None, law).eligible
    assert law.cost_reference == "FAGG § 15 (2)" and law.diminished_value_reference == "FAGG § 15 (4)"
    assert "presumption" in codes(evaluate(claim("AT", D(2027, 3, 2)), None, law))
    assert "presumption_ended" in codes(evaluate(claim("AT", D(2027, 3, 3)), None, law))


def test_ireland_has_a_thirty_day_short_term_right_to_terminate():
    law = jurisdiction_for("IE")
    decision = evaluate(claim("IE", D(2026, 4, 1)), None, law)
    assert decision.basis == "short_term_reject" and decision.deadline == D(2026, 4, 1)
    assert evaluate(claim("IE", D(2026, 4, 2)), None, law).basis == "legal_guarantee"


def test_belgium_and_poland_presume_for_two_years():
    for code in ("BE", "PL"):
        assert "presumption" in codes(evaluate(claim(code, D(2028, 3, 2)), None, jurisdiction_for(code)))


def test_withdrawal_last_day_on_a_portuguese_holiday_rolls_over_in_portugal_only():
    # 27 May + 14 days = Wednesday 10 June 2026, Dia de Portugal; an ordinary day in Germany.
    delivered = D(2026, 5, 27)
    pt = evaluate(
        claim("PT", D(2026, 6, 11), reason="change_of_mind", delivered=delivered), None, jurisdiction_for("PT")
    )
    assert pt.eligible and pt.deadline == D(2026, 6, 11) and "deadline_moved" in codes(pt)
    assert not evaluate(
        claim("PT", D(2026, 6, 12), reason="change_of_mind", delivered=delivered), None, jurisdiction_for("PT")
    ).eligible
    de = evaluate(
        claim("DE", D(2026, 6, 11), reason="change_of_mind", delivered=delivered), None, jurisdiction_for("DE")
    )
    assert not de.eligible and de.deadline == D(2026, 6, 10)


def test_iceland_national_day_moves_the_last_day():
    delivered = D(2026, 6, 3)  # + 14 = Wednesday 17 June, Þjóðhátíðardagurinn
    decision = evaluate(
        claim("IS", D(2026, 6, 18), reason="change_of_mind", delivered=delivered), None, jurisdiction_for("IS")
    )
    assert decision.eligible and decision.deadline == D(2026, 6, 18)


def test_eea_state_not_informed_gets_twelve_more_months():
    law = jurisdiction_for("NO")
    informed = evaluate(claim("NO", D(2026, 3, 16), reason="change_of_mind"), None, law)
    assert informed.deadline == D(2026, 3, 16)
    not_informed = evaluate(claim("NO", D(2027, 3, 16), reason="change_of_mind", informed=False), None, law)
    assert not_informed.eligible and not_informed.deadline == D(2027, 3, 16)
    assert not evaluate(claim("NO", D(2027, 3, 17), reason="change_of_mind", informed=False), None, law).eligible


def test_every_step_of_every_jurisdiction_renders_in_english_and_german():
    from django.utils import translation

    from policies.explain import render_explanation
    from policies.law import ENCODED
    from policies.taxonomy import Category, Condition

    for code in (*ENCODED, "US-TX"):
        law = jurisdiction_for(code)
        for category in Category.values:
            for condition in (None, *Condition.values):
                for reason, claimed in (("change_of_mind", D(2026, 3, 10)), ("defective", D(2029, 3, 3))):
                    decision = evaluate(
                        Claim(
                            country=code,
                            category=category,
                            reason=reason,
                            delivered_on=MARCH_2,
                            claimed_on=claimed,
                            condition=condition,
                            informed=condition != "used",
                            ordered_on=MARCH_2,
                            terms_displayed=False,
                        ),
                        None,
                        law,
                    )
                    for language in ("en", "de"):
                        with translation.override(language):
                            assert all(step["text"] for step in render_explanation(decision.explanation))
