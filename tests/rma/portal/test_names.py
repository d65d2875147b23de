"""Region and country names in the reader's language, and no stored code in a sentence (issue #18 item 11)."""

import re
from pathlib import Path

import pytest
from babel import Locale
from django.utils import translation
from django.utils.translation import gettext

from policies.explain import render_step
from policies.rules import Step
from rma.cases import events
from rma.cases.models import CaseEvent
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


@pytest.mark.parametrize("language", ["it", "zh-hans", "ar", "ja", "de"])
def test_region_names_are_babels_in_the_readers_language(client, eu_policy, language):
    name = Locale.parse(translation.to_locale(language)).territories["EU"]
    assert name != "European Union"
    index = client.get(f"/{language}/policies/").content.decode()
    public = client.get(f"/{language}/policies/eu/").content.decode()
    faq = client.get(f"/{language}/policies/eu/faq/").content.decode()
    for page in (index, public, faq):
        assert name in page and "European Union" not in page


@pytest.mark.parametrize("language", ["it", "zh-hans", "ar"])
def test_who_pays_return_shipping_is_a_whole_sentence_not_a_label(language):
    with translation.override(language):
        for payer, sentence in (("customer", "You pay the return shipping."),
                                ("merchant", "The shop pays the return shipping.")):  # fmt: skip
            said = render_step(Step("shipping_payer", (("payer", payer),)))
            assert said == gettext(sentence)
            assert gettext("Customer") not in said or language == "zh-hans"


def test_the_agents_case_page_names_the_country(client, agent, eu_policy):
    from rma.cases import services

    line = OrderLineFactory(order__customer__country="IT")
    case = services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language="it")  # fmt: skip
    client.force_login(agent)
    page = client.get(f"/agent/cases/{case.rma_number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r"<dd>\s*Italy\s*</dd>", page)


@pytest.mark.parametrize("language", ["it", "ar"])
def test_a_carrier_scan_reads_as_words_in_the_timeline(language):
    row = CaseEvent(kind=CaseEvent.Kind.TRACKING, data={"status": "picked_up", "location": "Milano"})
    with translation.override(language):
        headline = events.ParcelScanned.headline(row)
        assert "picked_up" not in headline and "Milano" in headline
        unknown = events.ParcelScanned.headline(CaseEvent(kind=CaseEvent.Kind.TRACKING, data={"status": "XZ9"}))
        assert "XZ9" not in unknown


def test_customer_facing_templates_show_no_stored_code_raw():
    """Countries, statuses, kinds, methods, reasons and resolutions go through a label or a name filter."""
    raw = re.compile(
        r"\{\{\s*(?!form\.)[\w.]*\.(country|ship_country|status|kind|return_method|reason|resolution|basis|category|condition)"
        r"\s*\}\}"
    )
    found = []
    for folder in ("rma/portal", "rma/emails", "rma/withdrawal", "rma/pdf", "rma/privacy", "policies"):
        for path in (TEMPLATES / folder).rglob("*.*"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if raw.search(line) and "value=" not in line and "class=" not in line:
                    found.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    assert found == []
