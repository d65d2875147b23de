"""Audit (#17 item 8), team availability (#17 item 6) and the queue's search, order and pages (#17 item 9)."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from rma.cases import services
from rma.cases.models import AgentProfile, CaseEvent, ReturnCase
from tests.policies.factories import RegionFactory
from tests.rma.factories import CustomerFactory, OrderLineFactory, UserFactory
from tests.rma.workspace.test_agent_queue import make_case, numbers

pytestmark = pytest.mark.django_db


# -- the Django admin: read-only, or on the timeline -------------------------------------------------------


def form_fields(page: str) -> dict:
    """The values a browser would post back from an admin change form (inputs, selected options)."""
    data = {}
    for tag in re.findall(r"<input[^>]+>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_a_case_edited_in_the_admin_lands_on_its_timeline_and_the_rest_is_read_only(admin_client, admin_user):
    case = make_case(language="en")
    url = f"/admin/rma/returncase/{case.pk}/change/"
    page = admin_client.get(url).content.decode()
    for field in ("status", "decision_due_at", "refund_due_at", "assignee", "offer_amount", "items-0-status"):
        assert f'name="{field}"' not in page, field
    data = form_fields(page)
    data.update(language="it", status="closed", decision_due_at="2030-01-01 00:00:00")  # the last two are ignored
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.language == "it" and case.status == "requested"
    event = CaseEvent.objects.get(case=case, kind="admin_edit")
    assert event.actor == admin_user and event.data["changes"] == {"language": ["en", "it"]}
    assert "language: en → it" in event.headline
    # The team sees it on the case page; the customer's timeline does not show it.
    assert "Changed in the admin" in admin_client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    from rma.cases import selectors

    assert not selectors.case_get_for_customer(customer_id=case.customer_id, rma_number=case.rma_number).events.filter(
        kind="admin_edit"
    )


# -- the audit trail as CSV --------------------------------------------------------------------------------


def test_supervisors_export_the_audit_trail_by_date_range_streamed_localized(client, agent, supervisor):
    euro = make_case()
    yen = make_case()
    ReturnCase.objects.filter(pk=yen.pk).update(currency="JPY")
    old = make_case()
    CaseEvent.objects.create(
        case=euro,
        kind="refund",
        actor=agent,
        actor_role="agent",
        data={"amount": "12.5", "currency": "EUR", "reference": "r", "refund_kind": "refund"},
    )
    CaseEvent.objects.create(
        case=yen,
        kind="refund",
        actor=agent,
        actor_role="agent",
        data={"amount": "1650.00", "currency": "JPY", "reference": "r", "refund_kind": "refund"},
    )
    CaseEvent.objects.create(case=euro, kind="transition", actor=agent, actor_role="agent", from_status="requested",
                             to_status="approved")  # fmt: skip
    earlier = CaseEvent.objects.create(case=old, kind="transition", actor_role="system", to_status="approved")
    CaseEvent.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(agent)
    assert client.get("/agent/supervisor/audit/").status_code == 403
    client.force_login(supervisor)
    page = client.get("/agent/supervisor/audit/")
    assert page.status_code == 200 and 'type="date"' in page.content.decode()
    today = timezone.localdate()
    response = client.get("/agent/supervisor/audit/", {"start": today - datetime.timedelta(days=7), "end": today},
                          headers={"accept-language": "de"})  # fmt: skip
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], rows[1:]
    assert header[1] and header[8]  # RMA number ... Amount: in the request's language
    amounts = {row[1]: (row[8], row[9]) for row in body if row[8]}
    assert amounts == {euro.rma_number: ("12.50", "EUR"), yen.rma_number: ("1650", "JPY")}
    assert old.rma_number not in {row[1] for row in body}
    transition = next(row for row in body if row[1] == euro.rma_number and row[7])
    assert transition[4] == (agent.get_full_name() or agent.username) and transition[6] and transition[7]
    bad = client.get("/agent/supervisor/audit/", {"start": today, "end": today - datetime.timedelta(days=1)})
    assert bad.status_code == 400


# -- team availability ---------------------------------------------------------------------------------------


def test_supervisors_set_availability_languages_and_regions_and_give_out_waiting_cases(client, agent, supervisor):
    RegionFactory(code="EU", name="European Union")
    RegionFactory(code="US", name="United States")
    waiting = make_case(language="fr")
    client.force_login(agent)
    assert client.get("/agent/supervisor/team/").status_code == 403
    client.force_login(supervisor)
    page = client.get("/agent/supervisor/team/").content.decode()
    assert f'id="agent-{agent.pk}"' in page and "1 open case waits for an agent." in page
    prefix = f"agent-{agent.pk}"
    response = client.post("/agent/supervisor/team/", {
        f"{prefix}-agent": agent.pk, f"{prefix}-available": "on", f"{prefix}-languages": ["fr", "en"],
        f"{prefix}-regions": ["EU"], f"{prefix}-max_open_cases": "12", "action": "save",
    })  # fmt: skip
    assert response.status_code == 302
    profile = AgentProfile.objects.get(user=agent)
    assert profile.available and profile.languages == ["en", "fr"] and profile.regions == ["EU"]
    assert profile.max_open_cases == 12
    bad = client.post("/agent/supervisor/team/", {f"{prefix}-agent": agent.pk, f"{prefix}-max_open_cases": "0"})
    assert bad.status_code == 400 and AgentProfile.objects.get(user=agent).max_open_cases == 12
    client.post("/agent/supervisor/team/", {"action": "assign_waiting"})
    assert ReturnCase.objects.get(pk=waiting.pk).assignee == agent
    assert CaseEvent.objects.get(case=waiting, kind="assignment").data["how"] == "auto"


def test_automatic_assignment_follows_the_agents_regions(agent, supervisor):
    RegionFactory(code="US", name="United States")
    AgentProfile.objects.create(user=agent, languages=["en"], regions=["US"])
    AgentProfile.objects.create(user=supervisor, languages=["en"], regions=[])
    assert services.agent_pick(language="en", region="EU") == supervisor
    assert services.agent_pick(language="en", region="US") in {agent, supervisor}
    AgentProfile.objects.filter(user=supervisor).update(available=False)
    assert services.agent_pick(language="en", region="EU") is None
    assert services.agent_pick(language="en", region="US") == agent


# -- the queue: search, order, pages ---------------------------------------------------------------------------


def test_search_by_part_of_a_name_email_rma_or_order_number(client, agent):
    customer = CustomerFactory(name="Giovanna Bianchi", email="g.bianchi@example.org")
    line = OrderLineFactory(order__customer=customer, order__number="SHOP-55120")
    case = ReturnCase.objects.create(customer=customer, language="it", country="IT", currency="EUR")
    case.items.create(order_line=line, quantity=1, reason="too_small", eligible=True)
    other = make_case()
    client.force_login(agent)
    for term in ("bianchi", "GIOVANNA", "bianchi@example", "55120", case.rma_number[2:9].lower()):
        assert numbers(client.get("/agent/", {"q": term})) == [case.rma_number], term
    assert numbers(client.get("/agent/", {"q": "zz"})) == []  # two characters: whole numbers only
    assert other.rma_number in numbers(client.get("/agent/", {"q": other.rma_number}))


def test_a_choice_of_order(client, agent):
    now = timezone.now()
    cases = []
    for hours in range(7):
        case = make_case(due_in_hours=7 - hours)
        ReturnCase.objects.filter(pk=case.pk).update(created_at=now - datetime.timedelta(hours=hours))
        cases.append(case.rma_number)  # filed newest first, due latest first
    client.force_login(agent)
    assert numbers(client.get("/agent/", {"sort": "newest"})) == cases
    assert numbers(client.get("/agent/", {"sort": "oldest"})) == cases[::-1]
    assert numbers(client.get("/agent/")) == cases[::-1]  # by deadline, soonest first
    assert 'value="newest" selected' in client.get("/agent/", {"sort": "newest"}).content.decode()


def get(client, url):
    return client.get(url).content.decode()


def numbers_of(page: str) -> list[str]:
    return re.findall(r'href="/agent/cases/(R[0-9A-Z]+)/"', page)


def link(page: str, rel: str) -> str:
    found = re.search(rf'href="(\?[^"]*)"[^>]*rel="{rel}"', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def test_previous_page_walks_back_in_every_order(client, agent):
    from rma.cases import selectors

    now = timezone.now()
    for hours in range(60):
        case = make_case(due_in_hours=hours % 7, price=str(Decimal(10 + hours)))
        ReturnCase.objects.filter(pk=case.pk).update(created_at=now - datetime.timedelta(minutes=hours * 7 % 60))
    client.force_login(agent)
    for sort in ("sla", "newest", "oldest"):
        url = f"/agent/?sort={sort}&per_page=25"
        forward = []
        while url:
            page = get(client, url)
            forward.append(numbers_of(page))
            following = link(page, "next")
            url = "/agent/" + following if following else ""
        assert [len(p) for p in forward] == [25, 25, 10], sort
        assert len(set(sum(forward, []))) == 60, sort
        backward = [numbers_of(page)]
        while True:
            previous = link(page, "prev")
            if not previous:
                break
            page = get(client, "/agent/" + previous)
            backward.append(numbers_of(page))
        assert backward[::-1] == forward, sort
    assert selectors.QUEUE_SORTS.keys() == {"sla", "newest", "oldest"}


def test_every_staff_user_may_be_given_the_address_permission():
    user = UserFactory(role="Supervisors")
    assert user.has_perm("rma.correct_address")
