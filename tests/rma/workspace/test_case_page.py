"""The agent case page through the test client: what the customer gave and the warehouse found, the
customer's history, the SLA clock, files attached to replies, the canned-reply preview and the next case,
in a constant number of queries."""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from rma.cases import photos, services
from rma.cases.models import ReturnCase
from rma.messaging import services as messaging
from rma.messaging.models import CannedReply, CannedReplyText, Message
from rma.portal import views as portal_views
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def png(name="photo.png", size=(40, 30), colour="blue") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name="report.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def text(response) -> str:
    return unescape(response.content.decode())


def file_case(*, language="it", photos_count=1, problem="It stops charging after ten minutes.", **item):
    line = OrderLineFactory(unit_price=Decimal("80.00"), order__customer__language=language)
    request = services.ItemRequest(
        line,
        1,
        item.pop("reason", "defective"),
        problem=problem,
        photos=tuple(photos.photo_clean(png(f"claim{n}.png")) for n in range(photos_count)),
        **item,
    )
    return services.case_open(customer=line.order.customer, items=[request], language=language)


def received(case, agent):
    case = ReturnCase.objects.get(pk=case.pk)
    if case.status == "requested":
        services.case_approve(case=case, actor=agent)
        case = ReturnCase.objects.get(pk=case.pk)
    if case.status == "approved":
        services.case_mark_in_transit(case=case, actor=agent)
        case = ReturnCase.objects.get(pk=case.pk)
    if case.status in {"label_issued", "in_transit"}:
        services.case_mark_received(case=case, actor=agent)
    return ReturnCase.objects.get(pk=case.pk)


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


def test_page_shows_what_the_customer_gave_and_the_warehouse_found(client, eu_policy, agent):
    case = file_case(resolution="exchange", exchange_wish="The same jacket in size L", reason="too_small")
    ReturnCase.objects.filter(pk=case.pk).update(shipping_fee=Decimal("4.95"))
    item = case.items.get()
    type(item).objects.filter(pk=item.pk).update(restocking_fee=Decimal("8.00"))
    messaging.message_post_customer(
        case=case, customer_id=case.customer_id, body="Here is the label.", attachment=photos.photo_clean(png())
    )
    case = received(case, agent)
    services.item_inspect(
        item=case.items.get(),
        actor=agent,
        grade="fair",
        disposition="refurbish",
        complete=False,
        customer_fault=True,
        notes="Scuffed on the left sleeve; belt missing.",
        photos=[photos.photo_clean(png("bench.png"))],
        deductions=[("missing_parts", Decimal("6.50"))],
    )
    client.force_login(agent)
    page = text(client.get(f"/agent/cases/{case.rma_number}/"))
    message = Message.objects.get(case=case)
    claim_photo = case.items.get().photos.get()
    bench_photo = case.items.get().inspection.photos.get()
    for shown in (
        "Exchange for another size, colour or product",  # the chosen remedy
        "The same jacket in size L",  # the exchange wish
        "It stops charging after ten minutes.",  # the problem text
        f"/agent/cases/{case.rma_number}/files/claim/{claim_photo.pk}/",
        f"/agent/cases/{case.rma_number}/files/message/{message.pk}/",
        f"/agent/cases/{case.rma_number}/files/inspection/{bench_photo.pk}/",
        "Fair: visible wear",  # the grade
        "Scuffed on the left sleeve; belt missing.",  # the notes
        "Refurbish",
        "Parts or accessories are missing",  # the deduction
        "€6.50",
        "€8.00",  # the restocking fee kept at filing
        "€4.95",  # the return shipping kept at filing
    ):
        assert shown in page, shown
    facts = page.split("Damage caused by the customer", 1)[1]
    assert re.match(r"\s*</dt>\s*<dd class=\"flag-raised\">\s*yes", facts)  # the fault flag, raised
    # The photos are served to staff who may see the case, as images.
    response = client.get(f"/agent/cases/{case.rma_number}/files/message/{message.pk}/")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")
    client.logout()
    assert client.get(f"/agent/cases/{case.rma_number}/files/message/{message.pk}/").status_code == 302  # to login


