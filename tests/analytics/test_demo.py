"""The demo data gives the dashboard something to show."""

import pytest

from rma.demo import demo_load

pytestmark = pytest.mark.django_db(transaction=True)  # labels render on commit, as live


def test_demo_dashboard_shows_the_demo_cases(client):
    demo_load()
    client.login(username="supervisor", password="supervisor-demo-2026")
    page = client.get("/agent/analytics/").content.decode()
    assert "Return rate by category" in page
    assert "Footwear" in page or "Apparel" in page
    assert "No data for these filters." not in page.split("How cases ended")[1].split("</section>")[0]
    demo_load()  # twice is harmless
    client.login(username="policyadmin", password="policyadmin-demo-2026")
    assert client.get("/agent/analytics/").status_code == 200
