"""The case page, its documents and its emails tell the same story as the case's state, in it, zh-hans and ar."""

import datetime
import html as html_lib
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from policies.models import ReturnPolicy
from rma.cases.models import ReturnCase
from rma.messaging.models import Notification
from rma.messaging.notifications import message_data, render_message
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import lookup

pytestmark = pytest.mark.django_db(transaction=True)
LANGUAGES = ["it", "zh-hans", "ar"]
DOCUMENTS = ["label.pdf", "documents/label-4x6.pdf", "documents/packing-slip.pdf"]


def file_return(client, lang, *, reason="too_small", resolution="refund", method=None, **order):
    line = OrderLineFactory(order=OrderFactory(**order), unit_price="40.00", **({"category": "electronics"}
                            if reason == "defective" else {}))  # fmt: skip
    lookup(client, line.order, lang=lang)
    data = {f"qty_{line.id}": "1", f"reason_{line.id}": reason, f"resolution_{line.id}": resolution}
    if method:
        data["return_method"] = method
    if resolution == "exchange":
        data[f"wish_{line.id}"] = "Size M"
    if reason == "defective":
        data[f"problem_{line.id}"] = "It stopped working."
    response = client.post(f"/{lang}/orders/{line.order.number}/return/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return ReturnCase.objects.get(items__order_line=line)


def force(case, status):
    # The FSM field is protected; the test moves the case straight to the state under test.
    ReturnCase.objects.filter(pk=case.pk).update(status=status)


def page(client, lang, case):
    """The case page's text as a reader sees it (entities such as the Italian apostrophe unescaped)."""
    return html_lib.unescape(client.get(f"/{lang}/cases/{case.rma_number}/").content.decode())


def mentions_qr(text: str) -> bool:
    """Chinese writes "QR code" as 二维码."""
    return "QR" in text or "二维码" in text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("status", ["cancelled", "rejected", "expired", "closed"])
def test_a_finished_case_offers_no_label_and_its_documents_answer_410(client, eu_policy, lang, status):
    case = file_return(client, lang)
    assert case.status == "label_issued"
    assert client.get(f"/{lang}/cases/{case.rma_number}/label.pdf").status_code == 200
    force(case, status)
    html = page(client, lang, case)
    with translation.override(lang):
        assert gettext("Download the return label (PDF)") not in html
        assert gettext("Packing slip (PDF): put it in the parcel") not in html
        assert gettext("Pack the items with the packing slip and bring the parcel to our return centre:") not in html
    assert "label.pdf" not in html and "packing-slip" not in html
    for document in DOCUMENTS:
        assert client.get(f"/{lang}/cases/{case.rma_number}/{document}").status_code == 410, document


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_drop_off_return_leads_with_the_qr_and_its_email_says_so(client, eu_policy, lang):
    ReturnPolicy.objects.filter(pk=eu_policy.pk).update(return_methods=["mail_label", "drop_off_qr"])
    case = file_return(client, lang, method="drop_off_qr")
    assert case.status == "label_issued" and case.return_method == "drop_off_qr"
    html = page(client, lang, case)
    assert 'alt="' in html and "data:image/svg+xml;base64," in html
    with translation.override(lang):
        label_link = gettext("Download the return label (PDF)")
    # The label is still there for who wants it, but not as the main button.
    assert not re.search(r'<a class="button"\s+href="[^"]*label\.pdf"', html)
    assert label_link in html
    label_mail = next(m for m in mail.outbox if case.rma_number in m.subject and mentions_qr(m.body))
    assert "stick it on the parcel" not in label_mail.body
    assert "label.pdf" not in label_mail.body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_received_email_of_an_exchange_does_not_promise_a_refund(client, eu_policy, lang):
    case = file_return(client, lang, resolution="exchange")
    force(case, "received")
    notification = Notification.objects.create(case=case, event="received", channel="email", language=lang,
                                               idempotency_key=f"t:{case.pk}", recipient="x@example.com")  # fmt: skip
    _subject, text, _html = render_message(message_data(notification))
    with translation.override(lang):
        assert gettext("Your parcel has arrived at our returns centre. We will refund you shortly.") not in text
        assert gettext("Your parcel has arrived at our returns centre. We will send you your item shortly.") in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_damage_claim_that_ships_nothing_does_not_say_how_it_is_sent(client, eu_policy, lang):
    line = OrderLineFactory(unit_price="8.00")
    lookup(client, line.order, lang=lang)
    from tests.rma.portal.test_kinds_ui import photo

    response = client.post(f"/{lang}/orders/{line.order.number}/return/", {
        f"qty_{line.id}": "1", f"reason_{line.id}": "damaged_in_transit", f"resolution_{line.id}": "refund",
        f"photos_{line.id}": [photo()],
    })  # fmt: skip
    assert response.status_code == 302
    case = ReturnCase.objects.get(items__order_line=line)
    assert not case.needs_shipment
    html = page(client, lang, case)
    with translation.override(lang):
        assert gettext("Your claim is approved. You do not need to send anything back; we are settling it now.") in html
        for sentence in ("Return shipping: free, the shop pays it.",
                         "When the money arrives: as soon as we have received and checked your item."):  # fmt: skip
            assert gettext(sentence) not in html
    assert "label.pdf" not in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_free_repair_under_the_legal_guarantee_mentions_no_price_difference(client, eu_policy, lang):
    case = file_return(client, lang, reason="defective", resolution="repair",
                       delivered_on=timezone.localdate() - datetime.timedelta(days=300))  # fmt: skip
    item = case.items.get()
    assert item.basis == "legal_guarantee", item.basis
    html = page(client, lang, case)
    with translation.override(lang):
        for sentence in (
            "Exchange, repair or replacement: we send you the item once we have yours; a price difference is "
            "charged or refunded.",
            "Exchange: we send you the new item once we have yours; a price difference is charged or refunded.",
        ):
            assert gettext(sentence) not in html
        assert (
            gettext(
                "Repair or replacement under the legal guarantee: free of charge; we send you the item once we "
                "have yours."
            )
            in html
        )
