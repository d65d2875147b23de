"""Policy admins in the admin (draft, preview, simulate, diff, publish), the public page, policy_check."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from policies.models import ReturnPolicy
from rma.access import roles
from tests.policies.factories import PolicyRuleFactory
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy_admin(client):
    user = UserFactory(username="pat", is_staff=True, role=roles.POLICY_ADMIN)
    client.force_login(user)
    return user


@pytest.fixture
def draft(eu_policy):
    return ReturnPolicy.objects.create(region=eu_policy.region, version=eu_policy.version + 1, window_days=45)


def form_data(policy, **overrides):
    data = {
        "region": policy.region_id,
        "effective_from": "",
        "change_note": "",
        "window_days": policy.window_days,
        "window_start": "delivery",
        "change_of_mind_allowed": "on",
        "resolutions": ["refund"],
        "return_methods": ["mail_label"],
        "store_credit_bonus_percent": 0,
        "return_shipping_paid_by": "customer",
        "customer_shipping_share_percent": 50,
        "currency": "EUR",
        "restocking_fee_percent": "0",
        "warranty_months": 0,
        "auto_approve": "on",
        "auto_approve_faults": "on",
        "rules-TOTAL_FORMS": 0,
        "rules-INITIAL_FORMS": 0,
        "texts-TOTAL_FORMS": 0,
        "texts-INITIAL_FORMS": 0,
    }
    return {**data, **overrides}


def test_a_draft_below_the_law_is_refused_with_the_article(client, policy_admin, draft):
    url = reverse("admin:policies_returnpolicy_change", args=[draft.pk])
    response = client.post(url, form_data(draft, window_days=10))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Codice del Consumo Art. 52" in page and "shorter than the 14 days" in page
    draft.refresh_from_db()
    assert draft.window_days == 45


def test_a_rule_below_the_law_is_refused_in_the_form(client, policy_admin, draft):
    url = reverse("admin:policies_returnpolicy_change", args=[draft.pk])
    rule = {
        "rules-TOTAL_FORMS": 1,
        "rules-0-priority": 1,
        "rules-0-name": "Clearance",
        "rules-0-window_days": 5,
        "rules-0-auto_approve": "",
    }
    response = client.post(url, form_data(draft, **rule))
    assert response.status_code == 200
    assert "Clearance" in response.content.decode() and not draft.rules.exists()


def test_a_valid_draft_and_its_rules_are_saved(client, policy_admin, draft):
    url = reverse("admin:policies_returnpolicy_change", args=[draft.pk])
    rule = {
        "rules-TOTAL_FORMS": 1,
        "rules-0-priority": 1,
        "rules-0-name": "Phones",
        "rules-0-categories": ["electronics"],
        "rules-0-skus": "PH-1, PH-2",
        "rules-0-window_days": 20,
        "rules-0-auto_approve": "no",
    }
    response = client.post(url, form_data(draft, window_days=60, **rule))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.window_days == 60 and draft.status == "draft"
    saved = draft.rules.get()
    assert saved.skus == ["PH-1", "PH-2"] and saved.categories == ["electronics"]


def test_a_published_version_is_read_only_and_can_be_copied(client, policy_admin, eu_policy):
    url = reverse("admin:policies_returnpolicy_change", args=[eu_policy.pk])
    page = client.get(url).content.decode()
    assert 'name="window_days"' not in page and "New draft from this version" in page
    response = client.post(url, form_data(eu_policy, window_days=90))
    assert response.status_code == 403
    response = client.post(reverse("admin:policies_returnpolicy_copy", args=[eu_policy.pk]))
    assert response.status_code == 302
    assert ReturnPolicy.objects.filter(region=eu_policy.region, status="draft").count() == 1


def test_preview_shows_the_policy_in_every_language(client, policy_admin, draft):
    draft.texts.create(language="it", introduction="Resi gratuiti per 45 giorni.")
    page = client.get(reverse("admin:policies_returnpolicy_preview", args=[draft.pk])).content.decode()
    for code in ("en", "it", "ro", "zh-hans"):
        assert f'id="preview-{code}"' in page
    assert "Resi gratuiti per 45 giorni." in page and "Model withdrawal form" in page


def test_simulate_diff_and_publish_pages(client, policy_admin, draft, eu_policy):
    OrderLineFactory()
    simulate = client.get(reverse("admin:policies_returnpolicy_simulate", args=[draft.pk]))
    assert simulate.status_code == 200 and b"would change" in simulate.content
    diff = client.get(reverse("admin:policies_returnpolicy_diff", args=[draft.pk])).content.decode()
    assert "return window (days)" in diff and "45" in diff
    publish_url = reverse("admin:policies_returnpolicy_publish", args=[draft.pk])
    assert client.get(publish_url).status_code == 200
    response = client.post(publish_url, {"note": "Longer window"})
    assert response.status_code == 302
    draft.refresh_from_db()
    eu_policy.refresh_from_db()
    assert draft.status == "published" and draft.change_note == "Longer window" and eu_policy.status == "retired"


def test_overlapping_rules_are_shown_with_their_priorities(client, policy_admin, draft):
    PolicyRuleFactory(policy=draft, priority=1, name="Phones", categories=["electronics"], window_days=20)
    PolicyRuleFactory(policy=draft, priority=2, name="Everything", window_days=40)
    page = client.get(reverse("admin:policies_returnpolicy_change", args=[draft.pk])).content.decode()
    assert "Phones (priority 1) and Everything (priority 2)" in page


def test_public_policy_page_in_the_customers_language(client, eu_policy):
    eu_policy.texts.create(language="it", introduction="Benvenuti.")
    response = client.get("/it/policies/eu/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Benvenuti." in page and "Codice del Consumo Art. 52" in page and 'id="withdrawal-form"' in page
    assert client.get("/en/policies/").status_code == 200
    assert client.get("/en/policies/nowhere/").status_code == 404


def run_check(*args):
    out = StringIO()
    call_command("policy_check", *args, stdout=out)
    return out.getvalue()


BASE = ["--ordered", "2026-02-27", "--delivered", "2026-03-02", "--claimed", "2026-03-10"]


def test_policy_check_prints_json_with_the_specified_keys(eu_policy):
    payload = json.loads(
        run_check("--country", "IT", "--category", "apparel", "--reason", "change_of_mind", "--json", *BASE)
    )
    assert set(payload) == {
        "eligible",
        "basis",
        "deadline",
        "refund_due_days",
        "refund_due_from",
        "return_shipping_paid_by",
        "exception",
        "presumption_until",
        "explanation",
    }
    assert payload["eligible"] and payload["basis"] == "merchant_policy" and payload["deadline"] == "2026-04-01"
    assert all(set(step) == {"code", "text", "reference"} for step in payload["explanation"])


def test_policy_check_law_only_and_flags(db):
    sealed = [
        "--country",
        "DE",
        "--category",
        "hygiene_sealed",
        "--reason",
        "change_of_mind",
        "--condition",
        "unsealed",
    ]
    payload = json.loads(run_check(*sealed, "--law-only", "--json", *BASE))
    assert not payload["eligible"] and payload["exception"] == "hygiene_sealed" and payload["basis"] == "none"
    japan = ["--country", "JP", "--category", "home", "--reason", "change_of_mind", "--json"]
    dates = ["--ordered", "2026-02-27", "--delivered", "2026-03-02"]
    assert json.loads(run_check(*japan, *dates, "--claimed", "2026-03-09"))["eligible"]  # day 8, delivery day 1
    assert not json.loads(run_check(*japan, *dates, "--claimed", "2026-03-10"))["eligible"]
    assert not json.loads(run_check(*japan, "--terms-displayed", *dates, "--claimed", "2026-03-09"))["eligible"]
    france = ["--country", "FR", "--category", "apparel", "--reason", "change_of_mind", "--law-only", "--json"]
    uninformed = json.loads(run_check(*france, "--not-informed", *dates, "--claimed", "2026-09-01"))
    assert uninformed["eligible"] and uninformed["return_shipping_paid_by"] == "merchant"
    text = run_check("--country", "GB", "--category", "electronics", "--reason", "defective", "--law-only", *BASE)
    assert "short_term_reject" in text and "Consumer Rights Act 2015" in text


@pytest.mark.parametrize(
    ("flag", "value", "listed"),
    [
        ("--category", "shoes", "apparel"),
        ("--reason", "bored", "not_as_described"),
        ("--condition", "worn", "unsealed"),
    ],
)
def test_policy_check_unknown_codes_exit_2_listing_the_valid_ones(db, flag, value, listed):
    args = ["--country", "IT", "--category", "apparel", "--reason", "defective", *BASE, flag, value]
    with pytest.raises(CommandError) as error:
        call_command("policy_check", *args)
    assert error.value.returncode == 2 and listed in str(error.value)


def test_policy_check_unknown_country_and_bad_date_exit_2(db):
    with pytest.raises(CommandError) as error:
        call_command("policy_check", "--country", "XX", "--category", "apparel", "--reason", "defective", *BASE)
    assert error.value.returncode == 2 and "US-CA" in str(error.value)
    with pytest.raises(CommandError) as error:
        bad_date = ["--ordered", "2026-02-30", "--delivered", "2026-03-02", "--claimed", "2026-03-10"]
        call_command("policy_check", "--country", "IT", "--category", "apparel", "--reason", "defective", *bad_date)
    assert error.value.returncode == 2


def test_policy_check_last_delivered_starts_the_eu_period_from_the_last_item(db):
    args = ["--country", "IT", "--category", "apparel", "--reason", "change_of_mind", "--law-only", "--json"]
    dates = ["--ordered", "2026-02-27", "--delivered", "2026-03-02", "--last-delivered", "2026-03-10"]
    last_day = json.loads(run_check(*args, *dates, "--claimed", "2026-03-24"))  # 10 March + 14, a Tuesday
    assert last_day["eligible"] and last_day["deadline"] == "2026-03-24"
    assert "withdrawal_from_last_item" in [step["code"] for step in last_day["explanation"]]
    assert not json.loads(run_check(*args, *dates, "--claimed", "2026-03-25"))["eligible"]


def test_policy_check_informed_on_gives_fourteen_days_from_the_late_information(db):
    args = ["--country", "DE", "--category", "apparel", "--reason", "change_of_mind", "--law-only", "--json"]
    dates = ["--ordered", "2026-02-27", "--delivered", "2026-03-02", "--informed-on", "2026-05-01"]
    last_day = json.loads(run_check(*args, *dates, "--claimed", "2026-05-15"))
    assert last_day["eligible"] and last_day["deadline"] == "2026-05-15"
    assert "withdrawal_informed_late" in [step["code"] for step in last_day["explanation"]]
    assert not json.loads(run_check(*args, *dates, "--claimed", "2026-05-16"))["eligible"]


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (["--ordered", "2026-03-05", "--delivered", "2026-03-02", "--claimed", "2026-03-10"], "--delivered"),
        (["--ordered", "2026-02-27", "--delivered", "2026-03-02", "--claimed", "2026-03-01"], "--claimed"),
        (
            ["--ordered", "2026-02-27", "--delivered", "2026-03-02", "--claimed", "2026-03-10"]
            + ["--last-delivered", "2026-03-01"],
            "--last-delivered",
        ),
        (
            ["--ordered", "2026-02-27", "--delivered", "2026-03-02", "--claimed", "2026-03-10"]
            + ["--informed-on", "2026-03-11"],
            "--claimed",
        ),
    ],
)
def test_policy_check_impossible_date_order_is_an_error(db, dates, message):
    with pytest.raises(CommandError) as error:
        call_command("policy_check", "--country", "IT", "--category", "apparel", "--reason", "defective", *dates)
    assert error.value.returncode == 2 and "cannot happen" in str(error.value) and message in str(error.value)


@pytest.mark.parametrize("code", ["US-XX", "DE-BY", "XX"])
def test_policy_check_unknown_subdivision_exits_2_with_the_valid_list(db, code):
    with pytest.raises(CommandError) as error:
        call_command("policy_check", "--country", code, "--category", "apparel", "--reason", "defective", *BASE)
    assert error.value.returncode == 2 and "US-NY" in str(error.value) and "NO" in str(error.value)


def test_policy_check_new_york_without_displayed_terms(db):
    args = ["--country", "US-NY", "--category", "home", "--reason", "change_of_mind", "--law-only", "--json"]
    dates = ["--ordered", "2026-03-01", "--delivered", "2026-03-05"]
    assert json.loads(run_check(*args, *dates, "--claimed", "2026-03-31"))["eligible"]  # 30 days from purchase
    assert not json.loads(run_check(*args, *dates, "--claimed", "2026-04-01"))["eligible"]
    assert not json.loads(run_check(*args, "--terms-displayed", *dates, "--claimed", "2026-03-10"))["eligible"]


@pytest.fixture
def wider_eu(eu_policy):
    from tests.policies.factories import RegionCountryFactory

    for country in ("PT", "NL", "NO"):
        RegionCountryFactory(region=eu_policy.region, country=country)
    return eu_policy


def test_policy_page_shows_the_customers_country_first_with_its_national_rules(client, wider_eu):
    page = client.get("/en/policies/eu/?country=pt").content.decode()
    portugal = page.index("Portugal")
    assert portugal < page.index("Italy") and "Your country" in page[portugal : portugal + 200]
    assert "DL 84/2021 Art. 12" in page and "36 months" in page
    assert "as long as goods of the kind can be expected to last" in page and "BW 7:17, 7:23" in page  # NL
    assert "60 months" in page and "Forbrukerkjøpsloven § 27 annet ledd" in page  # NO
    assert "Your country" not in client.get("/en/policies/eu/?country=JP").content.decode()  # not in the region


def test_faq_marks_the_customers_country_and_answers_with_its_differences(client, wider_eu):
    page = client.get("/en/policies/eu/faq/?country=NL").content.decode()
    faults = page[page.index('id="faq-faults"') :]
    assert "Your country" in faults
    assert "Tell the shop about a fault within 2 months of discovering it" in faults
    assert "within 24 months of telling the shop about it" in faults  # BW 7:23 lid 2
    assert "within 26 months of delivery" in faults  # Italy, Codice del Consumo Art. 133
