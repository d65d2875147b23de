"""GDPR (issue #16, item 9): export, erasure, retention and the staff access log, through services and pages."""

import datetime
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone
from pypdf import PdfReader

from rma.access.models import LookupCode
from rma.cases import services
from rma.cases.models import CaseStatus, Refund, ReturnCase, ReturnItemPhoto, WithdrawalStatement
from rma.messaging import services as messaging
from rma.messaging.models import Message, Notification
from rma.privacy import services as privacy
from rma.privacy import sweeps
from rma.privacy.models import CaseAccess, DataExport, Erasure
from tests.rma.factories import CustomerFactory, OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import lookup
from tests.rma.test_outbox import broker_down

pytestmark = pytest.mark.django_db(transaction=True)

NAME, EMAIL, PHONE, STREET = "Giulia Bianchi", "giulia.bianchi@example.com", "+393331234567", "Via Garibaldi 17"


@pytest.fixture
def customer(eu_policy):
    customer = CustomerFactory(name=NAME, email=EMAIL, phone=PHONE, language="it")
    order = OrderFactory(customer=customer, ship_street=STREET)
    OrderLineFactory(order=order, name="Wool jacket", quantity=2)
    return customer


def _case(customer, *, status=None, problem="The zip is broken"):
    line = customer.orders.get().lines.get()
    case = services.case_open(
        customer=customer, items=[services.ItemRequest(line, 1, "too_small")], language=customer.language
    )
    item = case.items.get()
    item.problem = problem
    item.save(update_fields=["problem"])
    ReturnItemPhoto.objects.create(item=item, image=SimpleUploadedFile("parcel.jpg", b"jpeg-bytes"))
    messaging.message_post_customer(case=case, customer_id=customer.pk, body=f"Regards, {NAME}")
    Notification.objects.create(
        case=case, event="test", idempotency_key=f"test-{case.pk}", language="it", recipient=EMAIL,
        subject=f"Hello {NAME}", body=f"Dear {NAME}", status=Notification.Status.SENT, sent_at=timezone.now(),
    )  # fmt: skip
    WithdrawalStatement.objects.create(
        order=line.order, case=case, name=NAME, email=EMAIL, language="it",
        content=f"I, {NAME}, withdraw.", submitted_at=timezone.now(),
    )  # fmt: skip
    if status:
        ReturnCase.objects.filter(pk=case.pk).update(status=status, closed_at=timezone.now())
        case.refresh_from_db()
    return case


def _link(email: str) -> str:
    body = next(m.body for m in reversed(mail.outbox) if m.to == [email] and "my-data" in m.body)
    return re.search(r"https?://\S+/my-data/\S+/", body).group(0)


def _zip(client, url) -> zipfile.ZipFile:
    response = client.get(url.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_an_export_zip_holds_everything_listed_with_a_summary_in_the_customers_language(client, customer):
    case = _case(customer)
    export = privacy.export_request(customer=customer, actor=None)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY and export.emailed_at is not None
    archive = _zip(client, _link(EMAIL))
    names = set(archive.namelist())
    for document in ("profile", "orders", "cases", "messages", "photos", "withdrawals", "notifications"):
        assert f"{document}.json" in names
    data = {name[:-5]: json.loads(archive.read(name)) for name in names if name.endswith(".json")}
    assert data["profile"]["email"] == EMAIL and data["profile"]["phone"] == PHONE
    assert data["orders"][0]["ship_to"]["street"] == STREET
    assert data["cases"][0]["rma_number"] == case.rma_number
    assert data["cases"][0]["items"][0]["what_is_wrong"] == "The zip is broken"
    assert data["messages"][0]["body"] == f"Regards, {NAME}"
    assert data["withdrawals"][0]["statement"] == f"I, {NAME}, withdraw."
    assert f"Hello {NAME}" in [n["subject"] for n in data["notifications"]]
    photo = data["photos"][0]["file"]
    assert archive.read(photo) == b"jpeg-bytes"
    summary = PdfReader(io.BytesIO(archive.read("summary.pdf"))).pages[0].extract_text()
    assert NAME in summary and case.rma_number in summary
    assert "I Suoi dati" in summary  # the summary PDF is in the customer's language (Italian, formal)


def test_a_signed_in_customer_asks_from_the_portal_and_a_stranger_cannot(client, customer):
    order = customer.orders.get()
    assert client.post("/en/my-data/").status_code == 302
    assert not DataExport.objects.exists()
    lookup(client, order)
    page = client.get("/en/preferences/").content.decode()
    assert "Email me a copy of my data" in page
    response = client.post("/en/my-data/", follow=True)
    assert "We are preparing a copy of your data" in response.content.decode()
    export = DataExport.objects.get()
    assert export.requested_by is None and export.status == DataExport.Status.READY
    assert "summary.pdf" in _zip(client, _link(EMAIL)).namelist()


def test_the_link_expires_and_a_tampered_link_is_refused(client, customer, settings):
    privacy.export_request(customer=customer, actor=None)
    url = _link(EMAIL)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path[:-3] + "xx/").status_code == 404
    DataExport.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(path).status_code == 404
    removed = privacy.retention_apply()
    assert removed["exports"] == 1
    export = DataExport.objects.get()
    assert export.status == DataExport.Status.EXPIRED and not export.file


