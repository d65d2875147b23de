"""The FAQ page of a region, built from its published policy and the law of its countries."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from policies import services
from policies.models import ReturnPolicy
from tests.policies.factories import (
    PolicyRuleFactory,
    RegionCountryFactory,
    RegionFactory,
    ReturnCenterFactory,
    ReturnPolicyFactory,
)
from tests.rma.factories import UserFactory

pytestmark = pytest.mark.django_db

WITHDRAW_URL = "/en/withdraw/"


def faq(client, region="eu", language="en"):
    response = client.get(f"/{language}/policies/{region}/faq/")
    assert response.status_code == 200
    return response.content.decode()


def raw_answer(page: str, topic: str) -> str:
    """The markup of one question and its answer ("" if the question is left out)."""
    match = re.search(rf'<details id="faq-{topic}">(.*?)</details>', page, re.S)
    return match.group(1) if match else ""


def answer(page: str, topic: str) -> str:
    """The text of one question and its answer, tags stripped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", raw_answer(page, topic)).split())


def region_with(code: str, countries, **policy_fields):
    region = RegionFactory(code=code, name=f"Region {code}")
    for country in countries:
        RegionCountryFactory(region=region, country=country)
    return region, ReturnPolicyFactory(region=region, **policy_fields)


@pytest.fixture
def generous_policy(db):
    region, policy = region_with(
        "EU",
        ("IT", "DE"),
        window_days=45,
        return_shipping_paid_by="shared",
        customer_shipping_share_percent=40,
        currency="EUR",
        free_return_min_order_value=Decimal("100.00"),
        free_first_return=True,
        restocking_fee_percent=Decimal("10"),
        refund_days=5,
        warranty_months=36,
        conditions=["unused", "tags_attached"],
        excluded_categories=["cosmetics"],
        store_credit_bonus_percent=15,
        return_methods=["mail_label", "drop_off_qr", "return_center"],
    )
    PolicyRuleFactory(policy=policy, priority=1, name="Phones", categories=["electronics"], window_days=60)
    PolicyRuleFactory(policy=policy, priority=2, name="Big orders", min_order_value=Decimal("500"),
                      restocking_fee_percent=Decimal("0"))  # fmt: skip
    ReturnCenterFactory(name="Hub Milano", address="Via Industria 1\n20100 Milano", countries_served=["IT"])
    ReturnCenterFactory(name="Lager Köln", address="Industriestraße 5\n50667 Köln", country="DE",
                        countries_served=["DE"])  # fmt: skip
    return policy


def test_the_answers_carry_the_policys_figures(client, generous_policy):
    page = faq(client)
    assert page.count("<h1>") == 1 and page.count("<details") == 12
    window = answer(page, "window")
    assert "The shop accepts returns for any reason within 45 days of delivery." in window
    assert "For Electronics the shop accepts returns within 60 days." in window
    assert "within 14 days of receiving the goods" in window and "Codice del Consumo Art. 52" in window
    assert "the period ends on the next working day" in window and "BGB §§ 187, 188, 193" in window
    shipping = answer(page, "shipping")
    assert "You pay 40% of the return shipping and the shop pays the rest." in shipping
    assert "Return shipping is free because your order is worth at least €100.00." in shipping
    assert "Return shipping is free for your first return." in shipping
    fee = answer(page, "fee")
    assert "A restocking fee of 10% of the price is deducted from the refund." in fee
    assert "Under the special rule “Big orders” no restocking fee is charged for the items and orders it covers." in fee
    assert "No restocking fee is charged while your legal right of withdrawal applies." in fee
    methods = answer(page, "methods")
    assert "a prepaid postal label, a drop-off point with a QR code, and a return centre" in methods
    assert "show the QR code" in methods and "You can bring the parcel to the return centre" in methods
    assert "Hub Milano Via Industria 1 20100 Milano For returns from Italy" in methods
    assert "Lager Köln Industriestraße 5 50667 Köln For returns from Germany" in methods
    exchange = answer(page, "exchange")
    assert "store credit, an exchange" in exchange and "Store credit comes with a bonus of 15%." in exchange
    refund = answer(page, "refund")
    assert "The shop promises to refund within 5 days of receiving the item." in refund
    assert "The refund is due within 14 days of telling the shop you are withdrawing." in refund
    faults = answer(page, "faults")
    assert "The shop adds its own warranty against faults for 36 months from delivery." in faults
    assert "for 24 months" in faults and "first 12 months" in faults and "Directive" not in faults
    assert "BGB § 438" in faults and "a repair, a replacement" in faults
    assert "items must be returned unused and with tags attached" in answer(page, "condition")
    assert "does not accept change-of-mind returns of Cosmetics" in answer(page, "exceptions")


