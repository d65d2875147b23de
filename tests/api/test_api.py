"""The REST API through HTTP: tokens and scopes, problem details, idempotency, paging, orders, cases, decisions."""

import datetime

import pytest
from django.test import override_settings

from rma.api.models import ApiToken
from rma.api.tokens import token_revoke
from rma.cases.models import ReturnCase
from rma.orders.models import Order

pytestmark = pytest.mark.django_db

ORDER = {
    "order_number": "A-1", "email": "Zoe@Example.com", "customer_name": "Zoë Müller", "country": "DE",
    "language": "de", "currency": "EUR", "ordered_on": "2026-11-20", "delivered_on": "2026-11-24",
    "ship_street": "Hauptstraße 1", "ship_postcode": "10115", "ship_city": "Berlin",
    "lines": [{"sku": "TEE-M", "product_name": "T-Shirt, blau", "category": "apparel", "quantity": 2,
               "unit_price": "19.90"}],
}  # fmt: skip


def test_no_token_or_a_bad_one_gets_401_problem(call):
    for token in (None, "rp_nope_nope", "garbage"):
        response = call("get", "/cases", token)
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["status"] == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_tokens_are_stored_hashed_and_revocable(call, make_token):
    raw = make_token("cases:read")
    row = ApiToken.objects.get()
    assert raw not in (row.key_hash, row.prefix) and raw.startswith(f"rp_{row.prefix}_")
    assert call("get", "/cases", raw).status_code == 200
    token_revoke(token=row)
    assert call("get", "/cases", raw).status_code == 401


def test_a_missing_scope_is_403_with_the_scope_named(call, make_token):
    response = call("post", "/orders/bulk", make_token("cases:read"), json={"orders": [ORDER]})
    assert response.status_code == 403
    assert "orders:write" in response.json()["detail"]


def test_orders_bulk_upserts_and_invalid_input_names_the_field(call, make_token):
    token = make_token("orders:write")
    response = call("post", "/orders/bulk", token, json={"orders": [ORDER]})
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 1, "updated": 0}
    assert Order.objects.get(number="A-1").customer.email == "zoe@example.com"
    again = call("post", "/orders/bulk", token, json={"orders": [{**ORDER, "ship_city": "Potsdam"}]})
    assert again.json() == {"created": 0, "updated": 1}
    bad = {**ORDER, "currency": "euro", "lines": [{**ORDER["lines"][0], "category": "spaceships"}]}
    response = call("post", "/orders/bulk", token, json={"orders": [ORDER, bad]})
    assert response.status_code == 422
    problem = response.json()
    paths = {e["path"] for e in problem["errors"]}
    assert "body.body.orders.1.currency" in paths or "body.orders.1.currency" in {
        p.replace("body.body", "body") for p in paths
    }
    assert any("category" in p for p in paths)
    assert Order.objects.get(number="A-1").ship_city == "Potsdam"  # nothing of the bad request was written


def test_order_get_shows_returnable_quantities(call, make_token, order_line):
    response = call("get", "/orders/1001", make_token("cases:read"))
    assert response.status_code == 200
    assert response.json()["lines"] == [
        {"id": order_line.pk, "sku": order_line.sku, "name": order_line.name, "category": "apparel", "quantity": 2,
         "unit_price": "49.90", "returnable_quantity": 2}
    ]  # fmt: skip
    assert call("get", "/orders/nope", make_token("cases:read")).status_code == 404


def _file(call, token, line, **extra):
    body = {"order_number": "1001", "email": "anna@example.com",
            "items": [{"line_id": line.pk, "quantity": 1, "reason": "change_of_mind"}], **extra}  # fmt: skip
    return call("post", "/cases", token, json=body, HTTP_IDEMPOTENCY_KEY=extra.pop("key", "k-1"))


