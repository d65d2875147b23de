import http.server
import threading

import pytest

from rma.access import roles
from rma.api.tokens import token_create
from tests.rma.factories import OrderLineFactory, UserFactory


@pytest.fixture
def api_user(db):
    return UserFactory(username="erp", role=roles.AGENT)


@pytest.fixture
def make_token(api_user):
    def make(*scopes, user=None):
        return token_create(name="ERP", user=user or api_user, scopes=list(scopes or ["cases:read"]))[1]

    return make


@pytest.fixture
def call(client):
    """``call(method, path, token, json=None, **headers)`` against /api/v1/."""

    def _call(method, path, token=None, json=None, **headers):
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        kwargs = {"content_type": "application/json", "data": json} if json is not None else {}
        return getattr(client, method)(f"/api/v1{path}", **kwargs, **headers)

    return _call


@pytest.fixture
def order_line(eu_policy):
    return OrderLineFactory(order__number="1001", order__customer__email="anna@example.com", quantity=2)


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it receives and answers with ``status`` (a list
    consumed per request, the last value repeating)."""

    def __init__(self):
        self.requests = []
        self.statuses = [204]
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
