"""Money limits in a real browser (#17 items 1-2): two tabs granting goodwill on one case pay once within the
limit, the second asks a supervisor, who approves it by clicking on the approvals page."""

from decimal import Decimal

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from rma.access import roles
from rma.cases import services
from rma.cases.models import ApprovalRequest, Compensation, ReturnCase
from tests.browser.conftest import screenshot
from tests.browser.test_agent_queue import log_in
from tests.rma.factories import OrderLineFactory, UserFactory
from tests.security.test_staff_accounts import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def grant(page, amount: str):
    page.locator("details summary", has_text="Goodwill gesture").click()
    page.locator("select[name=goodwill-kind]").select_option("partial_refund")
    page.locator("input[name=goodwill-amount]").fill(amount)
    with page.expect_navigation():
        page.get_by_role("button", name="Grant the goodwill gesture").click()


def test_two_tabs_grant_goodwill_once_and_the_rest_waits_for_a_supervisor(live_server, new_page, eu_policy):
    agent = UserFactory(username="alex", role=roles.AGENT)
    sam = UserFactory(username="sam", role=roles.SUPERVISOR)
    device = TOTPDevice.objects.create(user=sam, name="phone", confirmed=True)  # supervisors sign in with two steps
    line = OrderLineFactory(unit_price="129.00")
    case = services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )
    services.case_mark_received(case=ReturnCase.objects.get(pk=case.pk), actor=agent)

    first = new_page()
    log_in(first, live_server.url, username="alex")
    second = first.context.new_page()  # a second tab of the same session, loaded before the first grants
    for tab in (first, second):
        tab.goto(f"{live_server.url}/agent/cases/{case.rma_number}/")
    grant(first, "12.90")
    grant(second, "12.90")
    assert "awaits a supervisor" in second.content()
    screenshot(second, "goodwill-awaiting-approval")
    assert Compensation.objects.count() == 1
    assert ApprovalRequest.objects.get().status == "pending"
    assert "Awaiting approval" in second.content()

    boss = new_page()
    boss.goto(f"{live_server.url}/agent/")
    boss.get_by_label("Username").fill("sam")
    boss.get_by_label("Password").fill("pw-for-tests")
    boss.get_by_role("button", name="Log in").click()
    boss.wait_for_url("**/agent/mfa/verify/**")
    boss.get_by_label("Code").fill(code_for(device))
    boss.get_by_role("button", name="Verify").click()
    boss.wait_for_url(f"{live_server.url}/agent/")
    boss.get_by_role("link", name="Approvals").click()
    boss.wait_for_url("**/agent/supervisor/approvals/")
    boss.get_by_label("Reason for your decision").fill("Late delivery twice")
    with boss.expect_navigation():
        boss.get_by_role("button", name="Approve").click()
    assert "Approved" in boss.content()
    screenshot(boss, "goodwill-approved")
    assert Compensation.objects.count() == 2
    assert services.paid_out_total(ReturnCase.objects.get(pk=case.pk)) == Decimal("25.80")
