"""Labels, emails and refunds produced by a real Celery worker over a real Redis broker."""

import io
import re
import time

import pytest
from pypdf import PdfReader

from rma.cases import services
from rma.cases.models import Refund, ReturnCase
from rma.integrations.models import LocalPayment
from rma.logistics.models import Shipment
from rma.messaging.models import Notification
from tests.integration.conftest import wait_for
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.integration


def test_worker_renders_the_label_and_sends_the_emails(celery_worker, eu_policy, agent):
    line = OrderLineFactory(order__customer__language="it")
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
    )
    assert ReturnCase.objects.get(pk=case.pk).status == "approved"  # the label is the worker's job
    wait_for(lambda: ReturnCase.objects.get(pk=case.pk).status == "label_issued", what="the label")
    shipment = Shipment.objects.get(case=case)
    text = PdfReader(io.BytesIO(shipment.label_pdf.read())).pages[0].extract_text()
    assert case.rma_number in text
    wait_for(lambda: Notification.objects.filter(case=case, status="sent").count() == 2, what="two emails")
    label_mail = Notification.objects.get(case=case, event="label_ready")
    assert "etichetta" in label_mail.subject.lower()  # rendered in the customer's language by the worker

    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    for item in ReturnCase.objects.get(pk=case.pk).items.all():
        services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")
    refund = services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    wait_for(lambda: Refund.objects.get(pk=refund.pk).status == "paid", what="the refund")
    assert LocalPayment.objects.count() == 1


def test_the_same_task_enqueued_twice_yields_one_label(celery_worker, eu_policy, agent):
    from rma.logistics.tasks import label_render

    eu_policy.auto_approve = False
    eu_policy.save()
    line = OrderLineFactory()
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )
    services.case_approve(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    label_render.delay(case.id)
    label_render.delay(case.id)
    wait_for(lambda: ReturnCase.objects.get(pk=case.pk).status == "label_issued", what="the label")
    wait_for(lambda: not _pending(), what="the queue to drain", timeout=30)
    assert Shipment.objects.filter(case=case).count() == 1


def _pending() -> bool:
    from returns_portal.celery import app

    with app.connection_for_read() as conn:
        return any(conn.default_channel.client.llen(q) for q in ("documents", "default"))


def test_a_worker_killed_in_the_middle_of_a_label_leaves_exactly_one_label(workers, eu_policy, agent):
    """acks_late: the task of a worker that dies mid-render is delivered again, and the service makes
    the label once, whichever side of the commit the crash fell on."""
    from rma.orders.models import Order

    eu_policy.auto_approve = False
    eu_policy.save()
    timeout_env = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    first = workers.start(extra_env=timeout_env, concurrency=1)
    order = OrderLineFactory().order
    for _ in range(120):  # a long packing slip, so the render takes a while
        OrderLineFactory(order=order)
    order = Order.objects.get(pk=order.pk)
    case = services.case_open(
        customer=order.customer,
        items=[services.ItemRequest(line, 1, "too_small") for line in order.lines.all()],
        language="en",
    )
    services.case_approve(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    wait_for(lambda: "label_render" in first.log_path.read_text() and "received" in first.log_path.read_text(),
             what="the worker to take the task", interval=0.05)  # fmt: skip
    workers.kill(first)
    # It died mid-task (other tasks, such as notifications, may have finished around it).
    assert not re.search(r"label_render\[[^\]]+\] succeeded", first.log_path.read_text())
    workers.start(extra_env=timeout_env, concurrency=1)
    wait_for(lambda: ReturnCase.objects.get(pk=case.pk).status == "label_issued", what="the label", timeout=90)
    time.sleep(4)  # a further redelivery, if any, would have happened by now
    assert Shipment.objects.filter(case=case).count() == 1
    assert ReturnCase.objects.get(pk=case.pk).events.filter(kind="label").count() == 1