def test_a_lost_export_task_is_queued_again_by_the_sweep_and_emailed_once(customer, monkeypatch):
    with broker_down(monkeypatch):
        export = privacy.export_request(customer=customer, actor=None)  # the request still succeeds
        assert privacy.export_request(customer=customer, actor=None) == export  # a second click reuses the row
    assert sweeps.exports_redispatch() == 0  # not lost yet
    later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS + 1)
    assert sweeps.exports_redispatch(now=later) == 1
    privacy.export_build(export_id=export.pk)  # a second run changes nothing
    assert sweeps.exports_redispatch(now=later) == 0
    assert len([m for m in mail.outbox if "my-data" in m.body]) == 1


def test_a_supervisor_starts_an_export_for_any_customer_and_downloads_it(client, customer, supervisor, agent):
    client.force_login(agent)
    assert client.post(f"/agent/privacy/customers/{customer.pk}/export/").status_code == 403
    client.force_login(supervisor)
    page = client.get("/agent/privacy/", {"q": EMAIL}).content.decode()
    assert f"/agent/privacy/customers/{customer.pk}/" in page
    client.post(f"/agent/privacy/customers/{customer.pk}/export/")
    export = DataExport.objects.get()
    assert export.requested_by == supervisor and mail.outbox[-1].to == [EMAIL]
    download = client.get(f"/agent/privacy/exports/{export.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def _personal_values_left(values) -> list[str]:
    """Every text or JSON column of every model that still holds one of the values."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField,
                                                                           models.JSONField))]  # fmt: skip
        for row in model.objects.values_list(*(f.attname for f in fields)) if fields else []:
            text = json.dumps(row, default=str)
            found += [f"{model._meta.label}: {v}" for v in values if v.lower() in text.lower()]
    return found


def test_after_an_erasure_no_personal_field_remains_while_refund_amounts_and_dates_do(customer, supervisor):
    case = _case(customer, status=CaseStatus.CLOSED)
    paid_at = timezone.now() - datetime.timedelta(days=3)
    refund = Refund.objects.create(
        case=case, idempotency_key=f"refund-{case.pk}", amount=Decimal("49.90"), currency="EUR",
        status=Refund.Status.PAID, provider="local", provider_reference="LP-1", paid_at=paid_at,
    )  # fmt: skip
    privacy.export_request(customer=customer, actor=None)
    LookupCode.objects.create(order=customer.orders.get(), email=EMAIL, code_hash="x", link_nonce="n1",
                              expires_at=timezone.now())  # fmt: skip
    photo = ReturnItemPhoto.objects.get().image.name
    export_file = DataExport.objects.get().file.name
    assert _personal_values_left([NAME, EMAIL, PHONE, STREET])  # the check does find them before

    erasure = privacy.customer_erase(customer=customer, actor=supervisor, reason="Request by email of 3 May")

    assert _personal_values_left([NAME, EMAIL, PHONE, STREET, "Giulia", "Bianchi", "The zip is broken"]) == []
    refund.refresh_from_db()
    assert refund.amount == Decimal("49.90") and refund.paid_at == paid_at and refund.created_at
    assert ReturnCase.objects.get(pk=case.pk).created_at == case.created_at
    assert not Message.objects.exists() and not ReturnItemPhoto.objects.exists()
    assert not default_storage.exists(photo) and not default_storage.exists(export_file)
    assert erasure.actor == supervisor and erasure.summary["refunds_kept"] == 1
    with pytest.raises(privacy.ErasureRefused, match="already been erased"):
        privacy.customer_erase(customer=customer, actor=supervisor, reason="again")


def test_erasing_a_customer_with_an_open_case_is_refused_with_the_reason(customer, supervisor, agent):
    case = _case(customer)
    with pytest.raises(privacy.ErasureRefused, match=case.rma_number):
        privacy.customer_erase(customer=customer, actor=supervisor, reason="Asked by phone")
    with pytest.raises(privacy.ErasureRefused, match="Only a supervisor"):
        privacy.customer_erase(customer=customer, actor=agent, reason="Asked by phone")
    ReturnCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(privacy.ErasureRefused, match="reason"):
        privacy.customer_erase(customer=customer, actor=supervisor, reason="  ")
    assert not Erasure.objects.exists() and Message.objects.exists()


def test_the_supervisor_erases_with_a_reason_and_a_confirmation_step(client, customer, supervisor):
    _case(customer, status=CaseStatus.CLOSED)
    client.force_login(supervisor)
    url = f"/agent/privacy/customers/{customer.pk}/erase/"
    assert client.post(url, {"reason": ""}).status_code == 400
    confirm = client.post(url, {"reason": "Request by email of 3 May"})
    assert confirm.status_code == 200 and "This cannot be undone" in confirm.content.decode()
    assert not Erasure.objects.exists()  # nothing happens before the confirmation
    done = client.post(url, {"reason": "Request by email of 3 May", "confirm": "1"}, follow=True)
    assert "personal data has been erased" in done.content.decode()
    assert Erasure.objects.get().reason == "Request by email of 3 May"


def test_the_erase_page_refuses_an_open_case_with_a_clear_reason(client, customer, supervisor):
    case = _case(customer)
    client.force_login(supervisor)
    page = client.get(f"/agent/privacy/customers/{customer.pk}/").content.decode()
    assert "has open returns" in page and case.rma_number in page
    response = client.post(f"/agent/privacy/customers/{customer.pk}/erase/", {"reason": "x", "confirm": "1"})
    assert response.status_code == 409 and not Erasure.objects.exists()


def test_retention_removes_what_is_past_its_period_once(customer, supervisor):
    old_case = _case(customer, status=CaseStatus.CLOSED)
    days = settings.PRIVACY_RETENTION_DAYS
    long_ago = timezone.now() - datetime.timedelta(days=max(days.values()) + 1)
    ReturnCase.objects.filter(pk=old_case.pk).update(closed_at=long_ago)
    recent = _case(customer, status=CaseStatus.CLOSED)
    LookupCode.objects.create(order=customer.orders.get(), email=EMAIL, code_hash="x", link_nonce="n2",
                              expires_at=long_ago)  # fmt: skip
    LookupCode.objects.filter(link_nonce="n2").update(created_at=long_ago)
    Notification.objects.filter(case=old_case).update(created_at=long_ago)
    CaseAccess.objects.create(user=supervisor, case=old_case, customer=customer)
    CaseAccess.objects.update(opened_at=long_ago)
    photo = ReturnItemPhoto.objects.get(item__case=old_case).image.name
    Session.objects.create(session_key="old", session_data="x", expire_date=timezone.now())

    removed = privacy.retention_apply()

    assert removed["photos"] == 1 and removed["messages"] == 1 and removed["lookup_codes"] == 1
    assert removed["notifications"] == Notification.objects.filter(case=old_case).count() > 1
    assert removed["access_log"] == 1 and removed["sessions"] == 1
    assert not default_storage.exists(photo)
    assert ReturnItemPhoto.objects.filter(item__case=recent).exists() and Message.objects.filter(case=recent).exists()
    assert set(Notification.objects.filter(case=old_case).values_list("recipient", flat=True)) == {""}
    assert Notification.objects.filter(case=recent).exclude(recipient="").exists()
    assert set(privacy.retention_apply().values()) == {0}


def test_opening_a_case_is_logged_and_supervisors_download_the_log_as_csv(client, customer, agent, supervisor):
    case = _case(customer)
    client.force_login(agent)
    assert client.get(f"/agent/cases/{case.rma_number}/").status_code == 200
    assert client.get(f"/agent/privacy/access-log.csv?customer={customer.pk}").status_code == 403
    access = CaseAccess.objects.get()
    assert (access.user, access.case, access.customer) == (agent, case, customer)
    client.force_login(supervisor)
    response = client.get(f"/agent/privacy/access-log.csv?customer={customer.pk}")
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "opened_at,staff_user,staff_name,case,customer_id"
    assert rows[1].split(",")[1] == "agent" and case.rma_number in rows[1]
    assert client.get("/agent/privacy/access-log.csv?since=not-a-date").status_code == 400


def test_the_sweeps_are_on_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"rma.privacy.tasks.exports_redispatch", "rma.privacy.tasks.retention_apply"} <= tasks


def test_a_customer_gets_one_export_while_its_link_works(client, customer, supervisor):
    lookup(client, customer.orders.get())
    client.post("/en/my-data/")
    again = client.post("/en/my-data/", follow=True).content.decode()
    assert "We sent you a link to your data on" in again
    assert DataExport.objects.count() == 1
    privacy.export_request(customer=customer, actor=supervisor)  # staff are not held to it
    assert DataExport.objects.count() == 2
