"""A refund the provider declined: the customer reads "on its way", the supervisor finds it in Stuck work and
clicks "Try again" once the cause is fixed; it is paid exactly once. Real pages, real clicks, axe."""

import pytest

from rma.access import roles
from rma.cases import services
from rma.cases.models import Refund, ReturnCase
from rma.integrations.models import LocalPayment
from tests.browser.test_accessibility import violations
from tests.browser.test_agent_queue import log_in_with_authenticator
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_queues_a_declined_refund_again_by_clicking_try_again(
    live_server, new_page, eu_policy, settings, monkeypatch, tmp_path
):
    agent = UserFactory(username="alex", role=roles.AGENT)
    sam = UserFactory(username="sam", first_name="Sam", role=roles.SUPERVISOR)
    line = OrderLineFactory(order__customer__language="it")
    case = services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language="it")  # fmt: skip
    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    for item in ReturnCase.objects.get(pk=case.pk).items.all():
        services.item_inspect(item=item, actor=agent, grade="new", disposition="restock")
    settings.PAYMENT_PROVIDER = "tests.flaky_provider.FlakyPaymentProvider"
    monkeypatch.setenv("FLAKY_PROVIDER_STATE", str(tmp_path / "calls"))
    monkeypatch.setenv("FLAKY_PROVIDER_DECLINE", "1")
    services.case_refund(case=ReturnCase.objects.get(pk=case.pk), actor=agent)
    assert Refund.objects.get(case=case).status == "failed"

    page = new_page()
    log_in_with_authenticator(page, live_server.url, user=sam)
    page.get_by_role("link", name="Stuck work").click()
    row = page.get_by_role("row").filter(has_text=case.rma_number)
    assert "card_closed" in row.inner_text()
    assert violations(page) == []

    monkeypatch.setenv("FLAKY_PROVIDER_DECLINE", "0")  # the shop fixed the payment method with the provider
    monkeypatch.setenv("FLAKY_PROVIDER_FAILURES", "0")
    row.get_by_role("button", name="Try again").click()
    assert page.get_by_text("Queued again: it is tried at once.").is_visible()
    assert page.get_by_role("row").filter(has_text=case.rma_number).count() == 0
    assert Refund.objects.get(case=case).status == "paid"
    assert LocalPayment.objects.filter(kind="refund").count() == 1