def test_query_count_does_not_grow_with_events_photos_and_messages(client, eu_policy, agent):
    def queries(case) -> int:
        client.force_login(agent)
        client.get(f"/agent/cases/{case.rma_number}/")  # the session's first page does its own look-ups
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/agent/cases/{case.rma_number}/")
        assert response.status_code == 200
        return len(captured)

    small = received(file_case(photos_count=1), agent)
    services.item_inspect(item=small.items.get(), actor=agent, grade="good", disposition="restock",
                          photos=[photos.photo_clean(png())])  # fmt: skip
    messaging.message_post(case=small, author=agent, body="Hello", internal=False)

    large = file_case(photos_count=5)
    for n in range(8):
        messaging.message_post_customer(case=large, customer_id=large.customer_id, body=f"Photo {n}",
                                        attachment=photos.photo_clean(png()))  # fmt: skip
        messaging.message_post(case=large, author=agent, body=f"Note {n}", internal=True,
                               attachment=photos.photo_clean(png()))  # fmt: skip
    large = received(large, agent)
    services.item_inspect(item=large.items.get(), actor=agent, grade="poor", disposition="recycle",
                          photos=[photos.photo_clean(png()) for _ in range(4)],
                          deductions=[("missing_parts", Decimal("1.00"))])  # fmt: skip
    for _ in range(6):  # more earlier cases and orders of the same customer
        line = OrderLineFactory(order__customer=large.customer)
        services.case_open(customer=large.customer, items=[services.ItemRequest(line, 1, "too_small")],
                           language="it")  # fmt: skip
    assert large.events.count() > 2 * small.events.count()
    assert queries(large) == queries(small)


def test_customer_history_links_other_cases_and_orders_with_their_outcome(client, eu_policy, agent):
    case = file_case()
    earlier_line = OrderLineFactory(order__customer=case.customer, order__number="ORD-EARLIER")
    earlier = services.case_open(
        customer=case.customer, items=[services.ItemRequest(earlier_line, 1, "too_small")], language="it"
    )
    services.case_cancel(case=ReturnCase.objects.get(pk=earlier.pk), actor=agent)
    stranger = file_case()
    client.force_login(agent)
    page = text(client.get(f"/agent/cases/{case.rma_number}/"))
    history = page.split('id="customer-history"', 1)[1]
    assert f'href="/agent/cases/{earlier.rma_number}/"' in history
    assert "Cancelled" in history  # the outcome
    assert 'href="/agent/?q=ORD-EARLIER"' in history  # the order, found by the queue's search
    assert "1 other case" in history
    cases_table = history.split("</table>", 1)[0]
    assert stranger.rma_number not in page and f'href="/agent/cases/{case.rma_number}/"' not in cases_table


def test_sla_clock_shows_the_running_deadline_and_its_state(client, eu_policy, agent):
    eu_policy.auto_approve = False
    eu_policy.save()
    case = file_case()
    client.force_login(agent)
    clock = text(client.get(f"/agent/cases/{case.rma_number}/")).split('id="sla-clock"', 1)[0].rsplit("<div", 1)[1]
    assert "sla-clock ok" in clock or "sla-clock due_today" in clock
    ReturnCase.objects.filter(pk=case.pk).update(decision_due_at=timezone.now() - datetime.timedelta(hours=3))
    page = text(client.get(f"/agent/cases/{case.rma_number}/"))
    clock = page.split('id="sla-clock"', 1)[1].split("</div>", 1)[0]
    assert "sla-clock breached" in page.split('id="sla-clock"', 1)[0].rsplit("<div", 1)[1]
    assert "Decision due" in clock and "3 hours ago" in clock
    assert re.search(r'<p class="sla-flag"\s*>\s*Deadline missed', clock)  # shown without JavaScript
    assert 'data-due="' in page


