"""The analytics CSV files: each column named once, and amounts with the digits of their currency (yen: none)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from rma.access import roles
from rma.analytics import services
from rma.analytics.selectors import dashboard_figures
from rma.cases.models import Refund
from tests.analytics.dataset import _case, _event, _line, at, build
from tests.analytics.test_dashboard import OCTOBER
from tests.rma.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_client(client):
    build()
    japan = CustomerFactory(country="JP", language="ja")
    line = _line(japan, sku="J", name="Kettle", category="home", quantity=1, price="12800",
                 ordered_on=datetime.date(2026, 10, 2), currency="JPY")  # fmt: skip
    case = _case(japan, line, quantity=1, reason="defective", status="closed", created=at(12, 9))
    _event(case, "closed", at(14, 9))
    Refund.objects.create(case=case, idempotency_key="jp1", amount=Decimal("12800"), currency="JPY",
                          status=Refund.Status.PAID, provider="local")  # fmt: skip
    services.analytics_refresh()
    client.force_login(UserFactory(username="boss", role=roles.SUPERVISOR))
    return client


def export(client, table: str) -> list[list[str]]:
    response = client.get(f"/agent/analytics/export/{table}.csv?start=2026-10&end=2026-10")
    assert response.status_code == 200, table
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_no_csv_names_a_column_twice(supervisor_client):
    for table in dashboard_figures(filters=OCTOBER)["tables"]:
        header = export(supervisor_client, table)[0]
        assert len(header) == len(set(header)), (table, header)


def test_amounts_have_the_digits_of_their_currency(supervisor_client):
    money = export(supervisor_client, "money")
    header = money[0]
    by_currency = {row[header.index("Currency")]: dict(zip(header, row, strict=True)) for row in money[1:]}
    assert by_currency["JPY"]["Refunded"] == "12800"  # the yen has no minor unit
    assert by_currency["EUR"]["Refunded"] == "400.00"
    for currency, row in by_currency.items():
        for column in ("Refunded", "Fees collected", "Goodwill"):
            digits = len(row[column].partition(".")[2])
            assert digits == (0 if currency == "JPY" else 2), (currency, column, row[column])
