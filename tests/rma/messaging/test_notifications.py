"""Every message in every language, on the right channels, once; and no hand-formatted money or dates."""

import contextlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from rma.access.tokens import unsubscribe_token
from rma.cases import services
from rma.integrations.models import LocalSms
from rma.messaging import notifications
from rma.messaging import services as messaging
from rma.messaging.models import Notification
from rma.messaging.notices import NOTICES
from rma.orders.models import Customer
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


@contextlib.contextmanager
def mail_paused(monkeypatch):
    """Outbox rows are written but not sent: as if the broker had not delivered them yet."""
    from rma.messaging import tasks

    with monkeypatch.context() as patch:
        patch.setattr(tasks.notification_send, "apply_async", lambda *args, **kwargs: None)
        yield


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_message_renders_in_every_language_with_no_missing_value(language):
    for event in notifications.EVENTS:
        subject, text, html = notifications.render_message(notifications.preview_data(event, language))
        for part in (subject, text, html):
            assert part.strip() and "%(" not in part and "{{" not in part, (event, language)
        assert f'lang="{language}"' in html
        if language == "ar":
            assert 'dir="rtl"' in html


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_a_filed_case_email_is_in_the_customers_language_not_the_servers(eu_policy, language):
    line = OrderLineFactory(order__customer__language=language)
    services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                       language=language)  # fmt: skip
    filed = Notification.objects.get(event="filed", channel="email")
    with notifications.translation.override("en"):
        english = str(NOTICES["filed"].subject) % {"rma": filed.case.rma_number}
    assert filed.language == language and filed.subject != english
    assert mail.outbox[0].subject == filed.subject


def test_sms_goes_only_to_customers_with_a_phone_who_want_it(eu_policy):
    texted = OrderLineFactory(order__customer__phone="+393331234567")
    quiet = OrderLineFactory(order__customer__phone="")
    for line in (texted, quiet):
        services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                           language="en")  # fmt: skip
    assert Notification.objects.filter(channel="sms", event="label_ready").count() == 1
    sms = LocalSms.objects.get()
    assert sms.phone == "+393331234567" and "http" in sms.body
    assert not Notification.objects.filter(channel="sms", recipient="").exists()


def test_unsubscribed_customers_get_only_what_they_need(eu_policy, client):
    line = OrderLineFactory()
    customer = line.order.customer
    token = unsubscribe_token(customer)
    page = client.get(f"/en/unsubscribe/{token}/")
    assert page.status_code == 200 and Customer.objects.get(pk=customer.pk).unsubscribed_at is None
    client.post(f"/en/unsubscribe/{token}/")
    customer.refresh_from_db()
    assert customer.unsubscribed_at is not None
    services.case_open(customer=customer, items=[services.ItemRequest(line, 1, "too_small")], language="en")
    events = set(Notification.objects.values_list("event", flat=True))
    assert "label_ready" in events and "filed" not in events
    assert client.get("/en/unsubscribe/forged-token/").status_code == 302


def test_non_essential_emails_carry_an_unsubscribe_link(eu_policy):
    line = OrderLineFactory()
    services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                       language="en")  # fmt: skip
    filed = next(m for m in mail.outbox if "received your return request" in m.subject)
    label = next(m for m in mail.outbox if "label" in m.subject)
    assert "/unsubscribe/" in filed.body and "/unsubscribe/" not in label.body


def test_a_language_the_shop_does_not_ship_falls_back_to_english_with_a_note(tmp_path, admin_client):
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_number,email,customer_name,language,country,currency,ordered_on,delivered_on,ship_street,"
        "ship_postcode,ship_city,sku,product_name,category,quantity,unit_price\n"
        "PL-1,ola@example.com,Ola,pl,PL,PLN,2026-11-01,2026-11-05,Ul. Długa 1,00-001,Warszawa,S1,Kurtka,apparel,1,99\n"
    )
    call_command("import_orders", str(path))
    customer = Customer.objects.get(email="ola@example.com")
    assert customer.language == "en" and customer.requested_language == "pl"
    assert "which the shop does not offer" in admin_client.get("/admin/rma/customer/").content.decode()


def test_admin_previews_every_message_and_lists_the_outbox(admin_client, eu_policy):
    line = OrderLineFactory()
    services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                       language="en")  # fmt: skip
    preview = admin_client.get("/admin/rma/notification/preview/?event=refunded").content.decode()
    assert preview.count("<iframe") == len(settings.LANGUAGES)
    outbox = admin_client.get("/admin/rma/notification/").content.decode()
    assert "label_ready" in outbox and "sent" in outbox.lower()


HAND_FORMATTING = [
    (re.compile(r"\|floatformat"), "floatformat: use |money or |lnumber"),
    (re.compile(r"\|date:(?!\s*['\"]c['\"])"), "|date: use |ldate or |ldatetime (|date:'c' for machine-readable)"),
    (re.compile(r"\|time:"), "|time: use |ldatetime"),
    (re.compile(r"\.strftime\("), "strftime: use returns_portal.formatting"),
    (re.compile(r":\.2f\}"), "{x:.2f}: use format_money"),
    (re.compile(r"%\.2f"), "%.2f: use format_money"),
]