def test_agent_attaches_a_photo_and_a_pdf_both_sides_see_them_notes_stay_internal(client, eu_policy, agent):
    case = file_case()
    client.force_login(agent)
    url = f"/agent/cases/{case.rma_number}/action/"
    assert client.post(url, {"action": "message", "message-body": "See the photo.",
                             "message-attachment": png()}).status_code == 302  # fmt: skip
    assert client.post(url, {"action": "message", "message-body": "The report.",
                             "message-attachment": pdf()}).status_code == 302  # fmt: skip
    assert client.post(url, {"action": "note", "message-body": "Bench photo.",
                             "message-attachment": png()}).status_code == 302  # fmt: skip
    script = SimpleUploadedFile("x.html", b"<script>alert(1)</script>")
    refused = client.post(url, {"action": "message", "message-body": "A script.", "message-attachment": script})
    assert refused.status_code == 400 and "is not a PDF document or a JPEG" in text(refused)
    photo, report, note = Message.objects.filter(case=case).order_by("id")
    assert photo.attachment_is_image and not report.attachment_is_image and note.internal
    assert Message.objects.filter(case=case).count() == 3

    page = text(client.get(f"/agent/cases/{case.rma_number}/"))
    for message in (photo, report, note):
        assert f"/agent/cases/{case.rma_number}/files/message/{message.pk}/" in page
    pdf_response = client.get(f"/agent/cases/{case.rma_number}/files/message/{report.pk}/")
    assert pdf_response["Content-Disposition"].startswith("attachment")  # never shown inline

    # The customer sees the team's files on the portal, never the note's.
    client.logout()
    session = client.session
    session[portal_views.SESSION_KEY] = case.customer_id  # signed in on the portal as the case's customer
    session.save()
    portal = text(client.get(f"/en/cases/{case.rma_number}/"))
    assert f"/en/cases/{case.rma_number}/messages/{photo.pk}/file/" in portal
    assert f"/en/cases/{case.rma_number}/messages/{report.pk}/file/" in portal
    assert f"/messages/{note.pk}/file/" not in portal
    assert client.get(f"/en/cases/{case.rma_number}/messages/{photo.pk}/file/").status_code == 200
    assert client.get(f"/en/cases/{case.rma_number}/messages/{note.pk}/file/").status_code == 404
    other = file_case()
    assert client.get(f"/en/cases/{other.rma_number}/messages/{photo.pk}/file/").status_code == 404


def test_staff_attachment_limits():
    assert photos.staff_attachment_clean(pdf()).name == "document.pdf"
    assert photos.staff_attachment_clean(png()).name == "photo.png"
    truncated = SimpleUploadedFile("cut.pdf", b"%PDF-1.4\n1 0 obj <<>>")
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (photos.STAFF_MAX_BYTES) + b"%%EOF")
    for upload, message in (
        (truncated, "is not a complete PDF document"),
        (SimpleUploadedFile("a.gif", gif.getvalue()), "is not a JPEG, PNG, WebP or HEIC photo"),
        (big, "is larger than 10 MB"),
    ):
        with pytest.raises(Exception, match=message):
            photos.staff_attachment_clean(upload)


