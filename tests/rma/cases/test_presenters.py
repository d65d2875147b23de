"""The state matrix: every status x kind x method x resolution, in it, zh-hans and ar, never contradicts itself."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from policies.taxonomy import ReturnMethod
from rma.cases import presenters
from rma.cases.models import OPEN_STATUSES, CaseKind, CaseStatus, Resolution
from rma.messaging.notices import NOTICES

S = CaseStatus
LANGUAGES = ["it", "zh-hans", "ar"]
RESOLUTION_SETS = [frozenset({r}) for r in Resolution.values] + [
    frozenset({Resolution.REFUND, Resolution.EXCHANGE}),
    frozenset({Resolution.STORE_CREDIT, Resolution.REPAIR}),
]
PACKING_SLIP = "Pack the items with the packing slip"
PRICE_DIFFERENCE = (
    "Exchange: we send you the new item once we have yours; a price difference is charged or refunded.",
    "Exchange: we send you the new item; a price difference is charged or refunded.",
)
ON_ITS_WAY = (
    "Your refund is on its way: we have sent it to the payment provider and will email you as soon as it is paid."
)
REFUND_ON_ARRIVAL = "Your parcel is on its way to us. We will refund you once it has arrived."


def all_facts():
    for status, kind, method, resolutions, ships, label, guarantee in itertools.product(
        S.values, CaseKind.values, ReturnMethod.values, RESOLUTION_SETS, (True, False), (True, False), (True, False)
    ):
        if label and not ships:
            continue  # nothing to send back: logistics makes no label
        yield presenters.CaseFacts(
            status=status,
            kind=kind,
            method=method,
            needs_shipment=ships,
            resolutions=resolutions,
            guarantee_resolutions=resolutions if guarantee else frozenset(),
            has_label=label,
            refund_unpaid=status == S.REFUNDED,
            offer_amount=Decimal("12.50"),
            currency="EUR",
            statutory_refund_due_on=datetime.date(2026, 12, 20),
        )


def said(presentation) -> str:
    return " ".join([*presentation.sentences, *presentation.extra, *presentation.goods_notes,
                     presentation.money_timing])  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_combination_contradicts_itself(language):
    checked = 0
    with translation.override(language):
        slip, on_its_way, on_arrival = gettext(PACKING_SLIP), gettext(ON_ITS_WAY), gettext(REFUND_ON_ARRIVAL)
        price_difference = [gettext(s) for s in PRICE_DIFFERENCE]
        for facts in all_facts():
            shown = presenters.present(facts)
            text = said(shown)
            assert shown.sentences, facts  # every state says what happens next
            if facts.status in presenters.DEAD:
                # Nothing offered or downloadable, no packing-slip instruction, no refund promise.
                assert not shown.documents_offered and not shown.primary and not shown.show_tracking, facts
                assert presenters.documents_gone(facts) and not presenters.documents_downloadable(facts)
                assert slip not in text and not shown.can_cancel and not shown.extra, facts
                assert not presenters.email_label_link(facts)
            if shown.documents_offered:
                assert facts.has_label and facts.needs_shipment and facts.status in (S.LABEL_ISSUED, S.ESCALATED)
                assert presenters.documents_downloadable(facts)
            if facts.method != ReturnMethod.MAIL_LABEL:
                assert shown.primary != "label", facts  # a QR return leads with the QR, not the label
            if not facts.needs_shipment:
                assert not shown.show_method and shown.money_timing and not shown.documents_offered, facts
                assert not any("once we have yours" in n for n in shown.goods_notes), facts
            if Resolution.EXCHANGE not in facts.resolutions - facts.guarantee_resolutions:
                assert not any(p in text for p in price_difference), facts
            if not facts.resolutions <= {Resolution.REFUND}:
                assert on_arrival not in text, facts
            assert (on_its_way in text) == (facts.status == S.REFUNDED and facts.refund_unpaid), facts
            checked += 1
    assert checked > 5000


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_received_email_promises_a_refund_only_for_refunds(language):
    with translation.override(language):
        refund_promise = str(NOTICES["received"].body)
        assert refund_promise == gettext("Your parcel has arrived at our returns centre. We will refund you shortly.")
        for resolutions in RESOLUTION_SETS:
            facts = presenters.CaseFacts(status=S.RECEIVED, kind=CaseKind.RETURN, method=ReturnMethod.MAIL_LABEL,
                                         needs_shipment=True, resolutions=resolutions)  # fmt: skip
            body = presenters.email_body("received", facts)
            if resolutions == {Resolution.REFUND}:
                assert body is None  # the notice's own sentence: "We will refund you shortly."
            else:
                assert body is not None and str(body) != refund_promise and str(body).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_drop_off_and_return_centre_emails_say_to_show_the_qr_and_carry_no_label_button(language):
    with translation.override(language):
        for method in (ReturnMethod.DROP_OFF_QR, ReturnMethod.RETURN_CENTER):
            facts = presenters.CaseFacts(status=S.LABEL_ISSUED, kind=CaseKind.RETURN, method=method, has_label=True,
                                         needs_shipment=True, resolutions=frozenset({"refund"}))  # fmt: skip
            body = str(presenters.email_body("label_ready", facts))
            assert ("QR" in body or "二维码" in body) and "stick it on the parcel" not in body  # zh: 二维码
            assert not presenters.email_label_link(facts)
            assert presenters.present(facts).primary == "qr"
        mail = presenters.CaseFacts(status=S.LABEL_ISSUED, kind=CaseKind.RETURN, method=ReturnMethod.MAIL_LABEL,
                                    needs_shipment=True, resolutions=frozenset({"refund"}), has_label=True)  # fmt: skip
        assert presenters.email_body("label_ready", mail) is None and presenters.email_label_link(mail)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_render_in_the_customers_language(language):
    facts = presenters.CaseFacts(status=S.REFUNDED, kind=CaseKind.RETURN, method=ReturnMethod.MAIL_LABEL,
                                 needs_shipment=True, resolutions=frozenset({"refund"}))  # fmt: skip
    with translation.override(language):
        sentence = presenters.present(facts).sentences[0]
    with translation.override(language):
        assert sentence == gettext("Your refund has been paid.")
    # An existing catalogue sentence really is translated: the presenter renders in the active language.
    assert sentence != "Your refund has been paid."


def test_open_statuses_and_dead_statuses_do_not_overlap():
    assert not presenters.DEAD & set(OPEN_STATUSES)
