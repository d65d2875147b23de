"""Every page (portal, workspace, admin, errors) carries the CSP, Referrer-Policy, Permissions-Policy and COOP,
and no page has a script the CSP would refuse: an inline script without the nonce or an event handler."""

import re

import pytest

from rma.cases import services
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_secure(response, path):
    csp = directives(response["Content-Security-Policy"])
    scripts = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
    assert "'self'" in scripts and "*" not in scripts, path
    assert response["Referrer-Policy"] == "same-origin", path
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
    assert "camera=()" in response["Permissions-Policy"], path
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        nonce = next((v.removeprefix("'nonce-").rstrip("'") for v in scripts if v.startswith("'nonce-")), None)
        for attributes in SCRIPT.findall(html):
            assert "src=" in attributes or (nonce and f'nonce="{nonce}"' in attributes), (path, attributes)
        assert not INLINE_HANDLER.search(html), (path, INLINE_HANDLER.search(html).group(0))
        assert "hx-on" not in html, path


@pytest.fixture
def case(eu_policy):
    line = OrderLineFactory(unit_price="30.00")
    return services.case_open(
        customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")], language="en"
    )


def test_portal_pages_carry_the_security_headers(client, case, eu_policy):
    for path in ["/en/", "/en/withdraw/", f"/en/policies/{eu_policy.region.code}/faq/", "/en/no-such-page/"]:
        assert_secure(client.get(path), path)


def test_workspace_pages_carry_the_security_headers(client, agent, case):
    assert_secure(client.get("/agent/login/"), "/agent/login/")
    client.force_login(agent)
    for path in ["/agent/", f"/agent/cases/{case.rma_number}/", "/agent/?view=all"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_secure(response, path)
    response = client.get("/agent/", headers={"HX-Request": "true"})
    assert_secure(response, "/agent/ (htmx)")


def test_admin_pages_carry_the_security_headers(client, case):
    assert_secure(client.get("/admin/login/"), "/admin/login/")
    client.force_login(UserFactory(is_superuser=True))
    paths = [
        "/admin/",
        "/admin/rma/returncase/",
        f"/admin/rma/returncase/{case.pk}/change/",
        "/admin/auth/user/add/",
        "/admin/rma/notification/preview/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_secure(response, path)


def test_only_the_message_preview_allows_style_attributes(client):
    client.force_login(UserFactory(is_superuser=True))
    assert "'unsafe-inline'" not in directives(client.get("/admin/")["Content-Security-Policy"])["style-src"]
    preview = directives(client.get("/admin/rma/notification/preview/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in preview["style-src"] and "'unsafe-inline'" not in preview["script-src"]
