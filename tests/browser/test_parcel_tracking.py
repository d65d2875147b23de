"""The customer follows the parcel in a real browser, in Japanese and Arabic: scans, carrier link, estimate."""

import datetime

import pytest
from babel.dates import format_date
from django.utils import timezone

from rma.cases import services
from rma.logistics.models import TrackingEvent
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import violations
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ja", "ar"])
def test_the_customer_sees_the_parcels_journey_in_their_language(live_server, new_page, eu_policy, language, settings):
    order = OrderFactory(customer__email=f"track-{language}@example.com")
    line = OrderLineFactory(order=order, name="Jacket")
    case = services.case_open(customer=order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language=language)  # fmt: skip
    shipment = case.shipment
    settings.CARRIER_TRACKING = {shipment.carrier: {"url": "https://t.example/{tracking_number}", "transit_days": 3}}
    now = timezone.now()
    TrackingEvent.objects.create(shipment=shipment, event_id="e1", status="picked_up", location="Milano CMP",
                                 occurred_at=now - datetime.timedelta(hours=5))  # fmt: skip
    promised = timezone.localdate() + datetime.timedelta(days=2)
    TrackingEvent.objects.create(shipment=shipment, event_id="e2", status="in_transit", location="Bologna",
                                 occurred_at=now, estimated_delivery=promised)  # fmt: skip

    page = new_page()
    page.goto(f"{live_server.url}/{language}/")
    page.fill("#id_order_number", order.number)
    page.fill("#id_email", order.customer.email)
    page.locator(".card form button[type=submit]").click()
    page.wait_for_url("**/verify/")
    page.fill("#id_code", sent_code(order.customer.email))
    page.locator(".card form button[type=submit]").click()
    page.wait_for_url("**/return/")
    page.goto(f"{live_server.url}/{language}/cases/{case.rma_number}/")

    section = page.locator("section.tracking")
    assert section.locator("ol.timeline li").count() == 2
    assert "Bologna" in section.locator("ol.timeline li").first.inner_text()  # newest first
    estimate = format_date(promised, format="full", locale=language)
    assert estimate in section.inner_text()
    link = section.locator(f"a[href='https://t.example/{shipment.tracking_number}']")
    assert link.is_visible()
    assert violations(page) == []
    section.scroll_into_view_if_needed()
    screenshot(page, f"portal-tracking-{language}")
