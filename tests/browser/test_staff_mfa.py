"""A supervisor signs in for the first time through the real pages: password, enrolment with the QR code,
recovery codes, then the workspace and the admin; the next sign-in asks for the authenticator's code."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from rma.access import roles
from tests.browser.conftest import screenshot
from tests.rma.factories import UserFactory
from tests.security.test_staff_accounts import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, url):
    page.goto(f"{url}/agent/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()


def test_a_supervisor_enrols_an_authenticator_and_then_needs_its_code(live_server, new_page):
    supervisor = UserFactory(username="sam", role=roles.SUPERVISOR)
    page = new_page()
    sign_in(page, live_server.url)
    page.wait_for_url("**/agent/mfa/setup/**")
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the data: image is allowed by the CSP
    screenshot(page, "staff-mfa-setup")
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/agent/")
    page.goto(f"{live_server.url}/admin/")
    assert page.get_by_role("heading", name="Site administration").is_visible()

    page.get_by_role("button", name="Log out").first.click()
    other = new_page()
    sign_in(other, live_server.url)
    other.wait_for_url("**/agent/mfa/verify/**")
    other.get_by_label("Code").fill("000000")
    other.get_by_role("button", name="Verify").click()
    assert other.get_by_text("That code is not right").is_visible()
    device = TOTPDevice.objects.get(user=supervisor, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    other.get_by_label("Code").fill(code_for(device, offset=1))  # the next period's code: unused so far
    other.get_by_role("button", name="Verify").click()
    other.wait_for_url(f"{live_server.url}/agent/")
    assert other.get_by_role("link", name="Team overview").is_visible()
