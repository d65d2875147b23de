"""The warehouse bench in a real browser: a keyboard-wedge scanner types codes and Enter; parcels are received."""

import re

import pytest
from playwright.sync_api import expect

from rma.access import roles
from rma.cases.models import CaseEvent, ReturnCase
from rma.logistics import documents
from rma.logistics.models import Shipment
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import violations
from tests.browser.test_agent_queue import log_in
from tests.rma.factories import UserFactory
from tests.rma.workspace.test_agent_queue import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def parcel(n: int, *, center="Returns Centre") -> ReturnCase:
    """A case whose label is out, with its shipment (written straight to the database: filing is tested elsewhere)."""
    case = make_case(status="label_issued", decided=True)
    Shipment.objects.create(case=case, carrier="Returns Post", tracking_number=f"RPBENCH{n:04d}IT",
                            label_pdf=f"labels/{case.rma_number}/label.pdf", return_center=center)  # fmt: skip
    return case


def scanner_types(page, code: str):
    """What a keyboard-wedge scanner does: types the code fast into the focused field, then Enter."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def received_count(page) -> str:
    return page.locator("#scan-received").inner_text()


def test_ten_scans_receive_ten_parcels_and_refusals_change_nothing(live_server, new_page):
    UserFactory(username="bench", first_name="Bo", role=roles.AGENT)
    cases = [parcel(n) for n in range(10)]
    # The codes a bench meets: RMA numbers (the packing slip), tracking numbers and drop-off QR values (the label).
    codes = [
        *(c.rma_number for c in cases[:4]),
        *(c.shipment.tracking_number for c in cases[4:7]),
        *(documents.dropoff_code_sign(c.rma_number) for c in cases[7:]),
    ]
    page = new_page(locale="en-GB")
    log_in(page, live_server.url, username="bench")
    page.get_by_role("link", name="Receiving").click()
    page.wait_for_url("**/agent/receive/")
    field = page.get_by_label("Scan or type the RMA number, the tracking number or the drop-off QR code")
    assert page.evaluate("document.activeElement.name") == "code"  # ready for the scanner at once
    page.evaluate("document.querySelector('h1').dataset.marker = 'kept'")

    for done, code in enumerate(codes[:6], start=1):
        scanner_types(page, code)
        expect(page.locator("#scan-received")).to_have_text(re.compile(rf"^{done} "))
        assert field.input_value() == "" and page.evaluate("document.activeElement.name") == "code"
    # The last four as fast as a scanner can: each waits for the previous answer, none is lost.
    for code in codes[6:]:
        scanner_types(page, code)
    expect(page.locator("#scan-received")).to_have_text(re.compile(r"^10 "))
    assert received_count(page) == "10 parcels received in this session"
    assert page.evaluate("document.querySelector('h1').dataset.marker") == "kept"  # no page reload
    assert ReturnCase.objects.filter(pk__in=[c.pk for c in cases], status="received").count() == 10
    assert CaseEvent.objects.filter(kind="transition", to_status="received").count() == 10
    assert page.locator(".scan-flash.ok").count() == 1
    screenshot(page, "receiving-station-ten")

    # An unknown code and a parcel scanned twice: said plainly, nothing changes.
    scanner_types(page, "NOT-A-PARCEL-42")
    page.wait_for_selector(".scan-flash.refused")
    assert "No parcel of ours has the code “NOT-A-PARCEL-42”. Nothing was changed." in page.inner_text("#scan-result")
    scanner_types(page, cases[0].rma_number)
    expect(page.locator("#scan-refused")).to_have_text(re.compile(r"^2 "))
    assert f"Return {cases[0].rma_number} was already received." in page.inner_text(".scan-flash")
    assert CaseEvent.objects.filter(kind="transition", to_status="received").count() == 10
    assert received_count(page) == "10 parcels received in this session"
    assert violations(page) == []
    screenshot(page, "receiving-station-refused")


def test_the_centre_filter_and_the_inspection_link(live_server, new_page):
    from tests.policies.factories import ReturnCenterFactory

    UserFactory(username="bench", first_name="Bo", role=roles.AGENT)
    ReturnCenterFactory(name="Returns Centre")
    ReturnCenterFactory(name="Lyon hub", country="FR")
    ours, theirs = parcel(1), parcel(2, center="Lyon hub")
    page = new_page(locale="en-GB")
    log_in(page, live_server.url, username="bench")
    page.goto(f"{live_server.url}/agent/receive/")
    page.get_by_label("Return centre").select_option(label="Returns Centre (IT)")
    page.get_by_role("button", name="Receive for this centre").click()
    page.wait_for_url("**/agent/receive/?center=*")
    page.get_by_label("Scan or type the RMA number, the tracking number or the drop-off QR code").focus()
    scanner_types(page, theirs.rma_number)
    page.wait_for_selector(".scan-flash.refused")
    assert f"Return {theirs.rma_number} goes to Lyon hub, not to Returns Centre." in page.inner_text(".scan-flash")
    scanner_types(page, ours.rma_number)
    page.wait_for_selector(".scan-flash.ok")
    assert ReturnCase.objects.get(pk=theirs.pk).status == "label_issued"
    page.get_by_role("link", name="Open it for inspection").click()
    page.wait_for_url(f"**/agent/cases/{ours.rma_number}/")
    assert ReturnCase.objects.get(pk=ours.pk).status == "received"


def test_the_station_works_without_javascript(live_server, new_page):
    UserFactory(username="bench", first_name="Bo", role=roles.AGENT)
    case = parcel(1)
    page = new_page(locale="en-GB", java_script_enabled=False)
    log_in(page, live_server.url, username="bench")
    page.goto(f"{live_server.url}/agent/receive/")
    field = page.get_by_label("Scan or type the RMA number, the tracking number or the drop-off QR code")
    field.fill(case.shipment.tracking_number)
    field.press("Enter")
    page.wait_for_selector(".scan-flash.ok")
    assert received_count(page) == "1 parcel received in this session"
    assert ReturnCase.objects.get(pk=case.pk).status == "received"
    page.get_by_role("link", name="Print the case sheet").click()
    page.wait_for_url(f"**/agent/cases/{case.rma_number}/print/")
    assert page.locator("nav").count() == 0 and case.shipment.tracking_number in page.inner_text("main")
    screenshot(page, "case-print-sheet")