def test_publishing_a_new_version_changes_the_answers(client, eu_policy):
    before = faq(client)
    assert "within 30 days of delivery" in answer(before, "window")
    assert "You pay the return shipping." in answer(before, "shipping")
    admin = UserFactory(username="policy-admin")
    draft = services.policy_copy_as_draft(policy=eu_policy, actor=admin)
    services.policy_update_draft(policy=draft, actor=admin, window_days=60, return_shipping_paid_by="merchant",
                                 resolutions=["refund"], restocking_fee_percent=Decimal("5"))  # fmt: skip
    services.policy_publish(policy=draft, actor=admin)
    after = faq(client)
    assert "within 60 days of delivery" in answer(after, "window")
    assert "within 30 days" not in after
    assert "The shop pays the return shipping." in answer(after, "shipping")
    assert "A restocking fee of 5% of the price" in answer(after, "fee")
    # Refunds only: the question about exchanges and store credit no longer applies.
    assert answer(before, "exchange") and not answer(after, "exchange")


def test_the_eu_answers_how_to_withdraw_and_links_the_withdrawal_function(client, eu_policy):
    page = faq(client)
    withdrawal = answer(page, "withdrawal")
    assert "“Withdraw from contract here” function" in withdrawal and "Directive 2011/83/EU Art. 11a" in withdrawal
    links = raw_answer(page, "withdrawal")
    assert f'href="{WITHDRAW_URL}"' in links and 'href="/en/policies/EU/#withdrawal-form"' in links
    assert 'href="/en/"' in raw_answer(page, "start")


@pytest.mark.parametrize(("code", "countries"), [("JP", ("JP",)), ("US", ("US", "US-CA"))])
def test_no_withdrawal_answer_where_the_law_grants_no_such_right(client, code, countries):
    region_with(code, countries, window_days=30)
    page = faq(client, code.lower())
    assert 'id="faq-withdrawal"' not in page and WITHDRAW_URL not in page
    assert "Model withdrawal form" not in page
    change_of_mind = answer(page, "change-of-mind")
    assert "The shop accepts returns for any reason within 30 days of delivery." in change_of_mind
    if code == "JP":
        assert "only where a shop displays no return terms; this shop displays its terms." in change_of_mind
        assert "特定商取引法 第15条の3" in change_of_mind
    else:
        assert "The law of your country gives no right to return goods for a change of mind." in change_of_mind
        assert "California Civil Code § 1723" in change_of_mind


def test_answers_differ_by_country_where_the_law_differs(client):
    region_with("EUUK", ("FR", "GB"), window_days=30)
    withdrawal = answer(faq(client, "euuk"), "withdrawal")
    assert "Under the law of France: " in withdrawal and "Under the law of United Kingdom: " in withdrawal
    assert "“Withdraw from contract here” function" in withdrawal
    assert "Tell the shop within the withdrawal period that you are withdrawing" in withdrawal
    assert "Consumer Contracts Regulations 2013 reg. 29, 30" in withdrawal
    faults = answer(faq(client, "euuk"), "faults")
    assert "reject faulty goods for a full refund within 30 days" in faults


