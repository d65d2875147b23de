"""The customer portal through the test client: lookup, filing, errors that keep input, privacy."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rma.access.tokens import case_link_token
from rma.cases import services
from rma.cases.models import ReturnCase
from tests.rma.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)

GENERIC = "We could not find an order with these details"


def sent_code(email: str) -> str:
    """The one-time code in the last email to this address."""
    body = next(m.body for m in reversed(mail.outbox) if m.to == [email])
    return re.search(r"^\s+(\d{6})$", body, flags=re.M).group(1)


def limit(settings, action, **per_hour):
    """Set one throttle's limits for a test: ``limit(settings, "withdrawal", client=2, order=50)``."""
    settings.PORTAL_THROTTLES = {**settings.PORTAL_THROTTLES,
                                 action: {subject: [n, 3600] for subject, n in per_hour.items()}}  # fmt: skip


def lookup(client, order, email=None, lang="en"):
    """Order number and email, then the code from the email: the customer is signed in."""
    response = client.post(f"/{lang}/", {"order_number": order.number, "email": email or order.customer.email})
    if response.status_code != 302:
        return response
    return client.post(f"/{lang}/verify/", {"code": sent_code(order.customer.email)})


@pytest.fixture
def order(eu_policy):
    order = OrderFactory()
    OrderLineFactory(order=order, quantity=2, name="Wool jacket")
    OrderLineFactory(order=order, quantity=1, name="Engraved mug", category="personalised")
    return order


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 302 and response["Location"] == "/it/"


def test_unknown_order_and_wrong_email_get_the_same_generic_message(client, order):
    wrong_email = lookup(client, order, email="someone@else.example")
    unknown = client.post("/en/", {"order_number": "NOPE-1", "email": order.customer.email})
    for response in (wrong_email, unknown):
        assert response.status_code == 200
        assert GENERIC in response.content.decode()
    # Nothing typed is lost.
    assert 'value="NOPE-1"' in unknown.content.decode()


def test_lookup_shows_each_item_with_why_it_can_or_cannot_be_returned(client, order):
    response = lookup(client, order)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Wool jacket" in page and "under the shop&#x27;s return policy" in page
    assert "Engraved mug" in page and "cannot be returned for a change of mind" in page


