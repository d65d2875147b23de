"""The agent case page in a real browser: two panes at 1600 px (mirrored in Arabic), axe in English and
Arabic, the keyboard shortcuts and their help dialog, a file attached by clicking, a canned reply previewed
in the customer's language then sent, and the SLA countdown turning red."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from rma.cases import photos, services
from rma.cases.models import ReturnCase
from rma.messaging import services as messaging
from rma.messaging.models import CannedReply, CannedReplyText, Message
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_accessibility import violations
from tests.browser.test_agent_queue import log_in
from tests.rma.factories import OrderLineFactory, UserFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1600, "height": 1000}


def png_bytes(colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="PNG")
    return out.getvalue()


def full_case(agent, *, language="en"):
    """A case with everything on it: a problem text and claim photo, a customer's message with a photo, an
    inspection with notes, a photo and a deduction, and an earlier case of the same customer."""
    line = OrderLineFactory(name="Kettle", unit_price=Decimal("60.00"), order__customer__language=language)
    customer = line.order.customer
    earlier_line = OrderLineFactory(order__customer=customer)
    services.case_open(customer=customer, items=[services.ItemRequest(earlier_line, 1, "too_small")], language=language)
    case = services.case_open(
        customer=customer,
        items=[
            services.ItemRequest(
                line,
                1,
                "defective",
                problem="It switches off before the water boils.",
                photos=(photos.photo_clean(SimpleUploadedFile("claim.png", png_bytes())),),
            )
        ],
        language=language,
    )
    messaging.message_post_customer(
        case=case,
        customer_id=customer.pk,
        body="Another photo.",
        attachment=photos.photo_clean(SimpleUploadedFile("more.png", png_bytes("green"))),
    )
    return ReturnCase.objects.get(pk=case.pk)


def inspect(case, agent):
    case = ReturnCase.objects.get(pk=case.pk)
    services.case_mark_received(case=case, actor=agent)
    services.item_inspect(
        item=case.items.get(),
        actor=agent,
        grade="fair",
        disposition="refurbish",
        fault_found=True,
        notes="Thermostat loose.",
        photos=[photos.photo_clean(SimpleUploadedFile("bench.png", png_bytes("blue")))],
        deductions=[("missing_parts", Decimal("5.00"))],
    )


def switch_to_arabic(page):
    page.get_by_label("Language", exact=True).select_option("ar")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()
    assert page.evaluate("document.documentElement.dir") == "rtl"


def panes(page) -> dict:
    return page.evaluate(
        """() => {
            const box = s => document.querySelector(s).getBoundingClientRect();
            const main = box('.case-main'), side = box('.case-side');
            return {main: [main.left, main.right, main.top], side: [side.left, side.right, side.top]};
        }"""
    )


def test_two_panes_at_1600_px_mirrored_in_arabic_and_axe_finds_nothing_serious(live_server, new_page, eu_policy):
    agent = UserFactory(username="amal", first_name="Amal", role="Agents")
    case = full_case(agent)
    inspect(case, agent)
    page = new_page(viewport=WIDE)
    log_in(page, live_server.url, username="amal")
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")
    box = panes(page)
    assert box["side"][0] >= box["main"][1]  # actions to the right of the case
    assert abs(box["side"][2] - box["main"][2]) < 2  # side by side, not stacked
    assert page.locator(".case-main #case-timeline").is_visible()
    assert page.locator(".case-side #case-actions").is_visible()
    for text in ("It switches off before the water boils.", "Thermostat loose.", "Another photo."):
        assert page.get_by_text(text).is_visible()
    # Every photo the customer and the warehouse sent loads (served to this agent).
    loaded = page.evaluate(
        "Promise.all([...document.querySelectorAll('.thumbs img, a.attachment img')].map("
        "img => img.decode().then(() => img.naturalWidth)))"
    )
    assert len(loaded) == 3 and all(width > 0 for width in loaded)
    assert violations(page) == []
    screenshot(page, "agent-case-1600-en")

    switch_to_arabic(page)
    box = panes(page)
    assert box["side"][1] <= box["main"][0]  # mirrored: the actions on the left
    assert violations(page) == []
    page.evaluate("document.getElementById('shortcuts-help').showModal()")
    assert violations(page) == []  # the help dialog too
    screenshot(page, "agent-case-1600-ar")

    # A narrow screen gets one column: the case first, then the actions.
    page.set_viewport_size({"width": 900, "height": 1000})
    box = panes(page)
    assert box["side"][2] > box["main"][2]


def test_keyboard_shortcuts_take_reply_receive_next_with_a_help_dialog(live_server, new_page, eu_policy):
    agent = UserFactory(username="amal", first_name="Amal", role="Agents")
    line = OrderLineFactory()
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
    )
    other = OrderLineFactory()
    later = services.case_open(
        customer=other.order.customer, items=[services.ItemRequest(other, 1, "too_small")], language="it"
    )
    ReturnCase.objects.filter(pk__in=[case.pk, later.pk]).update(assignee=None)
    assert ReturnCase.objects.get(pk=case.pk).status == "label_issued"
    page = new_page(viewport=WIDE)
    log_in(page, live_server.url, username="amal")
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")

    # "?" opens the help as a modal dialog with the focus inside; Escape closes it and the focus comes back.
    opener = page.get_by_role("button", name="Keyboard shortcuts")
    opener.focus()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert dialog.is_visible()
    assert page.evaluate("document.getElementById('shortcuts-help').contains(document.activeElement)")
    assert "Take this case" in dialog.inner_text() and "Open my next case" in dialog.inner_text()
    page.keyboard.press("t")  # shortcuts sleep while the help is open
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "shortcuts-open"
    opener.click()  # the visible button opens it too
    assert dialog.is_visible()
    dialog.get_by_role("button", name="Close").click()
    assert ReturnCase.objects.get(pk=case.pk).assignee is None

    # "r" puts the cursor in the reply; letters typed there are text, not shortcuts.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("r")
    reply = page.get_by_label("Message or internal note")
    assert page.evaluate("document.activeElement.name") == "message-body"
    page.keyboard.type("tv n")
    assert reply.input_value() == "tv n"
    assert ReturnCase.objects.get(pk=case.pk).assignee is None

    # "t" takes the case, "v" marks the parcel received, "n" opens the next case.
    page.locator("body").click(position={"x": 5, "y": 5})
    with page.expect_navigation():
        page.keyboard.press("t")
    assert ReturnCase.objects.get(pk=case.pk).assignee == agent
    with page.expect_navigation():
        page.keyboard.press("v")
    assert ReturnCase.objects.get(pk=case.pk).status == "received"
    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.url.endswith(f"/agent/cases/{later.rma_number}/")


def test_attach_a_photo_by_clicking_and_the_customer_sees_it(live_server, new_page, eu_policy, tmp_path):
    UserFactory(username="amal", first_name="Amal", role="Agents")
    line = OrderLineFactory()
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )
    photo = tmp_path / "where-to-cut.png"
    photo.write_bytes(png_bytes("purple"))
    page = new_page(viewport=WIDE)
    log_in(page, live_server.url, username="amal")
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")
    page.get_by_label("Message or internal note").fill("Cut the seal here, please.")
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Attach a file (optional)").click()
    chooser.value.set_files(str(photo))
    with page.expect_navigation():
        page.get_by_role("button", name="Send to the customer").click()
    message = Message.objects.get(case=case)
    assert message.attachment and message.attachment_is_image and not message.internal
    image = page.locator("#case-thread a.attachment img")
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64

    # The customer's page shows it too (signed in through the portal's session).
    customer = new_page(viewport=WIDE)
    customer.goto(f"{live_server.url}/en/")
    customer.fill("#id_order_number", line.order.number)
    customer.fill("#id_email", line.order.customer.email)
    customer.locator(".card form button[type=submit]").click()
    customer.wait_for_url("**/verify/")
    customer.fill("#id_code", sent_code(line.order.customer.email))
    customer.locator(".card form button[type=submit]").click()
    customer.wait_for_url("**/return/")
    customer.goto(f"{live_server.url}/en/cases/{case.rma_number}/")
    shown = customer.locator("#messages a.attachment img")
    assert shown.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64


def test_canned_reply_previewed_in_arabic_then_sent_by_clicking(live_server, new_page, eu_policy):
    UserFactory(username="amal", first_name="Amal", role="Agents")
    line = OrderLineFactory(order__customer__language="ar")
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="ar"
    )
    reply = CannedReply.objects.create(name="Photo please")
    CannedReplyText.objects.create(reply=reply, language="en", body="Please send a photo, {customer_name}.")
    CannedReplyText.objects.create(reply=reply, language="ar", body="يرجى إرسال صورة يا {customer_name}.")
    page = new_page(viewport=WIDE)
    log_in(page, live_server.url, username="amal")
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")
    page.evaluate("document.querySelector('h1').dataset.marker = 'kept'")
    page.get_by_label("Canned reply", exact=True).select_option(label="Photo please")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#canned-preview blockquote")
    preview.wait_for()
    assert preview.inner_text().strip() == f"يرجى إرسال صورة يا {case.customer.name}."
    assert preview.get_attribute("lang") == "ar" and preview.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.evaluate("document.querySelector('h1').dataset.marker") == "kept"  # swapped in place (HTMX)
    assert not Message.objects.filter(case=case).exists()
    screenshot(page, "agent-canned-preview-ar")
    with page.expect_navigation():
        page.get_by_role("button", name="Send this reply").click()
    assert Message.objects.get(case=case).body == f"يرجى إرسال صورة يا {case.customer.name}."


def test_sla_countdown_ticks_and_turns_red_when_the_deadline_passes(live_server, new_page, eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    UserFactory(username="amal", first_name="Amal", role="Agents")
    line = OrderLineFactory()
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )
    page = new_page(viewport=WIDE)
    page.clock.install()
    log_in(page, live_server.url, username="amal")
    due = timezone.now() + datetime.timedelta(minutes=3, seconds=20)
    ReturnCase.objects.filter(pk=case.pk).update(decision_due_at=due)
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")
    clock = page.locator("#sla-clock")
    assert "breached" not in clock.get_attribute("class")
    assert clock.locator(".sla-flag").is_hidden()
    assert "in 3 minutes" in clock.locator(".sla-remaining").inner_text()
    page.clock.run_for(5 * 60 * 1000)
    page.wait_for_function("document.getElementById('sla-clock').classList.contains('breached')")
    assert clock.locator(".sla-flag").is_visible()
    assert "ago" in clock.locator(".sla-remaining").inner_text()
    colour = clock.locator(".sla-remaining").evaluate("el => getComputedStyle(el).color")
    assert colour == "rgb(179, 38, 30)"  # --bad
    clock.screenshot(path=str(ARTIFACTS / "agent-sla-breached.png"))


def test_without_javascript_the_deadline_shows_and_the_preview_opens_as_a_page(live_server, new_page, eu_policy):
    eu_policy.auto_approve = False
    eu_policy.save()
    UserFactory(username="amal", first_name="Amal", role="Agents")
    line = OrderLineFactory(order__customer__language="de")
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="de"
    )
    ReturnCase.objects.filter(pk=case.pk).update(decision_due_at=timezone.now() - datetime.timedelta(hours=2))
    reply = CannedReply.objects.create(name="Thanks")
    CannedReplyText.objects.create(reply=reply, language="de", body="Vielen Dank, {customer_name}.")
    page = new_page(viewport=WIDE, java_script_enabled=False)
    log_in(page, live_server.url, username="amal")
    page.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")
    assert page.get_by_role("button", name="Keyboard shortcuts").count() == 0  # it needs the script
    clock = page.locator("#sla-clock")
    assert "Decision due" in clock.inner_text() and "2 hours ago" in clock.inner_text()
    assert clock.locator(".sla-flag").is_visible()
    page.get_by_label("Canned reply", exact=True).select_option(label="Thanks")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    assert page.locator("#canned-preview blockquote").inner_text().strip() == f"Vielen Dank, {case.customer.name}."
    with page.expect_navigation():
        page.get_by_role("button", name="Send this reply").click()
    assert Message.objects.get(case=case).body == f"Vielen Dank, {case.customer.name}."
