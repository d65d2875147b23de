"""Portal access and throttles through the test client: proxies, 429 pages, codes, scoped links, withdrawal."""

import re
import time

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rma.access.models import LookupCode
from rma.access.tokens import case_link_token, unsubscribe_token
from rma.cases import services
from rma.cases.models import ReturnCase, WithdrawalStatement
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import limit, sent_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order(eu_policy):
    order = OrderFactory()
    OrderLineFactory(order=order, quantity=2, name="Wool jacket")
    OrderLineFactory(order=order, quantity=1, name="Engraved mug", category="personalised")
    return order


def miss(client, n, **extra):
    return client.post("/en/", {"order_number": f"NOPE-{n}", "email": f"nobody{n}@example.com"}, **extra)


def without_csrf(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_failed_lookups_from_one_client_get_429_after_at_most_40_within_an_hour(client, order):
    for n in range(40):
        assert miss(client, n).status_code == 200
    refused = client.post("/en/", {"order_number": "KEEP-ME-1", "email": "typed@example.com"})
    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many attempts. For your security, please try again in 60 minutes." in page
    assert 'value="KEEP-ME-1"' in page and 'value="typed@example.com"' in page  # nothing typed is lost
    # Even the right details are refused now: the client has used its tries.
    assert client.post("/en/", {"order_number": order.number, "email": order.customer.email}).status_code == 429
    assert not mail.outbox


def test_behind_a_configured_proxy_two_customers_on_different_forwarded_addresses_are_throttled_separately(
    client, order, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    limit(settings, "lookup_failed", client=3, order=50, email=50)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(3):
        assert miss(client, n, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 200
    assert miss(client, 3, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 429
    # The first customer cannot pass as someone else by sending its own header: the proxy appends the real one.
    assert miss(client, 4, HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.1", **proxy).status_code == 429
    # The second customer, behind the same proxy, is not held back by the first.
    assert miss(client, 5, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 200
    found = client.post("/en/", {"order_number": order.number, "email": order.customer.email},
                        HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)  # fmt: skip
    assert found.status_code == 302


def test_without_a_trusted_proxy_everyone_behind_it_counts_as_one_client(client, settings):
    limit(settings, "lookup_failed", client=2, order=50, email=50)
    for n, address in enumerate(["198.51.100.1", "198.51.100.2"]):
        assert miss(client, n, HTTP_X_FORWARDED_FOR=address, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert miss(client, 3, HTTP_X_FORWARDED_FOR="198.51.100.3", REMOTE_ADDR="10.0.0.2").status_code == 429


def test_no_probe_tells_an_existing_order_from_a_missing_one(client, order, settings):
    limit(settings, "lookup_failed", client=100, order=2, email=100)

    def probe(number, n):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/en/", {"order_number": number, "email": f"probe{n}@example.com"})
        body = without_csrf(response.content.decode()).replace(number, "NUMBER").replace(f"probe{n}@", "probe@")
        return response.status_code, body, len(queries)

    existing = [probe(order.number, n) for n in range(3)]
    missing = [probe("ORD-99999", n) for n in range(3)]
    assert [status for status, _body, _q in existing] == [200, 200, 429]
    assert existing == missing  # the same status, the same page and the same database work


def test_a_wrong_code_says_how_many_tries_are_left_and_the_code_is_an_hmac(client, order):
    client.post("/en/", {"order_number": order.number, "email": order.customer.email})
    right = sent_code(order.customer.email)
    stored = LookupCode.objects.get()
    assert re.fullmatch(r"[0-9a-f]{64}", stored.code_hash)  # HMAC-SHA256, not a password hash
    wrong = "123456" if right != "123456" else "654321"
    started = time.perf_counter()
    first = client.post("/en/verify/", {"code": wrong}).content.decode()
    assert time.perf_counter() - started < 0.5  # no second of CPU per attempt
    assert "This code is not right. Please check the email and try again: 4 tries are left." in first
    for _ in range(3):
        last = client.post("/en/verify/", {"code": wrong}).content.decode()
    assert "1 try is left." in last


def test_code_attempts_are_throttled_per_client_across_new_codes(client, order, settings):
    limit(settings, "code_attempt", client=3, order=100)
    for _ in range(2):
        client.post("/en/", {"order_number": order.number, "email": order.customer.email})
        right = sent_code(order.customer.email)
        wrong = "123456" if right != "123456" else "654321"
        client.post("/en/verify/", {"code": wrong})
    client.post("/en/verify/", {"code": wrong})
    refused = client.post("/en/verify/", {"code": "000111"})
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    assert 'value="000111"' in refused.content.decode()


def test_a_new_code_revokes_the_magic_link_sent_before(client, order):
    client.post("/en/", {"order_number": order.number, "email": order.customer.email})
    first_link = re.search(r"(/en/verify/[^/\s]+/)", mail.outbox[-1].body).group(1)
    client.post("/en/", {"order_number": order.number, "email": order.customer.email})
    refused = client.get(first_link, follow=True).content.decode()
    assert "a newer one was sent" in refused
    second_link = re.search(r"(/en/verify/[^/\s]+/)", mail.outbox[-1].body).group(1)
    assert client.get(second_link)["Location"] == f"/en/orders/{order.number}/return/"


def open_case(order, line=None):
    line = line or order.lines.get(name="Wool jacket")
    return services.case_open(customer=order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language="en")  # fmt: skip


def test_an_email_case_link_opens_that_case_only_not_the_account(client, order):
    case = open_case(order)
    scarf = OrderLineFactory(order__customer=order.customer, name="Scarf")
    other = open_case(scarf.order, line=scarf)
    opened = client.get(f"/en/cases/{case.rma_number}/?t={case_link_token(case)}")
    assert client.get(opened["Location"]).status_code == 200
    assert client.post(f"/en/cases/{case.rma_number}/message/", {"body": "Hello"}).status_code == 302
    assert client.get(f"/en/cases/{other.rma_number}/").status_code == 404
    assert client.get(f"/en/orders/{order.number}/return/").status_code == 302  # the account needs the code
    assert client.get("/en/preferences/").status_code == 302
    assert order.number not in client.get("/en/").content.decode()
    client.post("/en/sign-out/")  # sign-out ends the session, and the case with it
    assert client.get(f"/en/cases/{case.rma_number}/").status_code == 404


def test_case_links_expire_after_the_configured_days(client, order, settings, monkeypatch):
    case = open_case(order)
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 31 * 86400)
    old = case_link_token(case)
    monkeypatch.setattr(signing.time, "time", real)
    settings.PORTAL_ACCESS = {**settings.PORTAL_ACCESS, "case_link_days": 30}
    expired = client.get(f"/en/cases/{case.rma_number}/?t={old}")
    assert expired["Location"] == "/en/"
    settings.PORTAL_ACCESS = {**settings.PORTAL_ACCESS, "case_link_days": 40}
    assert client.get(f"/en/cases/{case.rma_number}/?t={old}")["Location"] == f"/en/cases/{case.rma_number}/"


def test_unsubscribe_tokens_carry_a_version_and_expire(client, order, settings, monkeypatch):
    token = unsubscribe_token(order.customer)
    assert client.get(f"/en/unsubscribe/{token}/").status_code == 200
    settings.PORTAL_ACCESS = {**settings.PORTAL_ACCESS, "unsubscribe_token_version": 2}
    assert client.get(f"/en/unsubscribe/{token}/")["Location"] == "/en/"  # revoked by the new version
    assert client.get(f"/en/unsubscribe/{unsubscribe_token(order.customer)}/").status_code == 200
    unversioned = signing.dumps({"c": order.customer.pk}, salt="rma.unsubscribe")
    assert client.get(f"/en/unsubscribe/{unversioned}/")["Location"] == "/en/"
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 401 * 86400)
    old = unsubscribe_token(order.customer)
    monkeypatch.setattr(signing.time, "time", real)
    assert client.get(f"/en/unsubscribe/{old}/")["Location"] == "/en/"


def withdraw(client, order_number, email, name="Maria Rossi", **extra):
    client.post("/en/withdraw/", {"name": name, "order_number": order_number, "email": email}, **extra)
    return client.post("/en/withdraw/confirm/", **extra)


def test_the_withdrawal_form_shows_no_item_and_opens_no_case_until_the_emailed_link_is_used(client, order):
    client.post("/en/withdraw/", {"name": "Maria Rossi", "order_number": order.number,
                                  "email": order.customer.email})  # fmt: skip
    confirm = client.get("/en/withdraw/confirm/").content.decode()
    assert "Wool jacket" not in confirm and "Maria Rossi" in confirm
    done = client.post("/en/withdraw/confirm/").content.decode()
    assert "Wool jacket" not in done
    assert not ReturnCase.objects.exists()
    statement = WithdrawalStatement.objects.get()
    assert statement.case is None and "Wool jacket" not in statement.content
    ack = next(m for m in mail.outbox if "Acknowledgement of your withdrawal" in m.subject)
    assert ack.to == [order.customer.email]
    link = re.search(r"(/en/withdraw/items/[^/\s]+/)", ack.body).group(1)
    # The link works without any session (another device), shows the items, all chosen by default.
    client.cookies.clear()
    page = client.get(link).content.decode()
    jacket = order.lines.get(name="Wool jacket")
    assert "Wool jacket (up to 2)" in page and f'name="qty_{jacket.pk}" value="2"' in page  # all, by default
    assert not ReturnCase.objects.exists()  # opening the page does not act
    assert client.post(link, {f"qty_{jacket.pk}": "0"}).status_code == 200  # nothing chosen: said, nothing opened
    assert not ReturnCase.objects.exists()
    opened = client.post(link, {f"qty_{jacket.pk}": "1"})
    case = ReturnCase.objects.get()
    assert case.items.get().quantity == 1
    assert opened["Location"] == f"/en/cases/{case.rma_number}/"
    # Opened once: the link now leads to that case, and a second post opens no other.
    assert client.post(link, {f"qty_{jacket.pk}": "1"})["Location"] == opened["Location"]
    assert ReturnCase.objects.count() == 1
    assert client.get("/en/").content.decode().count(order.number) == 0  # the account stays closed


def test_withdrawal_answers_the_same_for_a_missing_a_mismatched_and_a_non_eu_order(client, order):
    outside = OrderFactory(customer__country="US")
    answers = []
    for number, email in [("NOPE-1", "x@example.com"), (order.number, "x@example.com"),
                          (outside.number, outside.customer.email)]:  # fmt: skip
        done = withdraw(client, number, email)
        answers.append((done.status_code, without_csrf(done.content.decode())))
    assert len(set(answers)) == 1 and answers[0][0] == 200
    assert not mail.outbox and not WithdrawalStatement.objects.exists()


def test_withdrawal_submissions_are_throttled_and_keep_what_was_typed(client, order, settings):
    limit(settings, "withdrawal", client=2, order=50, email=50)
    for n in range(2):
        assert withdraw(client, f"NOPE-{n}", "x@example.com").status_code == 200
    refused = withdraw(client, order.number, order.customer.email, name="Anna Bianchi")
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    page = refused.content.decode()
    assert "Too many attempts" in page and "Anna Bianchi" in page and order.number in page
    assert not WithdrawalStatement.objects.exists()
    limit(settings, "withdrawal", client=9, order=50, email=50)
    assert client.post("/en/withdraw/confirm/").status_code == 200  # the details were kept for the next try
    assert WithdrawalStatement.objects.get().name == "Anna Bianchi"


def test_a_withdrawal_return_takes_no_more_than_is_left_to_send_back(order):
    statement = services.withdrawal_submit(order=order, name="Maria", email=order.customer.email, language="en")
    jacket = order.lines.get(name="Wool jacket")
    with pytest.raises(services.CaseInvalid):
        services.withdrawal_case_open(statement=statement, quantities={jacket.pk: 3})
    with pytest.raises(services.CaseInvalid):  # the personalised mug is not covered by the withdrawal right
        services.withdrawal_case_open(statement=statement, quantities={order.lines.get(name="Engraved mug").pk: 1})
    assert services.withdrawal_case_open(statement=statement, quantities={jacket.pk: 2}).items.get().quantity == 2
