"""The cache is an optimisation, never a dependency: with the cache server away every face answers 200."""

import logging

import pytest
from django.test import override_settings

from rma.cases import services
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
# A Redis nobody listens on, through the backend production uses for CACHE_URL.
AWAY = {"default": {"BACKEND": "returns_portal.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def case(eu_policy):
    line = OrderLineFactory(order__number="IT-7001", order__customer__email="anna@example.com")
    return services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="it"
    )


def test_portal_workspace_and_admin_work_with_the_cache_server_away(client, case, agent, caplog):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    with override_settings(CACHES=AWAY), caplog.at_level(logging.WARNING, logger="returns_portal.cache"):
        assert client.get("/it/").status_code == 200
        response = client.post("/it/", {"number": "IT-7001", "email": "anna@example.com"}, follow=True)
        assert response.status_code == 200  # the one-time code step: the session lives in the database
        assert client.get(f"/policies/{case.policy.region.code}/").status_code in (200, 302)

        client.force_login(agent)
        assert client.get("/agent/").status_code == 200
        assert client.get(f"/agent/cases/{case.rma_number}/").status_code == 200
        assert client.get("/agent/").status_code == 200  # twice: nothing cached, nothing breaks

        client.force_login(admin)
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/rma/returncase/").status_code == 200
    warnings = [r for r in caplog.records if r.name == "returns_portal.cache"]
    assert 1 <= len(warnings) <= 2  # logged once a minute, not once per request


def test_readyz_reports_each_dependency_and_the_cache_being_away(client):
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok" and ready.json()["cache"] == "ok" and "broker" in ready.json()
    with override_settings(CACHES=AWAY):
        away = client.get("/readyz")
    assert away.status_code == 200  # the pages work without the cache: still ready, and it says so
    assert away.json()["cache"].startswith("error")