def test_a_region_without_a_published_policy_gets_the_laws_answers(client):
    region, _none = region_with("EU", ("IT",), status=ReturnPolicy.Status.DRAFT, window_days=90)
    page = faq(client)
    assert "This region has no published return policy yet" in page and "90 days" not in page
    assert "Under the shop's return policy" not in page
    for topic in ("fee", "methods", "exchange"):
        assert not answer(page, topic)
    assert "within 14 days of receiving the goods" in answer(page, "window")
    assert f'href="{WITHDRAW_URL}"' in raw_answer(page, "withdrawal")


def test_without_published_terms_the_japanese_no_terms_right_is_the_window(client):
    region_with("JP", ("JP",), status=ReturnPolicy.Status.DRAFT)
    window = answer(faq(client, "jp"), "window")
    assert "the law lets you return goods within 8 days of receiving them" in window
    assert "counts as its first day" in window


def test_the_shops_own_introduction_in_the_readers_language(client, eu_policy):
    eu_policy.texts.create(language="it", introduction="Resi facili.")
    assert "Resi facili." in faq(client, language="it") and "Resi facili." not in faq(client)


def test_unknown_region_is_not_found(client, eu_policy):
    assert client.get("/en/policies/nowhere/faq/").status_code == 404


def test_the_policy_page_and_the_index_link_to_the_faq(client, eu_policy):
    url = reverse("policies:policy_faq", kwargs={"region": "EU"})
    assert f'href="{url}"' in client.get("/en/policies/eu/").content.decode()
    assert f'href="{url}"' in client.get("/en/policies/").content.decode()


class MissingVariables(str):
    """A ``string_if_invalid`` that records the name of every variable a template could not resolve."""

    def __new__(cls):
        recorder = super().__new__(cls, "?")
        recorder.names = []
        return recorder

    def __contains__(self, item):
        return True  # Django asks whether "%s" is in it, then formats it with the variable's name

    def __mod__(self, variable):
        self.names.append(str(getattr(variable, "var", variable)))
        return ""


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_faq_renders_in_every_language(client, settings, generous_policy, language):
    missing = MissingVariables()
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "string_if_invalid": missing}}]
    page = faq(client, language=language)
    # shop_name is base.html's own optional variable, outside this page.
    assert [name for name in missing.names if name != "shop_name"] == []
    html = re.search(r"<html[^>]*>", page).group(0)
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' if language == "ar" else 'dir="ltr"') in html
    assert page.count("<details") == 12 and "Hub Milano" in page
    with translation.override(language):
        question = translation.gettext("What if the item is faulty?")
    assert question in page


def test_questions_that_do_not_apply_are_left_out(client):
    region_with("US", ("US",), change_of_mind_allowed=False, restocking_fee_percent=Decimal("15"),
                resolutions=["refund"])  # fmt: skip
    page = faq(client, "us")
    # No window under the policy or the law, no withdrawal right, refunds only: three questions left out.
    for topic in ("window", "withdrawal", "exchange"):
        assert not raw_answer(page, topic)
    assert "does not accept change-of-mind returns" in answer(page, "exceptions")
    assert "The shop charges no restocking fee." in answer(page, "fee")
    assert "15%" not in page and "n/a" not in page


def test_the_faq_reads_the_region_once_and_one_centre_lookup_per_country(client, generous_policy,
                                                                          django_assert_num_queries):  # fmt: skip
    # Region, policy, its rules, countries, texts; then selectors.return_center_for_country per country.
    with django_assert_num_queries(5 + 2):
        faq(client)


def test_the_label_fee_is_part_of_the_shipping_answer(client, db):
    from decimal import Decimal

    from tests.policies.factories import RegionCountryFactory, RegionFactory, ReturnPolicyFactory

    region = RegionFactory(code="XL", name="Label land")
    RegionCountryFactory(region=region, country="IT")
    ReturnPolicyFactory(region=region, return_shipping_paid_by="customer", return_label_fee=Decimal("4.90"),
                        currency="EUR", return_methods=["mail_label", "return_center"])  # fmt: skip
    page = client.get("/de/policies/xl/faq/").content.decode()
    assert "4,90\xa0€" in page
