"""The receiving station and the case sheet through the test client: without JavaScript, with HTMX, permissions."""

import pytest
from django.contrib.auth.models import Permission

from rma.cases import services
from rma.cases.models import CaseStatus, ReturnCase
from rma.logistics import documents
from tests.policies.factories import ReturnCenterFactory
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def file_case():
    line = OrderLineFactory()
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
    )
    return ReturnCase.objects.select_related("shipment").get(pk=case.pk)


@pytest.fixture
def case(eu_policy):
    return file_case()


def test_without_javascript_a_scan_posts_and_the_page_comes_back_with_the_result(client, agent, case):
    client.force_login(agent)
    page = client.get("/agent/receive/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    response = client.post("/agent/receive/scan/", {"code": case.shipment.tracking_number})
    assert response.status_code == 302 and response["Location"] == "/agent/receive/"
    page = client.get("/agent/receive/").content.decode()
    assert f"Return {case.rma_number} received." in page
    assert "1 parcel received in this session" in page and "0 scans refused" in page
    assert f'href="/agent/cases/{case.rma_number}/"' in page  # open it for inspection
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_with_htmx_only_the_result_panel_comes_back(client, agent, case):
    client.force_login(agent)
    response = client.post("/agent/receive/scan/", {"code": case.rma_number}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section id="scan-result"')
    assert "<html" not in body and "scan-flash ok" in body
    assert response["HX-Trigger"] == '{"scan-result": "ok"}'
    again = client.post("/agent/receive/scan/", {"code": case.rma_number}, headers={"HX-Request": "true"})
    assert "already received" in again.content.decode() and "scan-flash refused" in again.content.decode()
    assert again["HX-Trigger"] == '{"scan-result": "refused"}'
    assert "1 parcel received in this session" in again.content.decode()
    assert "1 scan refused" in again.content.decode()


def test_unknown_and_empty_codes_are_refused_and_change_nothing(client, agent, case):
    client.force_login(agent)
    client.post("/agent/receive/scan/", {"code": "ZZZ-NOT-OURS"})
    page = client.get("/agent/receive/").content.decode()
    assert "No parcel of ours has the code “ZZZ-NOT-OURS”. Nothing was changed." in page
    assert "1 scan refused" in page
    empty = client.post("/agent/receive/scan/", {"code": ""})
    assert empty.status_code == 400 and "Scan or type a code first." in empty.content.decode()
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.LABEL_ISSUED


def test_the_drop_off_qr_value_receives_and_the_queue_finds_it(client, agent, case):
    client.force_login(agent)
    value = documents.dropoff_code_sign(case.rma_number)
    found = client.get("/agent/", {"q": value}).content.decode()
    assert case.rma_number in found
    client.post("/agent/receive/scan/", {"code": value})
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_the_centre_filter_refuses_other_centres_parcels_naming_the_right_one(client, agent, case):
    lyon = ReturnCenterFactory(name="Lyon hub", country="FR")
    client.force_login(agent)
    page = client.get("/agent/receive/", {"center": lyon.pk}).content.decode()
    assert "Only parcels addressed to Lyon hub are accepted here." in page
    response = client.post("/agent/receive/scan/", {"code": case.rma_number, "center": lyon.pk})
    assert response["Location"] == f"/agent/receive/?center={lyon.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f"goes to {case.shipment.return_center}, not to Lyon hub" in page
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.LABEL_ISSUED


def test_a_new_session_starts_the_counts_from_zero(client, agent, case):
    client.force_login(agent)
    client.post("/agent/receive/scan/", {"code": case.rma_number})
    client.post("/agent/receive/reset/")
    page = client.get("/agent/receive/").content.decode()
    assert "0 parcels received in this session" in page


def test_only_staff_who_may_receive_parcels_open_the_station(client, case):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_returncase"))
    client.force_login(viewer)
    assert client.get("/agent/receive/").status_code in (302, 403)
    assert client.post("/agent/receive/scan/", {"code": case.rma_number}).status_code in (302, 403)
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.LABEL_ISSUED


def test_the_case_sheet_prints_without_navigation(client, agent, case):
    client.force_login(agent)
    services.case_mark_received(case=case, actor=agent)
    response = client.get(f"/agent/cases/{case.rma_number}/print/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "agent-nav" not in body and "css/print.css" in body
    assert case.rma_number in body and case.shipment.tracking_number in body
    assert "data:image/svg+xml;base64," in body  # the RMA number's barcode
    assert client.get("/agent/cases/NOPE/print/").status_code == 404