def test_filing_on_behalf_of_a_customer_is_idempotent(call, make_token, order_line):
    token = make_token("cases:write", "cases:read")
    first = _file(call, token, order_line)
    assert first.status_code == 201, first.content
    case = first.json()
    assert case["status"] in ("approved", "requested", "label_issued") and case["items"][0]["sku"] == order_line.sku
    replay = _file(call, token, order_line)
    assert replay.status_code == 201 and replay.json()["id"] == case["id"]
    assert replay["Idempotent-Replayed"] == "true"
    assert ReturnCase.objects.count() == 1
    other_body = call(
        "post",
        "/cases",
        token,
        json={
            "order_number": "1001",
            "email": "anna@example.com",
            "items": [{"line_id": order_line.pk, "quantity": 2, "reason": "change_of_mind"}],
        },
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other_body.status_code == 422 and other_body.json()["type"].endswith("idempotency-key-reused")


def test_filing_errors_are_problems_at_the_item(call, make_token, order_line):
    token = make_token("cases:write")
    item = {"line_id": 999999, "quantity": 1, "reason": "change_of_mind"}
    response = call(
        "post", "/cases", token, json={"order_number": "1001", "email": "anna@example.com", "items": [item]}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"path": "body.items.0.line_id", "message": "not a line of this order"}]
    item = {"line_id": order_line.pk, "quantity": 1, "reason": "change_of_mind"}
    wrong_email = call(
        "post", "/cases", token, json={"order_number": "1001", "email": "eve@example.com", "items": [item]}
    )
    assert wrong_email.status_code == 422
    assert ReturnCase.objects.count() == 0


def test_workflow_actions_follow_the_users_permissions(call, make_token, order_line, api_user):
    token = make_token("cases:write", "cases:read")
    case_id = _file(call, token, order_line).json()["id"]
    case = ReturnCase.objects.get(rma_number=case_id)
    if case.status == "requested":
        assert call("post", f"/cases/{case_id}/approve", token).json()["status"] == "approved"
    response = call("post", f"/cases/{case_id}/reject", token, json={"reason": "no"})
    assert response.status_code == 409  # not offered in this state
    assert call("post", f"/cases/{case_id}/cancel", token).json()["status"] == "cancelled"
    assert call("post", "/cases/NOPE/cancel", token).status_code == 404
    read_only = make_token("cases:read")
    assert call("post", f"/cases/{case_id}/close", read_only).status_code == 403


def test_case_list_pages_with_a_cursor_and_filters(call, make_token, order_line):
    writer = make_token("cases:write", "cases:read")
    for key in ("a", "b", "c"):
        line = order_line.__class__.objects.create(
            order=order_line.order, sku=f"S-{key}", name=key, category="apparel", quantity=1, unit_price="10.00"
        )
        _file(call, writer, line, key=key)
    seen, cursor = [], None
    while True:
        response = call("get", f"/cases?limit=2{'&cursor=' + cursor if cursor else ''}", writer)
        assert response.status_code == 200
        seen += [c["id"] for c in response.json()["items"]]
        cursor = response.json()["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 3
    assert call("get", "/cases?email=ANNA@example.com", writer).json()["items"]
    assert call("get", "/cases?email=bob@example.com", writer).json()["items"] == []
    assert call("get", "/cases?cursor=%%%", writer).status_code == 422


@override_settings(PORTAL_THROTTLES={"api": {"token": [3, 60]}})
def test_over_the_budget_is_429_with_retry_after(call, make_token):
    token = make_token("cases:read")
    codes = [call("get", "/cases", token).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = call("get", "/cases", token)
    assert int(response["Retry-After"]) > 0 and response.json()["status"] == 429


def test_policy_decision_and_impossible_dates(call, make_token, eu_policy):
    token = make_token("cases:read")
    today = datetime.date(2026, 12, 1)
    claim = {
        "country": "IT", "category": "apparel", "reason": "change_of_mind", "language": "it", "claimed_on": str(today),
        "ordered_on": str(today - datetime.timedelta(days=5)), "delivered_on": str(today - datetime.timedelta(days=3)),
    }  # fmt: skip
    response = call("post", "/decisions", token, json=claim)
    assert response.status_code == 200, response.content
    assert response.json()["eligible"] is True and response.json()["explanation"]
    response = call("post", "/decisions", token, json={**claim, "claimed_on": "2026-01-01"})
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "body.claimed_on"


def test_schema_is_openapi_3_1_with_problem_answers(client):
    schema = client.get("/api/v1/schema").json()
    assert schema["openapi"].startswith("3.1")
    responses = schema["paths"]["/api/v1/cases"]["post"]["responses"]
    assert "application/problem+json" in responses["422"]["content"]
    assert client.get("/api/v1/docs").status_code == 200