def test_canned_reply_preview_in_the_customers_language_then_send(client, eu_policy, agent):
    case = file_case(language="ar")
    reply = CannedReply.objects.create(name="Thanks")
    CannedReplyText.objects.create(reply=reply, language="en", body="Thank you, {customer_name}.")
    CannedReplyText.objects.create(reply=reply, language="ar", body="شكرا لك يا {customer_name}، الطلب {rma_number}.")
    client.force_login(agent)
    url = f"/agent/cases/{case.rma_number}/reply-preview/?canned-reply={reply.pk}"
    partial = text(client.get(url, headers={"HX-Request": "true"}))
    assert partial.lstrip().startswith('<div id="canned-preview">')
    assert f"شكرا لك يا {case.customer.name}، الطلب {case.rma_number}." in partial
    assert 'lang="ar"' in partial and 'dir="rtl"' in partial
    assert f'name="canned-reply" value="{reply.pk}"' in partial and 'value="canned"' in partial
    assert not Message.objects.filter(case=case).exists()  # a preview sends nothing
    # Without JavaScript the same address shows the case page with the preview in place.
    full = text(client.get(url))
    assert "<h1>" in full and f"شكرا لك يا {case.customer.name}" in full
    sent = client.post(f"/agent/cases/{case.rma_number}/action/", {"action": "canned", "canned-reply": reply.pk})
    assert sent.status_code == 302
    assert Message.objects.get(case=case).body == f"شكرا لك يا {case.customer.name}، الطلب {case.rma_number}."


def test_canned_reply_preview_says_when_the_customer_gets_another_language_or_none(client, eu_policy, agent):
    case = file_case(language="de")
    fallback = CannedReply.objects.create(name="Fallback", transition="request_info")
    CannedReplyText.objects.create(reply=fallback, language="en", body="Please send a photo.")
    none = CannedReply.objects.create(name="Japanese only")
    CannedReplyText.objects.create(reply=none, language="ja", body="写真を送ってください。")
    client.force_login(agent)
    base = f"/agent/cases/{case.rma_number}/reply-preview/?canned-reply="
    partial = text(client.get(base + str(fallback.pk), headers={"HX-Request": "true"}))
    assert "There is no text in the customer's language: the customer will get it in English." in partial
    assert "also asks the customer for information" in partial
    partial = text(client.get(base + str(none.pk), headers={"HX-Request": "true"}))
    assert "it cannot be sent to this customer" in partial and 'value="canned"' not in partial


def test_preview_and_attachments_need_permission_to_work_cases(client, eu_policy):
    case = file_case()
    reply = CannedReply.objects.create(name="Thanks")
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_returncase"))
    client.force_login(viewer)
    page = text(client.get(f"/agent/cases/{case.rma_number}/"))
    assert 'name="message-attachment"' not in page
    assert client.get(f"/agent/cases/{case.rma_number}/reply-preview/?canned-reply={reply.pk}").status_code == 403


def test_next_case_follows_the_agents_own_queue_then_unassigned(client, eu_policy, agent):
    eu_policy.auto_approve = False
    eu_policy.save()
    now = timezone.now()
    mine = [file_case() for _ in range(3)]
    for hours, case in zip((1, 2, 3), mine, strict=True):
        ReturnCase.objects.filter(pk=case.pk).update(
            assignee=agent, decision_due_at=now + datetime.timedelta(hours=hours)
        )
    unassigned = file_case()
    ReturnCase.objects.filter(pk=unassigned.pk).update(assignee=None)
    client.force_login(agent)

    def next_of(case):
        response = client.get(f"/agent/cases/{case.rma_number}/next/")
        assert response.status_code == 302
        return response["Location"]

    assert next_of(mine[0]) == f"/agent/cases/{mine[1].rma_number}/"
    assert next_of(mine[1]) == f"/agent/cases/{mine[2].rma_number}/"
    assert next_of(mine[2]) == f"/agent/cases/{mine[0].rma_number}/"  # round to the first
    ReturnCase.objects.filter(pk__in=[c.pk for c in mine]).update(
        assignee=None, decision_due_at=now + datetime.timedelta(days=9)
    )
    assert next_of(mine[0]) == f"/agent/cases/{unassigned.rma_number}/"  # none of mine left: the most urgent unassigned
    page = text(client.get(f"/agent/cases/{mine[0].rma_number}/"))
    assert f'href="/agent/cases/{mine[0].rma_number}/next/"' in page and 'data-shortcut="n"' in page
