"""Every kind of case from request to closed through the real pages: the customer files, an agent settles."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from rma.cases.models import ExchangeOrder, Refund, ReturnCase
from tests.rma.factories import OrderFactory, OrderLineFactory
from tests.rma.portal.test_portal import lookup

pytestmark = pytest.mark.django_db(transaction=True)


def photo():
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(out, format="PNG")
    return SimpleUploadedFile("damage.png", out.getvalue())


def file_on_portal(client, line, **fields):
    lookup(client, line.order)
    data = {f"qty_{line.id}": "1", f"resolution_{line.id}": "refund"}
    data.update({f"{name}_{line.id}": value for name, value in fields.items()})
    response = client.post(f"/en/orders/{line.order.number}/return/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return ReturnCase.objects.get(items__order_line=line)


def act(client, case, action, **extra):
    case = ReturnCase.objects.get(pk=case.pk)
    response = client.post(f"/agent/cases/{case.rma_number}/action/",
                           {"action": action, "seen_status": case.status, **extra})  # fmt: skip
    assert response.status_code == 302, (action, response.status_code, response.content.decode()[:3000])


def receive_and_inspect(staff, case, **inspection):
    act(staff, case, "mark_received")
    item = ReturnCase.objects.get(pk=case.pk).items.get()
    fields = {"grade": "good", "disposition": "restock", "complete": "on", **inspection}
    act(staff, case, "inspect", item=item.pk, **{f"inspect-{item.pk}-{k}": v for k, v in fields.items()})


@pytest.fixture
def staff(agent):
    from django.test import Client

    staff = Client()
    staff.force_login(agent)
    return staff


def test_exchange(client, staff, eu_policy):
    line = OrderLineFactory(unit_price="60.00")
    case = file_on_portal(client, line, reason="too_small", resolution="exchange", wish="Size M")
    assert case.kind == "exchange"
    receive_and_inspect(staff, case)
    act(staff, case, "exchange", **{"exchange-description": "Jacket, size M", "exchange-price_difference": "0"})
    act(staff, case, "close")
    assert ReturnCase.objects.get(pk=case.pk).status == "closed"
    assert ExchangeOrder.objects.get(case=case).description == "Jacket, size M"


def test_warranty_claim_repaired(client, staff, eu_policy):
    order = OrderFactory(delivered_on=timezone.localdate() - datetime.timedelta(days=300))
    line = OrderLineFactory(order=order, category="electronics", unit_price="250.00")
    case = file_on_portal(client, line, reason="defective", resolution="repair", problem="No sound since Monday")
    assert case.kind == "warranty"
    receive_and_inspect(staff, case, fault_found="on")
    act(staff, case, "mark_repaired")
    act(staff, case, "close")
    assert ReturnCase.objects.get(pk=case.pk).status == "closed"


def test_delivery_claim_kept_by_the_customer_and_refunded(client, staff, eu_policy):
    line = OrderLineFactory(unit_price="8.00")
    lookup(client, line.order)
    response = client.post(f"/en/orders/{line.order.number}/return/", {
        f"qty_{line.id}": "1", f"reason_{line.id}": "damaged_in_transit", f"resolution_{line.id}": "refund",
        f"photos_{line.id}": [photo()],
    })  # fmt: skip
    assert response.status_code == 302
    case = ReturnCase.objects.get()
    assert case.kind == "delivery" and not case.needs_shipment and case.status == "approved"
    act(staff, case, "refund", **{"refund-kind": "refund", "refund-amount": ""})
    act(staff, case, "close")
    assert Refund.objects.get(case=case).amount == 8
    assert ReturnCase.objects.get(pk=case.pk).status == "closed"


def test_return_settled_as_store_credit_after_the_customer_cancels_another(client, staff, eu_policy):
    line = OrderLineFactory(quantity=2, unit_price="30.00")
    first = file_on_portal(client, line, reason="too_small", qty="1")
    client.post(f"/en/cases/{first.rma_number}/cancel/")
    assert ReturnCase.objects.get(pk=first.pk).status == "cancelled"
    second = client.post(f"/en/orders/{line.order.number}/return/", {
        f"qty_{line.id}": "2", f"reason_{line.id}": "change_of_mind", f"resolution_{line.id}": "store_credit",
    })  # fmt: skip
    assert second.status_code == 302
    case = ReturnCase.objects.exclude(pk=first.pk).get()
    receive_and_inspect(staff, case)
    act(staff, case, "credit")
    act(staff, case, "close")
    assert ReturnCase.objects.get(pk=case.pk).status == "closed"
