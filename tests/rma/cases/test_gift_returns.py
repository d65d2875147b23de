"""Gift returns (issue #18 item 7): the recipient returns with the order number and the gift code, gets store
credit or an exchange, never a refund to the buyer's card, and the buyer is never told."""

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from rma.access import gifts
from rma.access.throttles import Throttled
from rma.cases import services
from rma.cases.models import ReturnCase, StoreCreditEntry
from rma.messaging.models import Notification
from tests.rma.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)
BUYER = "buyer@example.com"


@pytest.fixture
def order(eu_policy):
    order = OrderFactory(customer__email=BUYER, customer__phone="+393331234567", customer__language="it")
    OrderLineFactory(order=order, name="Sciarpa di seta", quantity=1)
    return order


def _code(order) -> str:
    return gifts.gift_code_text(gifts.gift_code_current(order=order))


def test_a_gift_code_opens_its_order_and_nothing_else(order, settings):
    code = _code(order)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert gifts.gift_code_text(gifts.gift_code_current(order=order)) == code  # the slip prints the same code
    assert gifts.gift_code_verify(number=order.number, code=code, client="10.0.0.1") == order
    # Typed as people type: a leading #, lower case, no dashes, O for 0 and I for 1.
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "i")
    assert gifts.gift_code_verify(number=f"#{order.number}", code=sloppy, client="10.0.0.1") == order
    other = OrderFactory()
    with pytest.raises(gifts.GiftCodeInvalid):
        gifts.gift_code_verify(number=other.number, code=code, client="10.0.0.1")
    with pytest.raises(gifts.GiftCodeInvalid) as unknown:
        gifts.gift_code_verify(number="NOPE-1", code=code, client="10.0.0.1")
    with pytest.raises(gifts.GiftCodeInvalid) as wrong:
        gifts.gift_code_verify(number=order.number, code="AAAA-BBBB-CCCC", client="10.0.0.1")
    assert str(unknown.value) == str(wrong.value)  # an unknown order and a wrong code read the same
    # A revoked code no longer works; the codes are never stored in clear.
    gift = order.gift_codes.get()
    assert code not in str(gift.__dict__)
    gift.revoked_at = gift.created_at
    gift.save()
    with pytest.raises(gifts.GiftCodeInvalid):
        gifts.gift_code_verify(number=order.number, code=code, client="10.0.0.1")


def test_gift_codes_are_throttled_per_order_number(order, settings):
    settings.PORTAL_THROTTLES = {**settings.PORTAL_THROTTLES, "gift_code": {"client": [50, 3600], "order": [3, 3600]}}
    code = _code(order)
    for n in range(3):
        with pytest.raises(gifts.GiftCodeInvalid):
            gifts.gift_code_verify(number=order.number, code=f"WRONG-{n}", client=f"10.0.0.{n}")
    with pytest.raises(Throttled):  # even the right code, from yet another address
        gifts.gift_code_verify(number=order.number, code=code, client="10.0.0.9")


def _open(order, resolution="store_credit", **extra):
    line = order.lines.get()
    return services.gift_return_open(
        order=order, email="Recipient@Example.com", name="Chiara Verdi", language="it",
        items=[services.ItemRequest(line, 1, "too_small", resolution=resolution, **extra)],
    )  # fmt: skip


@pytest.mark.parametrize("resolution", ["refund", "repair"])
def test_a_gift_is_never_refunded_to_the_buyer(order, resolution):
    with pytest.raises(services.CaseInvalid, match="never for a refund"):
        _open(order, resolution=resolution)
    assert not ReturnCase.objects.exists() and not mail.outbox


def test_the_recipient_gets_store_credit_and_every_message_while_the_buyer_hears_nothing(order, agent):
    case = _open(order)
    assert case.gift and case.customer.email == "recipient@example.com" and case.customer != order.customer
    assert case.customer.country == order.ship_country and case.customer.name == "Chiara Verdi"
    case.refresh_from_db()
    services.case_mark_received(case=case, actor=agent)
    for item in case.items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock")
    case.refresh_from_db()
    with pytest.raises(services.CaseInvalid, match="never a refund"):
        services.case_refund(case=case, actor=agent)
    case.refresh_from_db()
    services.case_credit(case=case, actor=agent)
    credit = StoreCreditEntry.objects.get(case=case, kind="credit")
    assert credit.account.customer == case.customer  # the recipient's credit, not the buyer's
    # The buyer is never told: no email, no text message, nothing queued for their address or phone.
    assert mail.outbox and all(message.to == ["recipient@example.com"] for message in mail.outbox)
    assert not Notification.objects.filter(recipient__in=[BUYER, "+393331234567"]).exists()
    assert {n.recipient for n in Notification.objects.filter(case=case)} == {"recipient@example.com"}
    # Nor does the buyer's account list the gift's return.
    assert not services.customer_previous_returns(order.customer_id)


def test_an_exchange_for_a_gift_is_accepted(order):
    case = _open(order, resolution="exchange", exchange_wish="Stessa sciarpa, blu")
    assert case.gift and case.items.get().resolution == "exchange"


def test_the_gift_form_in_the_portal_files_a_return_the_buyer_never_sees(client, order):
    page = client.get("/it/gift/")
    assert page.status_code == 200
    code = _code(order)
    wrong = client.post("/it/gift/", {"order_number": order.number, "gift_code": "AAAA-AAAA-AAAA",
                                      "name": "Chiara", "email": "chiara@example.com"})  # fmt: skip
    assert wrong.status_code == 200 and "Sciarpa" not in wrong.content.decode()
    started = client.post("/it/gift/", {"order_number": order.number, "gift_code": code,
                                        "name": "Chiara", "email": "chiara@example.com"})  # fmt: skip
    assert started["Location"] == "/it/gift/items/"
    items = client.get("/it/gift/items/").content.decode()
    assert "Sciarpa di seta" in items and 'value="refund"' not in items
    line = order.lines.get()
    filed = client.post("/it/gift/items/", {f"qty_{line.pk}": "1", "reason": "too_small",
                                            "resolution": "store_credit", "return_method": "mail_label"})  # fmt: skip
    case = ReturnCase.objects.get()
    assert filed["Location"] == f"/it/cases/{case.rma_number}/" and case.gift
    assert client.get(filed["Location"]).status_code == 200  # this session may follow its return
    assert all(message.to == ["chiara@example.com"] for message in mail.outbox)


def test_the_admin_makes_a_gift_code_and_prints_the_gift_slip(admin_client, order):
    listing = admin_client.post("/admin/rma/order/", {"action": "make_gift_code", "_selected_action": [order.pk]},
                                follow=True).content.decode()  # fmt: skip
    code = re.search(r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", listing).group(1)
    assert gifts.gift_code_verify(number=order.number, code=code, client=None) == order
    slip = admin_client.get(f"/admin/rma/order/{order.pk}/gift-slip/")
    assert slip["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.content)).pages)
    assert code in text and order.number in text and "Sciarpa di seta" in text
    assert "49,90" not in text and "49.90" not in text and "€" not in text  # no price (the order number may hold "49")
