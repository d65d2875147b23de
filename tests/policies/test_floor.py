"""The legal floor under a draft: each violation names the law's article; rule overlaps are found."""

from decimal import Decimal

from django.utils import translation

from policies.explain import render_step
from policies.floor import floor_violations, rule_overlaps
from policies.rules import PolicySnapshot, RuleSnapshot


def snapshot(**kw):
    fields = {
        "region": "EU",
        "version": 2,
        "window_days": 30,
        "change_of_mind_allowed": True,
        "return_shipping_paid_by": "customer",
        "auto_approve": True,
    }
    return PolicySnapshot(**{**fields, **kw})


def by_code(violations):
    return {v.step.code: v for v in violations}


def test_a_generous_policy_has_no_violations():
    assert floor_violations(snapshot(), ["IT", "DE", "GB", "US", "JP"]) == []


def test_a_short_window_names_each_states_own_article():
    violations = floor_violations(snapshot(window_days=10), ["IT", "AT", "BE"])
    texts = sorted(render_step(v.step) for v in violations)
    assert len(texts) == 3  # every EU state cites its own transposition (issue #19)
    assert {v.field for v in violations} == {"window_days"}
    assert any("Austria" in t and "FAGG § 11" in t for t in texts)
    assert any("Belgium" in t and "Code de droit économique Art. VI.47" in t for t in texts)
    assert any("Italy" in t and "Codice del Consumo Art. 52" in t and "10" in t and "14" in t for t in texts)


def test_countries_citing_the_same_article_are_merged():
    texts = sorted(render_step(v.step) for v in floor_violations(snapshot(refund_days=30), ["BE", "CZ", "IT"]))
    assert len(texts) == 2
    assert any("Belgium and Czechia" in t and "Directive 2011/83/EU Art. 13" in t for t in texts)


def test_refusing_change_of_mind_in_the_eu_is_below_the_law_but_not_in_japan():
    assert by_code(floor_violations(snapshot(change_of_mind_allowed=False), ["FR"]))["floor_no_change_of_mind"]
    assert floor_violations(snapshot(change_of_mind_allowed=False), ["JP", "US", "AU"]) == []


def test_exclusions_beyond_the_statutory_exceptions_and_a_missing_refund():
    found = by_code(
        floor_violations(
            snapshot(excluded_categories=frozenset({"apparel", "perishable"}), resolutions=("store_credit",)), ["DE"]
        )
    )
    assert "BGB § 312g (2)" in render_step(found["floor_excluded_category"].step)
    assert "Apparel" in render_step(found["floor_excluded_category"].step)
    assert found["floor_refund_missing"].field == "resolutions"


def test_refund_promise_longer_than_the_statute_and_window_from_order():
    found = by_code(floor_violations(snapshot(refund_days=30, window_start="order"), ["ES"]))
    assert "TRLGDCU Art. 107" in render_step(found["floor_refund_days"].step)
    assert "floor_window_from_order" in found


def test_rules_below_the_floor_are_named_with_their_priority():
    rules = (RuleSnapshot(priority=3, name="Sale items", window_days=7, resolutions=("store_credit",)),)
    found = by_code(floor_violations(snapshot(rules=rules), ["IT"]))
    text = render_step(found["floor_rule_window_short"].step)
    assert "Sale items" in text and "3" in text and "Codice del Consumo Art. 52" in text
    assert found["floor_rule_no_refund"].field == "rules"


def test_violations_render_in_every_language():
    violations = floor_violations(snapshot(window_days=3, change_of_mind_allowed=True, refund_days=40), ["IT", "CN"])
    for language in ("en", "it", "ro", "zh-hans"):
        with translation.override(language):
            for violation in violations:
                assert "%(" not in render_step(violation.step)


def test_overlapping_rules_are_listed_with_their_priorities():
    rules = [
        RuleSnapshot(priority=1, name="Phones", categories=frozenset({"electronics"}), window_days=15),
        RuleSnapshot(priority=2, name="Big orders", min_order_value=Decimal(500), window_days=60),
        RuleSnapshot(priority=3, name="Books", categories=frozenset({"books"}), window_days=10),
        RuleSnapshot(priority=4, name="Small orders", max_order_value=Decimal(100), window_days=5),
    ]
    pairs = {(o.first_priority, o.second_priority) for o in rule_overlaps(rules)}
    assert (1, 2) in pairs and (2, 3) in pairs
    assert (1, 3) not in pairs  # different categories never meet
    assert (2, 4) not in pairs  # order values from 500 and up to 100 never meet
