"""Drafts, publishing against the legal floor, immutability of published versions, selectors, simulation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from policies import selectors, services
from policies.models import PolicyRule, ReturnPolicy
from tests.policies.factories import (
    PolicyRuleFactory,
    RegionCountryFactory,
    RegionFactory,
    ReturnCenterFactory,
    ReturnPolicyFactory,
)
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(username="pat", is_staff=True)


def test_publishing_a_draft_retires_the_previous_version_and_records_who_and_why(eu_policy, admin_user):
    draft = services.policy_create_draft(region=eu_policy.region, window_days=45)
    assert draft.version == eu_policy.version + 1 and draft.status == "draft"
    services.policy_publish(policy=draft, actor=admin_user, note="Longer window for the holidays")
    eu_policy.refresh_from_db()
    draft.refresh_from_db()
    assert eu_policy.status == "retired" and draft.status == "published"
    assert draft.published_by == admin_user and draft.change_note == "Longer window for the holidays"
    assert draft.effective_from is not None


def test_a_draft_below_the_law_cannot_be_published_and_the_error_names_the_article(eu_policy, admin_user):
    draft = services.policy_create_draft(region=eu_policy.region, window_days=7, change_of_mind_allowed=True)
    with pytest.raises(ValidationError) as error:
        services.policy_publish(policy=draft, actor=admin_user)
    text = " ".join(error.value.messages)
    assert "Codice del Consumo Art. 52" in text and "BGB §§ 312g, 355, 356" in text
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_rule_below_the_law_blocks_publishing(eu_policy, admin_user):
    draft = services.policy_create_draft(region=eu_policy.region)
    services.policy_rule_create(policy=draft, actor=admin_user, priority=1, name="Sale", window_days=3)
    with pytest.raises(ValidationError) as error:
        services.policy_publish(policy=draft, actor=admin_user)
    assert "Sale" in " ".join(error.value.messages)


def test_published_versions_are_never_edited(eu_policy, admin_user):
    with pytest.raises(services.PolicyNotEditable):
        services.policy_update_draft(policy=eu_policy, actor=admin_user, window_days=60)
    with pytest.raises(services.PolicyNotEditable):
        services.policy_rule_create(policy=eu_policy, actor=admin_user, priority=1, name="x")
    with pytest.raises(services.PolicyNotEditable):
        services.policy_text_set(policy=eu_policy, actor=admin_user, language="it", introduction="Ciao")
    with pytest.raises(ValidationError):
        services.policy_publish(policy=eu_policy, actor=admin_user)


def test_a_new_draft_copies_terms_rules_and_texts(eu_policy, admin_user):
    eu_policy.resolutions = ["refund", "store_credit"]
    eu_policy.save()
    PolicyRule.objects.create(policy=eu_policy, priority=1, name="Phones", categories=["electronics"], window_days=20)
    eu_policy.texts.create(language="it", introduction="Resi facili.")
    draft = services.policy_copy_as_draft(policy=eu_policy, actor=admin_user)
    assert draft.status == "draft" and draft.resolutions == ["refund", "store_credit"]
    assert list(draft.rules.values_list("name", "window_days")) == [("Phones", 20)]
    assert draft.texts.get().introduction == "Resi facili."
    assert selectors.policy_diff(old=eu_policy, new=draft) == []
    services.policy_update_draft(policy=draft, actor=admin_user, window_days=60)
    labels = [change.label for change in selectors.policy_diff(old=eu_policy, new=draft)]
    assert labels == ["return window (days)"]


def test_policy_context_reports_the_default_region_as_a_fallback(eu_policy):
    context = selectors.policy_context(country="IT")
    assert context.policy == eu_policy and not context.fallback
    far = selectors.policy_context(country="NZ")
    assert far.policy == eu_policy and far.fallback and far.jurisdiction.code == "NZ"
    policy, snapshot, law = selectors.policy_context_for_country(country="DE")
    assert policy == eu_policy and snapshot.version == eu_policy.version and law.code == "DE"


def test_us_states_fall_back_to_their_country_region(db):
    region = RegionFactory(code="US")
    RegionCountryFactory(region=region, country="US")
    ReturnPolicyFactory(region=region)
    context = selectors.policy_context(country="US-CA")
    assert context.region == region and not context.fallback and context.jurisdiction.code == "US-CA"


def test_snapshot_carries_rules_in_priority_order(eu_policy):
    PolicyRuleFactory(policy=eu_policy, priority=5, name="Late", auto_approve="no")
    PolicyRuleFactory(policy=eu_policy, priority=2, name="Early", skus=["A-1"], window_days=40)
    snapshot = selectors.policy_snapshot(eu_policy)
    assert [r.name for r in snapshot.rules] == ["Early", "Late"]
    assert snapshot.rules[1].auto_approve is False and snapshot.rules[0].skus == frozenset({"A-1"})


def test_return_centre_for_a_country():
    milan = ReturnCenterFactory(name="Milano", country="IT", customs_territory="EU", countries_served=["IT", "FR"])
    rotterdam = ReturnCenterFactory(name="Rotterdam", country="NL", customs_territory="EU")
    london = ReturnCenterFactory(name="London", country="GB", customs_territory="GB")
    fallback = ReturnCenterFactory(name="Hub", country="DE", customs_territory="EU", is_fallback=True)
    assert selectors.return_center_for_country(country="FR") == milan
    assert selectors.return_center_for_country(country="NL") == rotterdam
    assert selectors.return_center_for_country(country="GB") == london
    assert selectors.return_center_for_country(country="PL") in {fallback, milan, rotterdam}
    assert selectors.customs_territory("PL") == "EU"
    assert selectors.return_center_for_country(country="JP") == fallback


def test_simulation_lists_the_decisions_a_draft_would_change(eu_policy, admin_user):
    old_order = OrderLineFactory(order__delivered_on=datetime.date.today() - datetime.timedelta(days=40))
    recent = OrderLineFactory(order__delivered_on=datetime.date.today() - datetime.timedelta(days=3))
    draft = services.policy_create_draft(region=eu_policy.region, window_days=60, resolutions=eu_policy.resolutions)
    report = selectors.policy_simulate(policy=draft, limit=50)
    assert report.evaluated == 2
    changed = {change.claim.sku: change for change in report.changed}
    assert "eligible" in changed[old_order.sku].changes  # past 30 days, within 60
    assert changed[recent.sku].changes == ("deadline",)  # returnable either way, for longer


def test_simulation_without_a_source(eu_policy, settings):
    settings.POLICY_SIMULATION_SOURCE = ""
    assert selectors.policy_simulate(policy=eu_policy).source_missing


def test_draft_status_is_not_published_by_a_form_save(eu_policy, admin_user):
    draft = ReturnPolicy(region=eu_policy.region, window_days=20)
    services.policy_save_draft(policy=draft, actor=admin_user)
    assert draft.version == eu_policy.version + 1 and draft.status == "draft"
    with pytest.raises(services.PolicyNotEditable):
        services.policy_save_draft(policy=eu_policy, actor=admin_user)


def test_a_draft_with_a_future_effective_date_is_scheduled_then_published_on_the_day(eu_policy, admin_user):
    import datetime

    today = datetime.date(2026, 12, 1)
    draft = services.policy_create_draft(region=eu_policy.region, window_days=45, resolutions=eu_policy.resolutions,
                                         effective_from=datetime.date(2026, 12, 15))  # fmt: skip
    services.policy_publish(policy=draft, actor=admin_user, note="Winter sale", today=today)
    draft.refresh_from_db()
    eu_policy.refresh_from_db()
    assert draft.status == "draft" and draft.scheduled and eu_policy.status == "published"
    assert services.policies_publish_due(today=datetime.date(2026, 12, 14)) == []
    [published] = services.policies_publish_due(today=datetime.date(2026, 12, 15))
    eu_policy.refresh_from_db()
    assert published.pk == draft.pk and published.status == "published" and published.published_by == admin_user
    assert eu_policy.status == "retired"
    assert services.policies_publish_due(today=datetime.date(2026, 12, 16)) == []
