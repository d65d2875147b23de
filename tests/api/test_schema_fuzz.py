"""schemathesis against the live OpenAPI schema: no answer is a 5xx, and every answer conforms to the schema
(status code documented, body and content type as declared)."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from rma.api.tokens import token_create
from tests.rma.factories import UserFactory


@pytest.fixture
def api_schema(db, eu_policy):
    return schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def all_scopes_token(db):
    from rma.access import roles

    user = UserFactory(username="fuzz", role=roles.SUPERVISOR)
    return token_create(name="fuzz", user=user, scopes=["cases:read", "cases:write", "orders:write", "webhooks"])[1]


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, all_scopes_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {all_scopes_token}"})
