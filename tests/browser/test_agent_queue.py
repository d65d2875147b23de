"""An agent works the queue in a real browser: filters swap the table in place (HTMX), the page comes back
from the cache on a reload, and a bulk action posted from that cached page passes the CSRF check."""

import pytest

from rma.access import roles
from rma.cases.models import ReturnCase
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import violations
from tests.rma.factories import UserFactory
from tests.rma.workspace.test_agent_queue import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, *, username, password="pw-for-tests", labels=("Username", "Password", "Log in")):
    page.goto(f"{base_url}/agent/")
    page.get_by_label(labels[0]).fill(username)
    page.get_by_label(labels[1]).fill(password)
    page.get_by_role("button", name=labels[2]).click()
    page.wait_for_url("**/agent/")


def log_in_with_authenticator(page, base_url, *, user, password="pw-for-tests"):
    """Sign in as staff whose role requires a second factor: an enrolled authenticator, and its code typed in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.security.test_staff_accounts import code_for

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(f"{base_url}/agent/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/agent/mfa/verify/**")
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/agent/")


def rows(page) -> list[str]:
    return page.locator("table.queue tbody a").all_inner_texts()


@pytest.mark.parametrize(
    ("locale", "labels", "kind_label", "assign_label", "assign_button"),
    [
        ("en-GB", ("Username", "Password", "Log in"), "Kind", "Assign to", "Assign"),
        ("de-DE", ("Benutzername", "Passwort", "Anmelden"), "Art", "Zuweisen an", "Zuweisen"),
    ],
)
def test_agent_filters_the_queue_in_place_and_assigns_from_a_cached_page(
    live_server, new_page, locale, labels, kind_label, assign_label, assign_button
):
    UserFactory(username="alex", first_name="Alex", last_name="Berg", role=roles.AGENT)
    returns = [make_case(due_in_hours=h, kind="return") for h in (1, 3)]
    warranty = make_case(due_in_hours=2, kind="warranty")

    page = new_page(locale=locale)
    log_in(page, live_server.url, username="alex", labels=labels)
    assert rows(page) == [returns[0].rma_number, warranty.rma_number, returns[1].rma_number]
    page.reload()  # served from the cache this time, with a CSRF token of its own
    assert rows(page) == [returns[0].rma_number, warranty.rma_number, returns[1].rma_number]
    assert violations(page) == []
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))  # each label points at its own field

    # A filter replaces only the table (the rest of the page stays: no navigation) and updates the URL.
    page.evaluate("document.querySelector('h1').dataset.marker = 'kept'")
    page.get_by_label(kind_label, exact=True).select_option("warranty")
    page.wait_for_url("**kind=warranty**")
    page.wait_for_function("document.querySelectorAll('table.queue tbody a').length === 1")
    assert rows(page) == [warranty.rma_number]
    assert page.evaluate("document.querySelector('h1').dataset.marker") == "kept"
    screenshot(page, f"queue-{locale}-filtered")

    # Back to all; the reload comes from the cache; tick one case and assign it in bulk.
    page.goto(f"{live_server.url}/agent/")
    page.reload()
    page.locator(f"input[type=checkbox][value='{returns[1].rma_number}']").check()
    page.get_by_label(assign_label, exact=True).select_option(label="Alex Berg")
    with page.expect_navigation():
        page.get_by_role("button", name=assign_button, exact=True).click()
    screenshot(page, f"queue-{locale}-bulk-result")
    assert ReturnCase.objects.get(pk=returns[1].pk).assignee.username == "alex"
    assert returns[1].rma_number in page.content()

    # The queue shows the change at once (a new generation), not the page kept a moment ago.
    page.goto(f"{live_server.url}/agent/")
    row = page.locator("table.queue tbody tr", has_text=returns[1].rma_number)
    assert "Alex Berg" in row.inner_text()
    page.goto(f"{live_server.url}/agent/?view=mine")
    assert rows(page) == [returns[1].rma_number]
    screenshot(page, f"queue-{locale}-mine")
