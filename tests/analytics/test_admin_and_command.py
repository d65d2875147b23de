"""Label prices in the admin; the refresh command."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from rma.analytics.models import CaseMonth
from tests.analytics.dataset import build

pytestmark = pytest.mark.django_db


def test_label_prices_are_kept_in_the_admin(admin_client):
    build()
    page = admin_client.get("/admin/analytics/labelrate/").content.decode()
    assert "Returns Post" in page and "5.50" in page


def test_refresh_command_prints_what_it_did():
    build()
    out = StringIO()
    call_command("analytics_refresh", stdout=out)
    assert json.loads(out.getvalue())["full"] is True
    out = StringIO()
    call_command("analytics_refresh", "--full", stdout=out)
    assert json.loads(out.getvalue())["cases"] == 5
    assert CaseMonth.objects.count() > 0
