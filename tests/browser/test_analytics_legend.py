"""The analytics charts in a browser: no two texts of a chart (legend, axes, labels) overlap, even with long
reason names in German; the chart's legend says which line is which."""

import pytest

from rma.access import roles
from rma.analytics import services
from tests.analytics.dataset import _case, _line, at, build
from tests.browser.conftest import screenshot
from tests.browser.test_agent_queue import log_in_with_authenticator
from tests.rma.factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERLAPS = """svg => {
  const boxes = [...svg.querySelectorAll('text')]
    .map(e => ({text: e.textContent, box: e.getBoundingClientRect()}))
    .filter(e => e.box.width > 0);
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].box, b = boxes[j].box;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      pairs.push([boxes[i].text, boxes[j].text]);
  }
  return pairs;
}"""


@pytest.mark.parametrize("language", ["English", "Deutsch"])
def test_chart_legends_and_labels_do_not_overlap(live_server, new_page, language):
    build()
    customer = CustomerFactory(country="IT", language="it")
    reasons = ["not_as_described", "damaged_in_transit", "wrong_item", "change_of_mind", "too_large"]
    for day, reason in enumerate(reasons, start=6):  # many reasons, each a line with a long name
        line = _line(customer, sku=f"R{day}", name="Boot", category="footwear", quantity=3, price="40.00",
                     ordered_on=at(2).date())  # fmt: skip
        _case(customer, line, quantity=1, reason=reason, status="requested", created=at(day, 10))
    services.analytics_refresh()
    boss = UserFactory(username="boss", role=roles.SUPERVISOR)
    page = new_page(viewport={"width": 1280, "height": 900})
    log_in_with_authenticator(page, live_server.url, user=boss)
    page.goto(f"{live_server.url}/agent/analytics/?start=2026-09&end=2026-10")
    page.locator("#language-select").select_option(label=language)
    page.locator("#language-select").locator("xpath=..").locator("button").click()
    page.wait_for_load_state()
    screenshot(page, f"analytics-legend-{language}")
    charts = page.locator("svg.chart")
    assert charts.count() >= 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.evaluate(OVERLAPS) == [], chart.get_attribute("id")
    names = page.locator("#chart-reason-trend text").evaluate_all("texts => texts.map(t => t.textContent)")
    reasons_in_table = page.locator("#table-reason_trend thead th").all_inner_texts()[1:]
    assert len(reasons_in_table) >= 5 and set(reasons_in_table) <= set(names)  # each line named in the legend