def test_filing_a_return_in_italian(client, order):
    lookup(client, order, lang="it")
    line = order.lines.get(name="Wool jacket")
    response = client.post(
        f"/it/orders/{order.number}/return/", {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small"}
    )
    case = ReturnCase.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.rma_number}/")
    assert case.language == "it" and case.status == "label_issued"
    page = client.get(response["Location"]).content.decode()
    assert case.rma_number in page and "label.pdf" in page
    pdf = client.get(f"/it/cases/{case.rma_number}/label.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_too_many_and_empty_selection_get_errors_and_keep_the_input(client, order):
    lookup(client, order)
    line = order.lines.get(name="Wool jacket")
    url = f"/en/orders/{order.number}/return/"
    too_many = client.post(url, {f"qty_{line.id}": "5", f"reason_{line.id}": "too_small"})
    page = too_many.content.decode()
    assert "You can return at most 2 of this item." in page
    assert 'value="5"' in page and 'value="too_small" selected' in page
    empty = client.post(url, {f"qty_{line.id}": "0"})
    assert "Choose at least one item and how many to return." in empty.content.decode()
    no_reason = client.post(url, {f"qty_{line.id}": "1"})
    assert "Tell us why you are returning this item." in no_reason.content.decode()
    assert not ReturnCase.objects.exists()


def test_item_already_in_an_open_return_is_listed_apart(client, order):
    line = order.lines.get(name="Wool jacket")
    services.case_open(customer=order.customer, items=[services.ItemRequest(line, 2, "too_small")], language="en")
    lookup(client, order)
    page = client.get(f"/en/orders/{order.number}/return/").content.decode()
    assert "This item is already in a return." in page
    response = client.post(
        f"/en/orders/{order.number}/return/", {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small"}
    )
    assert ReturnCase.objects.count() == 1
    assert response.status_code == 200


def test_reason_not_covered_gets_its_sentence_as_the_error(client, eu_policy):
    old = OrderFactory(delivered_on=timezone.localdate() - datetime.timedelta(days=60))
    line = OrderLineFactory(order=old)
    lookup(client, old)
    response = client.post(
        f"/en/orders/{old.number}/return/", {f"qty_{line.id}": "1", f"reason_{line.id}": "too_small"}
    )
    assert "The return period for this item ended on" in response.content.decode()
    no_problem = client.post(
        f"/en/orders/{old.number}/return/", {f"qty_{line.id}": "1", f"reason_{line.id}": "defective"}
    )
    assert "Tell us what happens and since when." in no_problem.content.decode()
    ok = client.post(
        f"/en/orders/{old.number}/return/",
        {f"qty_{line.id}": "1", f"reason_{line.id}": "defective", f"problem_{line.id}": "The zip broke"},
    )
    assert ok.status_code == 302


def test_a_customer_can_never_open_another_customers_case(client, order):
    other = OrderLineFactory(name="Someone else's lamp")
    theirs = services.case_open(
        customer=other.order.customer, items=[services.ItemRequest(other, 1, "too_small")], language="en"
    )
    lookup(client, order)
    assert client.get(f"/en/cases/{theirs.rma_number}/").status_code == 404
    assert client.get(f"/en/cases/{theirs.rma_number}/label.pdf").status_code == 404
    assert client.post(f"/en/cases/{theirs.rma_number}/cancel/").status_code == 404
    assert client.get(f"/en/orders/{other.order.number}/return/").status_code == 302
    # A signed link for one case does not open another.
    mine = services.case_open(
        customer=order.customer, items=[services.ItemRequest(order.lines.first(), 1, "too_small")], language="en"
    )
    response = client.get(f"/en/cases/{theirs.rma_number}/?t={case_link_token(mine)}")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert ReturnCase.objects.get(pk=theirs.pk).status == "label_issued"


def test_signed_email_link_opens_the_case_and_tampering_is_refused(client, order):
    case = services.case_open(
        customer=order.customer, items=[services.ItemRequest(order.lines.first(), 1, "too_small")], language="en"
    )
    token = case_link_token(case)
    tampered = client.get(f"/en/cases/{case.rma_number}/?t={token[:-2]}xx")
    assert tampered.status_code == 302 and tampered["Location"] == "/en/"
    opened = client.get(f"/en/cases/{case.rma_number}/?t={token}")
    assert opened.status_code == 302
    assert client.get(opened["Location"]).status_code == 200


def test_customer_cancels_from_the_case_page(client, order):
    case = services.case_open(
        customer=order.customer, items=[services.ItemRequest(order.lines.first(), 1, "too_small")], language="en"
    )
    lookup(client, order)
    client.post(f"/en/cases/{case.rma_number}/cancel/")
    assert ReturnCase.objects.get(pk=case.pk).status == "cancelled"


def test_money_and_dates_follow_the_language(client, order):
    lookup(client, order, lang="it")
    page = client.get(f"/it/orders/{order.number}/return/").content.decode()
    assert "49,90\xa0€" in page
    lookup(client, order, lang="en")
    assert "€49.90" in client.get(f"/en/orders/{order.number}/return/").content.decode()


def test_healthz(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_the_order_opens_only_with_the_code_sent_to_its_email(client, order):
    response = client.post("/en/", {"order_number": order.number, "email": order.customer.email})
    assert response["Location"] == "/en/verify/"
    assert client.get(f"/en/orders/{order.number}/return/").status_code == 302  # not yet
    wrong = client.post("/en/verify/", {"code": "000000" if sent_code(order.customer.email) != "000000" else "111111"})
    assert "This code is not right" in wrong.content.decode()
    ok = client.post("/en/verify/", {"code": sent_code(order.customer.email)})
    assert ok.status_code == 302 and ok["Location"] == f"/en/orders/{order.number}/return/"
    assert client.get(ok["Location"]).status_code == 200


def test_a_used_code_and_a_reused_link_are_refused_with_a_way_to_start_again(client, order):
    client.post("/en/", {"order_number": order.number, "email": order.customer.email})
    body = mail.outbox[-1].body
    link = re.search(r"(/en/verify/[^/\s]+/)", body).group(1)
    assert client.get(link).status_code == 302
    client.cookies.clear()
    again = client.get(link, follow=True)
    assert "already been used" in again.content.decode() and "Find my order" in again.content.decode()
    tampered = client.get(link[:-3] + "xx/", follow=True)
    assert "not valid" in tampered.content.decode()


def test_codes_are_rate_limited_per_email_and_order(client, order, settings):
    limit(settings, "code_request", client=100, order=2, email=2)
    for _ in range(2):
        assert client.post("/en/", {"order_number": order.number, "email": order.customer.email}).status_code == 302
    third = client.post("/en/", {"order_number": order.number, "email": order.customer.email})
    assert third.status_code == 429 and "Too many attempts" in third.content.decode()
    assert int(third["Retry-After"]) > 3500


def test_too_many_wrong_codes_burn_the_code(client, order):
    client.post("/en/", {"order_number": order.number, "email": order.customer.email})
    right = sent_code(order.customer.email)
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(5):
        client.post("/en/verify/", {"code": wrong})
    last = client.post("/en/verify/", {"code": right})
    assert "Too many wrong codes" in last.content.decode()


def test_survey_after_closing_once(client, order, agent):
    case = services.case_open(
        customer=order.customer, items=[services.ItemRequest(order.lines.first(), 1, "too_small")], language="en"
    )
    lookup(client, order)
    assert client.post(f"/en/cases/{case.rma_number}/survey/", {"rating": "5"}).status_code == 302
    assert not hasattr(ReturnCase.objects.get(pk=case.pk), "survey")  # not closed yet: refused
    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    for item in case.items.all():
        services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")
    services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    services.case_close(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    page = client.get(f"/en/cases/{case.rma_number}/").content.decode()
    assert "How satisfied are you" in page
    assert client.post(f"/en/cases/{case.rma_number}/survey/", {"rating": "9"}).status_code == 400
    client.post(f"/en/cases/{case.rma_number}/survey/", {"rating": "4", "comment": "Quick refund"})
    client.post(f"/en/cases/{case.rma_number}/survey/", {"rating": "1"})
    survey = ReturnCase.objects.get(pk=case.pk).survey
    assert survey.rating == 4 and survey.comment == "Quick refund"


def test_eu_withdrawal_function_with_confirmation_and_a_durable_acknowledgement(client, order):
    from pypdf import PdfReader

    from rma.cases.models import WithdrawalStatement

    home = client.get("/en/").content.decode()
    assert "Withdraw from contract here" in home
    step1 = client.post("/en/withdraw/", {"name": "Maria Rossi", "order_number": order.number,
                                          "email": order.customer.email})  # fmt: skip
    assert step1["Location"] == "/en/withdraw/confirm/"
    confirm = client.get("/en/withdraw/confirm/").content.decode()
    assert "Confirm withdrawal here" in confirm and "Maria Rossi" in confirm
    assert not WithdrawalStatement.objects.exists()  # nothing happens before the confirmation
    done = client.post("/en/withdraw/confirm/")
    assert done.status_code == 200
    assert "Wool jacket" not in done.content.decode()
    statement = WithdrawalStatement.objects.get()
    assert statement.acknowledged_at and statement.case is None  # nothing opened before the emailed link
    assert not ReturnCase.objects.exists()
    ack = next(m for m in mail.outbox if "Acknowledgement of your withdrawal" in m.subject)
    assert ack.to == [order.customer.email]
    name, pdf, mimetype = ack.attachments[0]
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Maria Rossi" in text and order.number in text and "2026" in text
    link = re.search(r"(/en/withdraw/items/[^/\s]+/)", ack.body).group(1)
    choose = client.get(link).content.decode()
    assert "Wool jacket" in choose and "Engraved mug (up to" not in choose  # the mug is excepted (personalised)
    assert "Engraved mug: The legal right of withdrawal does not cover" in choose  # listed with the legal reason
    opened = client.post(link, {f"qty_{order.lines.get(name='Wool jacket').pk}": "2"})
    statement.refresh_from_db()
    assert statement.case.items.get().order_line.name == "Wool jacket"
    assert opened["Location"] == f"/en/cases/{statement.case.rma_number}/"
    assert client.get(opened["Location"]).status_code == 200


def test_withdrawal_with_unknown_details_reveals_nothing(client, order):
    client.post("/en/withdraw/", {"name": "X", "order_number": "NOPE", "email": "x@example.com"})
    done = client.post("/en/withdraw/confirm/")
    assert done.status_code == 200 and "If the details match an order" in done.content.decode()
    assert not mail.outbox


def test_a_signed_in_customer_sees_all_their_orders_and_can_sign_out(client, order):
    other_order_same_customer = OrderFactory(customer=order.customer)
    OrderLineFactory(order=other_order_same_customer, quantity=3)
    stranger = OrderFactory()
    lookup(client, order)
    page = client.get("/en/").content.decode()
    assert "Your orders" in page
    assert order.number in page and other_order_same_customer.number in page
    assert stranger.number not in page  # never another customer's data
    assert f"/en/orders/{other_order_same_customer.number}/return/" in page
    response = client.post("/en/sign-out/")
    assert response.status_code == 302
    assert order.number not in client.get("/en/").content.decode()
    assert client.get(f"/en/orders/{order.number}/return/").status_code == 302  # back to the lookup
