"""The customer's tracking: carrier scans as a timeline, the carrier's page, an estimated delivery, in it/ja/ar."""

import datetime
import html as html_lib
import itertools

import pytest
from babel.dates import format_date, format_datetime
from django.utils import timezone

from rma.cases import services
from rma.cases.models import ReturnCase
from rma.logistics import tracking
from rma.logistics.models import TrackingEvent
from tests.rma.factories import OrderLineFactory
from tests.rma.portal.test_portal import lookup

pytestmark = pytest.mark.django_db(transaction=True)
BABEL = {"it": "it", "ja": "ja", "ar": "ar"}
_event_ids = itertools.count()
URL = "https://t.example/{tracking_number}"


@pytest.fixture
def case(eu_policy):
    line = OrderLineFactory()
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
    )
    return ReturnCase.objects.select_related("shipment").get(pk=case.pk)


def scan(case, status, *, when, location="", estimated=None):
    return TrackingEvent.objects.create(
        shipment=case.shipment, event_id=f"ev-{next(_event_ids)}", status=status, occurred_at=when, location=location,
        estimated_delivery=estimated,
    )  # fmt: skip


def page(client, lang, case) -> str:
    lookup(client, case.items.first().order_line.order, lang=lang)
    response = client.get(f"/{lang}/cases/{case.rma_number}/")
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def test_the_estimate_is_the_carriers_when_given_else_the_usual_transit_time(case, settings):
    settings.CARRIER_TRACKING = {case.shipment.carrier: {"url": URL, "transit_days": 4}}
    today = timezone.localdate()
    assert tracking.parcel_tracking(case=case).estimated_delivery is None  # the carrier does not have it yet
    picked = scan(case, "picked_up", when=timezone.now(), location="Milano")
    info = tracking.parcel_tracking(case=case)
    assert info.estimated_delivery == timezone.localdate(picked.occurred_at) + datetime.timedelta(days=4)
    assert not info.estimate_from_carrier
    assert info.url == f"https://t.example/{case.shipment.tracking_number}"
    scan(case, "in_transit", when=timezone.now(), estimated=today + datetime.timedelta(days=9))
    info = tracking.parcel_tracking(case=case)
    assert info.estimated_delivery == today + datetime.timedelta(days=9) and info.estimate_from_carrier
    assert [s.label for s in info.scans] == ["On its way", "Picked up by the carrier"]  # newest first


def test_an_overdue_estimate_is_never_in_the_past_and_an_unknown_carrier_gets_the_default(case, settings):
    settings.CARRIER_TRACKING, settings.CARRIER_TRANSIT_DAYS_DEFAULT = {}, 2
    scan(case, "picked_up", when=timezone.now() - datetime.timedelta(days=10))
    info = tracking.parcel_tracking(case=case)
    assert info.estimated_delivery == timezone.localdate() and info.url == ""


def test_a_delivered_parcel_has_no_estimate(case, agent):
    scan(case, "picked_up", when=timezone.now() - datetime.timedelta(days=2))
    services.case_mark_received(case=case, actor=agent)  # received at the bench, no delivery scan
    info = tracking.parcel_tracking(case=ReturnCase.objects.get(pk=case.pk))
    assert info.delivered_at is not None and info.estimated_delivery is None


@pytest.mark.parametrize("lang", ["it", "ja", "ar"])
def test_the_case_page_shows_the_scans_the_carrier_link_and_the_estimate_in_the_customers_language(
    client, case, lang, settings
):
    settings.CARRIER_TRACKING = {case.shipment.carrier: {"url": URL, "transit_days": 3}}
    before = page(client, lang, case)
    assert f'href="https://t.example/{case.shipment.tracking_number}"' in before
    picked = scan(case, "picked_up", when=timezone.now(), location="Milano CMP")
    estimate = timezone.localdate(picked.occurred_at) + datetime.timedelta(days=3)
    text = page(client, lang, case)
    assert "Milano CMP" in text and "picked_up" not in text  # the scan's meaning, never its code
    assert format_date(estimate, format="full", locale=BABEL[lang]) in text
    when = format_datetime(timezone.localtime(picked.occurred_at), format="short", locale=BABEL[lang])
    assert when in text
    scan(case, "in_transit", when=timezone.now(), estimated=estimate + datetime.timedelta(days=5))
    text = page(client, lang, case)
    assert format_date(estimate + datetime.timedelta(days=5), format="full", locale=BABEL[lang]) in text
    assert text.count('<ol class="timeline">') == 2  # the parcel's scans, and the case's history


def test_a_closed_case_shows_no_tracking(client, case):
    ReturnCase.objects.filter(pk=case.pk).update(status="cancelled")
    text = page(client, "it", case)
    assert "tracking-title" not in text
