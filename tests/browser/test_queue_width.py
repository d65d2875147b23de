"""The agent queue on a 1400 px screen: every column, the status last, is shown whole, without scrolling sideways."""

import pytest

from rma.access import roles
from tests.browser.conftest import screenshot
from tests.browser.test_agent_queue import log_in
from tests.rma.factories import UserFactory
from tests.rma.workspace.test_agent_queue import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["en-GB", "de-DE"])
def test_the_status_column_is_not_clipped_at_1400_px(live_server, new_page, locale):
    UserFactory(username="alex", role=roles.AGENT)
    cases = [make_case(status=status, due_in_hours=hours) for hours, status in enumerate(
        ["refund_pending", "awaiting_customer", "label_issued", "in_transit"], start=1)]  # fmt: skip
    for index, case in enumerate(cases):  # long names and addresses, as real customers have
        case.customer.name = "Maria-Alexandra Constantinescu-Dumitrescu"
        case.customer.email = f"maria.alexandra.constantinescu{index}@example-long-domain.com"
        case.customer.save()
    page = new_page(locale=locale, viewport={"width": 1400, "height": 900})
    labels = ("Benutzername", "Passwort", "Anmelden") if locale == "de-DE" else ("Username", "Password", "Log in")
    log_in(page, live_server.url, username="alex", labels=labels)
    screenshot(page, f"queue-1400-{locale}")
    scroller = page.locator("#queue-table .scroll")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table scrolls sideways"
    box = scroller.bounding_box()
    badges = page.locator("table.queue tbody .badge")
    assert badges.count() == page.locator("table.queue tbody tr").count() >= 3
    for index in range(badges.count()):
        badge = badges.nth(index).bounding_box()
        assert badge["x"] + badge["width"] <= box["x"] + box["width"] + 0.5
        assert badge["height"] < 40  # one line, not broken word by word
