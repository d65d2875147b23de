"""The receiving station's service: a scanned code receives its parcel once, or changes nothing and says why."""

import threading

import pytest
from django.db import connection

from rma.cases import services
from rma.cases.models import CaseEvent, CaseStatus, ReturnCase
from rma.logistics import documents, receiving
from tests.policies.factories import ReturnCenterFactory
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def file_case(**line):
    order_line = OrderLineFactory(**line)
    case = services.case_open(
        customer=order_line.order.customer, items=[services.ItemRequest(order_line, 1, "too_small")], language="en"
    )
    return ReturnCase.objects.select_related("shipment").get(pk=case.pk)


@pytest.fixture
def case(eu_policy):
    case = file_case()
    assert case.status == CaseStatus.LABEL_ISSUED  # approved at once, label made in-process
    return case


def received_events(case) -> int:
    return CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION, to_status="received").count()


@pytest.mark.parametrize(
    "code",
    [
        lambda case: case.rma_number,
        lambda case: f"  {case.rma_number.lower()}\r\n",  # a scanner's trailing return, typed lowercase
        lambda case: case.shipment.tracking_number,
        lambda case: documents.dropoff_code_sign(case.rma_number),  # the label's drop-off QR value
    ],
    ids=["rma-number", "noisy-rma-number", "tracking-number", "dropoff-qr"],
)
def test_every_code_on_the_parcel_receives_it(case, agent, code):
    result = receiving.parcel_receive_scan(code=code(case), actor=agent)
    case.refresh_from_db()
    assert result.case.pk == case.pk
    assert case.status == CaseStatus.RECEIVED and case.received_at is not None
    assert set(case.items.values_list("status", flat=True)) == {"received"}
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.TRANSITION, to_status="received")
    assert event.actor == agent


def test_an_unknown_code_changes_nothing(case, agent):
    with pytest.raises(receiving.ScanUnknown, match="NOPE-123"):
        receiving.parcel_receive_scan(code="NOPE-123", actor=agent)
    forged = documents.dropoff_code_sign(case.rma_number)[:-3] + "xyz"
    with pytest.raises(receiving.ScanUnknown):
        receiving.parcel_receive_scan(code=forged, actor=agent)
    with pytest.raises(receiving.ScanUnknown):
        receiving.parcel_receive_scan(code="   ", actor=agent)
    case.refresh_from_db()
    assert case.status == CaseStatus.LABEL_ISSUED and received_events(case) == 0


def test_a_second_scan_says_already_received(case, agent):
    receiving.parcel_receive_scan(code=case.rma_number, actor=agent)
    with pytest.raises(receiving.ScanWrongState, match="already received"):
        receiving.parcel_receive_scan(code=case.shipment.tracking_number, actor=agent)
    assert received_events(case) == 1


def test_a_parcel_nobody_expects_is_refused(case, agent):
    services.case_cancel(case=case, actor=agent)
    with pytest.raises(receiving.ScanWrongState, match="Cancelled"):
        receiving.parcel_receive_scan(code=case.rma_number, actor=agent)
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.CANCELLED


def test_a_parcel_for_another_centre_is_refused_naming_the_right_one(case, agent):
    here = ReturnCenterFactory(name="Lyon hub", country="FR")
    case.shipment.return_center = "Milano returns"
    case.shipment.save()
    with pytest.raises(receiving.ScanWrongCentre, match="goes to Milano returns, not to Lyon hub"):
        receiving.parcel_receive_scan(code=case.rma_number, actor=agent, center=here)
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.LABEL_ISSUED
    milano = ReturnCenterFactory(name="Milano returns")
    receiving.parcel_receive_scan(code=case.rma_number, actor=agent, center=milano)
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_staff_without_the_permission_to_process_cannot_receive(case):
    from tests.rma.factories import UserFactory

    viewer = UserFactory(username="viewer")
    with pytest.raises(services.CasePermissionDenied):
        receiving.parcel_receive_scan(code=case.rma_number, actor=viewer)
    assert ReturnCase.objects.get(pk=case.pk).status == CaseStatus.LABEL_ISSUED


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_benches_scanning_one_parcel_at_once_receive_it_once(case, agent, supervisor):
    barrier = threading.Barrier(2)
    outcomes = []

    def scan(actor, code):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            receiving.parcel_receive_scan(code=code, actor=actor)
            outcomes.append("received")
        except services.CaseError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=scan, args=(agent, case.rma_number)),
        threading.Thread(target=scan, args=(supervisor, case.shipment.tracking_number)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ScanWrongState", "received"]
    assert received_events(case) == 1
    assert connection.vendor == "postgresql"
