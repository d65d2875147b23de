"""schemathesis against the live OpenAPI schema: for every operation, generated requests (valid and invalid) never
get a 5xx, and every answer conforms to the schema (status code documented, body and content type as declared)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rma.access import roles
from rma.api.tokens import token_create
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db
# Every check but "schema-valid data is accepted": a valid-looking claim on an order that does not exist is
# rightly refused with 422, which that heuristic counts as a failure.
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
    response_headers_conformance, negative_data_rejection,
]  # fmt: skip


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes database connections at the end of each request; Django's test client turns that
    off, and so must a client that calls the handler directly, or the test's transaction is lost."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(eu_policy):
    OrderLineFactory(order__number="1001", order__customer__email="anna@example.com")
    user = UserFactory(username="fuzz", role=roles.SUPERVISOR)
    return token_create(name="fuzz", user=user, scopes=["cases:read", "cases:write", "orders:write", "webhooks"])[1]


def test_every_operation_conforms_to_the_schema(token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    seen = set()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8, deadline=None, suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate], database=None,
        )  # fmt: skip
        def check(case):
            response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
            seen.add((case.operation.label, response.status_code // 100))

        check()
    # Each operation was really called, and the generated requests reached both success and refusal answers.
    assert {label for label, _status in seen} == {operation.label for operation in operations}
    assert {status for _label, status in seen} >= {2, 4}