def test_no_hand_formatted_money_or_dates():
    offenders = []
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.txt")]
    files += [p for p in ROOT.glob("*/**/*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern, why in HAND_FORMATTING:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {why}")
    assert offenders == []


def test_messages_between_agent_and_customer(eu_policy, agent, client):
    from rma.messaging.models import Message
    from tests.rma.portal.test_portal import lookup

    line = OrderLineFactory(order__customer__language="it")
    case = services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language="it")  # fmt: skip
    messaging.message_post(case=case, author=agent, body="Può inviarci una foto dell'etichetta?", internal=False)
    messaging.message_post(case=case, author=agent, body="Customer seems fine", internal=True)
    sent = Notification.objects.get(case=case, event="message")
    assert "Può inviarci una foto" in sent.body and sent.language == "it"
    assert not Notification.objects.filter(event="message").exclude(pk=sent.pk).exists()  # notes are not sent
    lookup(client, line.order, lang="it")
    page = client.get(f"/it/cases/{case.rma_number}/").content.decode()
    assert "Può inviarci una foto" in page and "Customer seems fine" not in page
    client.post(f"/it/cases/{case.rma_number}/message/", {"body": "Ecco la risposta"})
    reply = Message.objects.get(author__isnull=True)
    assert reply.body == "Ecco la risposta" and reply.case == case


def test_transit_reminder_and_inspection_messages(eu_policy, agent):
    import datetime

    from django.utils import timezone

    line = OrderLineFactory(unit_price="50.00")
    case = services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language="en")  # fmt: skip
    from rma.logistics import sweeps

    assert sweeps.labels_sweep(now=timezone.now() + datetime.timedelta(days=4))["reminded"] == 0
    sweeps.labels_sweep(now=timezone.now() + datetime.timedelta(days=6))
    sweeps.labels_sweep(now=timezone.now() + datetime.timedelta(days=7))
    assert Notification.objects.filter(case=case, event="ship_reminder").count() == 1
    from rma.cases.models import ReturnCase

    services.case_mark_in_transit(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    assert Notification.objects.filter(case=case, event="in_transit").exists()
    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    services.item_inspect(item=case.items.get(), actor=agent, grade="fair", disposition="restock",
                          deductions=[("missing_parts", "5.00")])  # fmt: skip
    inspected = Notification.objects.get(case=case, event="inspected")
    assert "€5.00 is deducted for" in inspected.body and "Parts or accessories are missing" in inspected.body


def test_root_uses_the_signed_in_customers_language(eu_policy, client):
    from tests.rma.portal.test_portal import lookup

    line = OrderLineFactory(order__customer__language="ja")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/de/"  # the browser, for a stranger
    lookup(client, line.order, lang="fr")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/ja/"  # the customer's saved language


def test_a_notification_being_sent_is_left_alone_until_its_lease_ends_and_then_sent_once(eu_policy, monkeypatch):
    import datetime

    from django.utils import timezone

    line = OrderLineFactory()
    with mail_paused(monkeypatch):
        case = services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                                  language="en")  # fmt: skip
    filed = Notification.objects.get(case=case, event="filed", channel="email")
    # Another worker took it a moment ago and is sending it now.
    lease_end = timezone.now() + datetime.timedelta(seconds=90)
    Notification.objects.filter(pk=filed.pk).update(status="sending", attempts=1, next_attempt_at=lease_end)
    with pytest.raises(notifications.NotificationBusy) as busy:
        notifications.notification_deliver(notification_id=filed.pk)
    assert 80 < busy.value.seconds <= 90
    assert not [m for m in mail.outbox if m.to == [filed.recipient]]
    # That worker died: once the lease has run out the next run sends it, once.
    Notification.objects.filter(pk=filed.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    notifications.notification_deliver(notification_id=filed.pk)
    notifications.notification_deliver(notification_id=filed.pk)
    filed.refresh_from_db()
    assert filed.status == "sent" and filed.attempts == 2
    assert len([m for m in mail.outbox if case.rma_number in m.subject]) == 1


def test_a_send_that_fails_after_its_lease_ran_out_leaves_the_other_runs_result(eu_policy, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    line = OrderLineFactory()
    with mail_paused(monkeypatch):
        case = services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                                  language="en")  # fmt: skip
    filed = Notification.objects.get(case=case, event="filed", channel="email")

    def slow_then_broken(message, *args, **kwargs):
        # While this run waited on the mail server, its lease ran out and another run sent the message.
        Notification.objects.filter(pk=filed.pk).update(status="sent", attempts=2)
        raise OSError("timed out")

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_then_broken)
    result = notifications.notification_deliver(notification_id=filed.pk)
    assert result.status == "sent"
    filed.refresh_from_db()
    assert filed.status == "sent" and filed.last_error == ""
