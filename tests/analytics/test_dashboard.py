"""Dashboard figures against hand-computed expectations, filters, access, CSV export and localization."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest

from rma.access import roles
from rma.analytics import services
from rma.analytics.selectors import DashboardFilter, dashboard_figures
from tests.analytics.dataset import build
from tests.rma.factories import UserFactory

pytestmark = pytest.mark.django_db

OCTOBER = DashboardFilter(start=datetime.date(2026, 10, 1), end=datetime.date(2026, 10, 31))


@pytest.fixture
def data():
    cases = build()
    services.analytics_refresh()
    return cases


def rows(figures, table):
    return {row.get("code", row.get("sku")): row for row in figures["tables"][table].rows}


def test_return_rates_by_category_region_and_product(data):
    figures = dashboard_figures(filters=OCTOBER)
    summary = rows(figures, "summary")
    # Sold in October: A 4 × 10, B 200, C 20 = 260 (September's 100 units of A are outside).
    # Returned in cases filed in October: 8 + 2 + 1 + 2 = 13 (the September case's 5 are outside).
    assert summary["sold"]["value"] == 260
    assert summary["returned"]["value"] == 13
    assert summary["rate"]["value"] == pytest.approx(13 / 260)
    assert summary["cases"]["value"] == 4
    categories = rows(figures, "categories")
    assert (categories["footwear"]["sold"], categories["footwear"]["returned"]) == (240, 11)
    assert categories["footwear"]["rate"] == pytest.approx(11 / 240)
    assert (categories["apparel"]["sold"], categories["apparel"]["returned"]) == (20, 2)
    assert categories["apparel"]["rate"] == pytest.approx(0.10)
    regions = rows(figures, "regions")
    assert (regions["EU"]["sold"], regions["EU"]["returned"]) == (240, 11)
    assert (regions["US"]["sold"], regions["US"]["returned"]) == (20, 2)
    products = rows(figures, "products")
    assert (products["A"]["sold"], products["A"]["returned"], products["A"]["rate"]) == (40, 10, 0.25)
    assert (products["B"]["sold"], products["B"]["returned"]) == (200, 1)
    assert products["A"]["top_reason"] == "Too small"
    assert [row["sku"] for row in figures["tables"]["products"].rows] == ["A", "C", "B"]


def test_reasons_and_their_trend(data):
    figures = dashboard_figures(filters=OCTOBER)
    reasons = rows(figures, "reasons")
    assert {code: row["units"] for code, row in reasons.items()} == {"too_small": 9, "defective": 2,
                                                                      "change_of_mind": 2}  # fmt: skip
    assert reasons["too_small"]["share"] == pytest.approx(9 / 13)
    assert reasons["too_small"]["rate"] == pytest.approx(9 / 260)
    assert figures["unit"] == "day"
    trend = {row["period"]: row for row in figures["tables"]["reason_trend"].rows}
    assert len(trend) == 31
    assert trend[datetime.date(2026, 10, 6)]["too_small"] == 8
    assert trend[datetime.date(2026, 10, 12)]["too_small"] == 1
    assert trend[datetime.date(2026, 10, 20)]["change_of_mind"] == 2
    rate_trend = {row["period"]: row for row in figures["tables"]["rate_trend"].rows}
    assert rate_trend[datetime.date(2026, 10, 5)]["sold"] == 240  # A and B were ordered on 5 October
    assert rate_trend[datetime.date(2026, 10, 6)]["rate"] is None  # nothing sold that day


def test_what_to_fix_shows_the_product_and_its_reason_with_the_numbers(data):
    fix = dashboard_figures(filters=OCTOBER)["tables"]["fix"].rows
    # A: 10 of 40 returned (25%) against footwear's 11 of 240 (4.58%): 5.45 times, above 1.5× and +5 points;
    # 1.83 units expected at the category's rate, σ = √(40 × 0.0458 × 0.9542) = 1.32, so z = 6.2 ≥ 3.
    # A, too small: 8 of 40 (20%) against footwear's 9 of 240 (3.75%): 5.33 times, above 2× and +3 points;
    # 1.5 expected, σ = 1.20, z = 5.4. A, defective: 2 units, under the 3 a reason line needs.
    # B: 1 of 200, below its category. C: 2 of 20, its category's own rate.
    assert [(row["sku"], row["reason"]) for row in fix] == [("A", ""), ("A", "too_small")]
    overall, too_small = fix
    assert (overall["sold"], overall["returned"], overall["category_sold"], overall["category_returned"]) == (
        40, 10, 240, 11)  # fmt: skip
    assert overall["rate"] == pytest.approx(0.25) and overall["category_rate"] == pytest.approx(11 / 240)
    assert overall["times"] == pytest.approx(0.25 / (11 / 240))
    assert (too_small["returned"], too_small["category_returned"]) == (8, 9)
    assert too_small["times"] == pytest.approx(0.20 / (9 / 240))
    assert too_small["what"] == "Too small"


def test_outcomes_money_per_currency_and_satisfaction(data):
    figures = dashboard_figures(filters=OCTOBER)
    outcomes = rows(figures, "resolutions")
    assert {code: row["cases"] for code, row in outcomes.items()} == {"refund": 1, "store_credit": 1, "exchange": 1,
                                                                       "open": 1}  # fmt: skip
    assert outcomes["refund"]["share"] == pytest.approx(0.25)
    money = {row["currency"]: row for row in figures["tables"]["money"].rows}
    assert set(money) == {"EUR", "USD"}  # never added together
    eur = money["EUR"]
    assert eur["cases"] == 3
    assert eur["refunded"] == Decimal("400.00")
    assert (eur["credited"], eur["credit_bonus"]) == (Decimal("90.00"), Decimal("9.00"))
    assert eur["kept_exchange"] == Decimal("25.00")  # the 30.00 shoe less the 5.00 difference refunded
    assert eur["kept"] == Decimal("115.00")
    assert (eur["fees"], eur["deductions"], eur["goodwill"]) == (Decimal("10.00"), Decimal("0"), Decimal("3.00"))
    assert (eur["labels"], eur["label_cost"], eur["labels_unpriced"]) == (1, Decimal("5.50"), 0)
    assert money["USD"]["cases"] == 1 and money["USD"]["refunded"] == 0
    summary = rows(figures, "summary")
    assert summary["satisfaction"]["value"] == pytest.approx(4.0)  # ratings 5 and 3
    assert summary["answers"]["value"] == 2
    # c1 follows the customer's September case and c2 follows both: two of four are repeats.
    assert summary["repeat"]["value"] == 2
    assert summary["repeat_share"]["value"] == pytest.approx(0.5)
    satisfaction = rows(figures, "satisfaction")
    assert (satisfaction[5]["responses"], satisfaction[3]["responses"], satisfaction[1]["responses"]) == (1, 1, 0)


def _nearest_rank(hours: list[float], q: float) -> float:
    ordered = sorted(hours)
    return ordered[max(1, -(-int(q * 1000) * len(ordered) // 1000)) - 1]


def test_processing_time_percentiles_and_deadlines(data):
    figures = dashboard_figures(filters=OCTOBER)
    times = rows(figures, "times")
    # Hours per stage (c1, c2, c3), then the nearest-rank percentile, rounded up to the histogram's bucket
    # bound (1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, ... hours).
    assert _nearest_rank([2, 30, 4], 0.5) == 4 and _nearest_rank([2, 30, 4], 0.9) == 30
    assert (times["decision"]["cases"], times["decision"]["p50"], times["decision"]["p90"]) == (3, 4, 36)
    assert (times["receipt"]["cases"], times["receipt"]["p50"], times["receipt"]["p90"]) == (2, 48, 72)  # 50 h, 42 h
    assert (times["refund"]["p50"], times["refund"]["p95"]) == (24, 48)  # 20 h, 48 h
    assert (times["total"]["cases"], times["total"]["p50"], times["total"]["p90"]) == (3, 72, 120)  # 72, 120, 30 h
    sla = rows(figures, "sla")
    # First response: c1 on time, c2 late, c3 never answered and past due; c4 had no such clock.
    assert (sla["first_response"]["measured"], sla["first_response"]["on_time"]) == (3, 1)
    # Decision: c1 and c3 on time, c2 late, c4 still undecided and past its due date.
    assert (sla["decision"]["measured"], sla["decision"]["on_time"]) == (4, 2)
    assert sla["decision"]["share"] == pytest.approx(0.5)
    # Refund after receipt: c1 on time, c2 late; the others were never received.
    assert (sla["refund"]["measured"], sla["refund"]["on_time"]) == (2, 1)


def test_filters_by_region_category_and_period(data):
    us = dashboard_figures(filters=DashboardFilter(start=OCTOBER.start, end=OCTOBER.end, region="US"))
    summary = rows(us, "summary")
    assert (summary["sold"]["value"], summary["returned"]["value"], summary["cases"]["value"]) == (20, 2, 1)
    assert us["tables"]["fix"].rows == []
    footwear = dashboard_figures(filters=DashboardFilter(start=OCTOBER.start, end=OCTOBER.end, category="footwear"))
    summary = rows(footwear, "summary")
    assert (summary["sold"]["value"], summary["returned"]["value"], summary["cases"]["value"]) == (240, 11, 3)
    two_months = dashboard_figures(filters=DashboardFilter(start=datetime.date(2026, 9, 1), end=OCTOBER.end))
    summary = rows(two_months, "summary")
    # September adds 100 units of A sold and 5 returned: 18 of 360.
    assert (summary["sold"]["value"], summary["returned"]["value"], summary["cases"]["value"]) == (360, 18, 5)
    assert rows(two_months, "products")["A"]["sold"] == 140


@pytest.fixture
def supervisor_client(client, data):
    client.force_login(UserFactory(username="boss", role=roles.SUPERVISOR))
    return client


def test_dashboard_page_in_english_and_german(supervisor_client):
    page = supervisor_client.get("/agent/analytics/?start=2026-10&end=2026-10").content.decode()
    assert "5.0%" in page and "4.6%" in page  # 13 of 260 in all; 11 of 240 for footwear
    assert "€400.00" in page and "$0.00" in page
    assert 'role="img"' in page and '<title id="chart-rate-trend-title">Return rate over time</title>' in page
    assert "Trail shoe" in page
    assert re.search(r"<dt>Units sold</dt>\s*<dd>\s*260\s*</dd>", page)  # the summary figures
    german = supervisor_client.get("/agent/analytics/?start=2026-10&end=2026-10", HTTP_ACCEPT_LANGUAGE="de")
    text = german.content.decode()
    assert "4,6\xa0%" in text and "400,00\xa0€" in text  # Babel puts a no-break space before the sign


def test_dashboard_queries_do_not_grow_with_the_data(supervisor_client, django_assert_num_queries):
    supervisor_client.get("/agent/analytics/")  # warm the cached session, user and permissions
    with django_assert_num_queries(13):  # 12 + the verified second factor (django-otp)
        supervisor_client.get("/agent/analytics/?start=2026-10&end=2026-10")
    with django_assert_num_queries(13):  # 12 + the verified second factor (django-otp)
        supervisor_client.get("/agent/analytics/?start=2026-01&end=2026-12&region=EU&category=footwear")


def test_htmx_filter_request_gets_only_the_figures(supervisor_client):
    response = supervisor_client.get("/agent/analytics/?start=2026-10&end=2026-10", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="dashboard-figures">')
    assert "<form" not in body


def test_csv_export_of_a_table(supervisor_client):
    response = supervisor_client.get("/agent/analytics/export/categories.csv?start=2026-10&end=2026-10")
    assert response["Content-Type"].startswith("text/csv")
    assert "analytics-categories-2026-10-2026-10.csv" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["code", "Category", "Units sold", "Units returned", "Return rate"]
    assert table[1] == ["footwear", "Footwear", "240", "11", "0.045833"]
    assert table[2] == ["apparel", "Apparel", "20", "2", "0.1"]
    money = list(
        csv.reader(
            io.StringIO(
                supervisor_client.get("/agent/analytics/export/money.csv?start=2026-10&end=2026-10").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert money[1][:3] == ["EUR", "3", "400.00"]
    assert supervisor_client.get("/agent/analytics/export/nothing.csv").status_code == 404


def test_every_table_exports(supervisor_client):
    figures = dashboard_figures(filters=OCTOBER)
    for key, table in figures["tables"].items():
        response = supervisor_client.get(f"/agent/analytics/export/{key}.csv?start=2026-10&end=2026-10")
        assert response.status_code == 200, key
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(lines) == len(table.rows) + 1, key


def test_access_for_supervisors_and_policy_admins_only(client, data):
    assert client.get("/agent/analytics/").status_code == 302  # to the login page
    client.force_login(UserFactory(username="plain-agent", role=roles.AGENT))
    assert client.get("/agent/analytics/").status_code == 403
    assert client.get("/agent/analytics/export/summary.csv").status_code == 403
    assert "/agent/analytics/" not in client.get("/agent/").content.decode()
    client.force_login(UserFactory(username="admin-of-policies", role=roles.POLICY_ADMIN))
    assert client.get("/agent/analytics/").status_code == 200
    client.force_login(UserFactory(username="sup", role=roles.SUPERVISOR))
    assert "/agent/analytics/" in client.get("/agent/").content.decode()


def test_csv_cells_from_imported_names_are_never_formulas(supervisor_client):
    from tests.rma.factories import OrderFactory, OrderLineFactory

    order = OrderFactory(ordered_on=datetime.date(2026, 10, 8), currency="EUR")
    OrderLineFactory(order=order, sku="=1+1", name='=HYPERLINK("http://evil.example","x")', quantity=3)
    services.analytics_refresh()
    response = supervisor_client.get("/agent/analytics/export/products.csv?start=2026-10&end=2026-10")
    assert response.content.startswith("\ufeff".encode())  # spreadsheets read the UTF-8 right
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]
    assert "'=1+1" in cells and '\'=HYPERLINK("http://evil.example","x")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
