"""The agent queue: saved views and counts, filters, search, SLA order, keyset pages, HTMX partial, query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_htmx.middleware import HtmxMiddleware

from returns_portal.formatting import format_datetime, format_money
from rma.cases import selectors, services
from rma.cases.models import NO_SLA_DUE, ReturnCase, ReturnItem
from rma.logistics.models import Shipment
from rma.workspace import views as agent_views
from rma.workspace.views import _PageFormat
from tests.policies.factories import RegionCountryFactory, RegionFactory, ReturnPolicyFactory
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_case(
    *,
    due_in_hours=24,
    status="requested",
    language="en",
    country="IT",
    kind="return",
    price="20.00",
    reason="too_small",
    assignee=None,
    decided=False,
    refund_due_in_hours=None,
    order_number=None,
    policy=None,
):
    """A case written straight to the database (the queue reads; filing is tested elsewhere)."""
    now = timezone.now()
    line = OrderLineFactory(unit_price=Decimal(price), **({"order__number": order_number} if order_number else {}))
    case = ReturnCase.objects.create(
        customer=line.order.customer,
        status=status,
        kind=kind,
        language=language,
        country=country,
        currency=line.order.currency,
        assignee=assignee,
        decision_due_at=now + datetime.timedelta(hours=due_in_hours),
        decided_at=now if decided else None,
        refund_due_at=now + datetime.timedelta(hours=refund_due_in_hours) if refund_due_in_hours is not None else None,
        policy=policy,
    )
    ReturnItem.objects.create(case=case, order_line=line, quantity=1, reason=reason, eligible=True)
    return case


def numbers(response) -> list[str]:
    return re.findall(r'href="/agent/cases/(R[0-9A-Z]+)/"', response.content.decode())


def test_default_view_lists_open_cases_by_running_sla_clock(client, agent):
    late = make_case(due_in_hours=-2)
    soon = make_case(due_in_hours=3)
    later = make_case(due_in_hours=30)
    waiting_refund = make_case(due_in_hours=-100, decided=True, refund_due_in_hours=5, status="received")
    no_clock = make_case(due_in_hours=-200, decided=True, status="in_transit")
    closed = make_case(due_in_hours=-300, status="closed")
    client.force_login(agent)
    listed = numbers(client.get("/agent/"))
    assert listed == [n.rma_number for n in (late, soon, waiting_refund, later, no_clock)]
    assert closed.rma_number not in listed


def test_keyset_pages_cover_every_case_once_without_offset(client, agent, django_assert_num_queries):
    cases = [make_case(due_in_hours=h) for h in range(30)] + [
        make_case(due_in_hours=-500, decided=True, status="approved") for _ in range(3)
    ]
    client.force_login(agent)
    first = client.get("/agent/?per_page=25")
    page1 = numbers(first)
    next_url = re.search(r'href="(\?[^"]*after=[^"]+)"', first.content.decode()).group(1).replace("&amp;", "&")
    page2 = numbers(client.get("/agent/" + next_url))
    assert len(page1) == 25 and len(page2) == 8
    assert page1 + page2 == [c.rma_number for c in cases]
    assert 'rel="next"' not in client.get("/agent/" + next_url).content.decode()


def test_queries_per_page_do_not_grow_with_the_page_size(client, agent, django_assert_num_queries):
    for h in range(120):
        case = make_case(due_in_hours=h, assignee=agent if h % 3 else None)
        if h % 2:
            Shipment.objects.create(case=case, carrier="Demo", tracking_number=f"TRK{h:04d}")
    client.force_login(agent)
    client.get("/agent/")  # warm up: session, user, permissions, pickers and the shared counts in the cache
    # The page and the agent's own count (each query string below is new: nothing rendered for it yet).
    with django_assert_num_queries(2) as small:
        assert len(numbers(client.get("/agent/?per_page=25"))) == 25
    with django_assert_num_queries(2) as large:
        assert len(numbers(client.get("/agent/?per_page=100"))) == 100
    assert len(small.captured_queries) == len(large.captured_queries)
    # A filtered, later page costs the same.
    page2 = client.get("/agent/?per_page=25&view=open").content.decode()
    next_url = re.search(r'href="(\?[^"]*after=[^"]+)"', page2).group(1).replace("&amp;", "&")
    with django_assert_num_queries(2):
        assert len(numbers(client.get("/agent/" + next_url + "&kind=return&sla=ok&view=unassigned"))) == 25
    with django_assert_num_queries(2):
        assert len(numbers(client.get("/agent/" + next_url))) == 25
    # With nothing in the cache at all: the session, the user, the permissions (two), the pickers (two)
    # and the team's view counts on top.
    cache.clear()
    with django_assert_num_queries(9):
        assert len(numbers(client.get("/agent/?per_page=100"))) == 100


def test_a_page_seen_again_comes_from_the_cache_until_anything_in_it_changes(client, agent, supervisor):
    first = make_case(due_in_hours=1)
    client.force_login(agent)
    assert numbers(client.get("/agent/")) == [first.rma_number]
    with CaptureQueriesContext(connection) as seen_again:
        assert numbers(client.get("/agent/")) == [first.rma_number]
    assert len(seen_again.captured_queries) == 0  # no list, no counts (and the user from the cache)

    second = make_case(due_in_hours=2)  # filed in the portal: shown at once
    assert numbers(client.get("/agent/")) == [first.rma_number, second.rma_number]
    Shipment.objects.create(case=second, carrier="Demo", tracking_number="TRK-NEW")
    assert "TRK-NEW" in client.get("/agent/").content.decode()
    nobody = '<span class="muted">Nobody</span>'
    assert client.get("/agent/").content.decode().count(nobody) == 2
    supervisor.first_name = "Grace"  # an agent's name: in both assignee pickers
    supervisor.save()
    assert client.get("/agent/").content.decode().count("Grace") == 2
    services.case_assign(case=first, assignee=supervisor, actor=supervisor)  # an update(), no save signal
    page = client.get("/agent/").content.decode()
    assert page.count(nobody) == 1 and page.count("Grace") == 3  # and in the row
    # The HTMX table and the full page show the same rows.
    partial = client.get("/agent/", HTTP_HX_REQUEST="true").content.decode()
    assert re.findall(r'href="/agent/cases/(R[0-9A-Z]+)/"', partial) == numbers(client.get("/agent/"))


def test_cached_pages_are_per_language_and_mine_is_per_agent(client, agent, supervisor):
    make_case(assignee=agent)
    make_case(assignee=supervisor)
    client.force_login(agent)
    mine = numbers(client.get("/agent/?view=mine"))
    client.force_login(supervisor)
    assert numbers(client.get("/agent/?view=mine")) != mine and len(mine) == 1
    english = client.get("/agent/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = client.get("/agent/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "All open" in english and "Nobody" in english  # the saved views and the table, both cached
    assert "All open" not in german and "Nobody" not in german


def test_a_revoked_permission_holds_from_the_next_request(client, agent):
    make_case()
    client.force_login(agent)
    assert client.get("/agent/").status_code == 200  # the permission set is now in the cache
    agent.groups.clear()
    assert client.get("/agent/").status_code in (302, 403)
    agent.user_permissions.add(Permission.objects.get(codename="view_returncase", content_type__app_label="rma"))
    assert client.get("/agent/").status_code == 200


def test_default_page_size_is_25_and_rows_show_what_an_agent_needs(client, agent, supervisor):
    cases = [make_case(due_in_hours=h, assignee=supervisor, price="1234.50") for h in range(30)]
    Shipment.objects.create(case=cases[0], carrier="Demo", tracking_number="TRK-FIRST")
    supervisor.first_name, supervisor.last_name = "Ada", "Lovelace"
    supervisor.save()
    client.force_login(agent)
    body = client.get("/agent/").content.decode()
    assert numbers(client.get("/agent/")) == [c.rma_number for c in cases[:25]]
    first = cases[0]
    for shown in (
        first.rma_number, "TRK-FIRST", first.customer.name, first.customer.email, "IT", "English", "Return",
        "1 item", "€1,234.50", "Ada Lovelace", "Requested", f'aria-label="Select {first.rma_number}"',
    ):  # fmt: skip
        assert shown in body, shown


def test_saved_views_with_counts(client, agent, supervisor):
    mine = make_case(assignee=agent)
    theirs = make_case(assignee=supervisor, due_in_hours=100)
    breaching = make_case(due_in_hours=-1)
    escalated = make_case(status="escalated", due_in_hours=200)
    client.force_login(agent)
    page = client.get("/agent/")
    counts = dict(re.findall(r'view=(\w+)"[^>]*>[^<]*<span class="count">(\d+)</span>', page.content.decode()))
    assert counts == {"open": "4", "mine": "1", "unassigned": "2", "breaching_today": "1", "escalated": "1"}
    assert numbers(client.get("/agent/?view=mine")) == [mine.rma_number]
    assert numbers(client.get("/agent/?view=unassigned")) == [breaching.rma_number, escalated.rma_number]
    assert numbers(client.get("/agent/?view=breaching_today")) == [breaching.rma_number]
    assert numbers(client.get("/agent/?view=escalated")) == [escalated.rma_number]
    assert theirs.rma_number in numbers(client.get(f"/agent/?assignee={supervisor.pk}"))


def test_filters(client, agent):
    it = make_case(country="IT", language="it", price="120.00")
    cn = make_case(country="CN", language="zh-hans", kind="warranty", reason="defective", price="15.00")
    late = make_case(country="DE", due_in_hours=-3)
    needs_info = make_case(status="needs_info", country="FR", due_in_hours=60)
    client.force_login(agent)
    assert numbers(client.get("/agent/?country=cn")) == [cn.rma_number]
    assert numbers(client.get("/agent/?language=it")) == [it.rma_number]
    assert numbers(client.get("/agent/?kind=warranty")) == [cn.rma_number]
    assert numbers(client.get("/agent/?reason=defective")) == [cn.rma_number]
    assert numbers(client.get("/agent/?status=needs_info")) == [needs_info.rma_number]
    assert numbers(client.get("/agent/?sla=breached")) == [late.rma_number]
    assert late.rma_number not in numbers(client.get("/agent/?sla=ok"))
    assert numbers(client.get("/agent/?value_min=100")) == [it.rma_number]
    assert numbers(client.get("/agent/?value_max=16")) == [cn.rma_number]
    assert numbers(client.get("/agent/?assignee=none&country=FR")) == [needs_info.rma_number]
    # A value that is not valid is ignored rather than refused: the rest of the query still applies.
    assert numbers(client.get("/agent/?value_min=lots&country=IT")) == [it.rma_number]


def test_region_filter_follows_the_policy_and_otherwise_the_country(client, agent):
    eu = RegionFactory(code="EU", name="European Union")
    uk = RegionFactory(code="UK", name="United Kingdom")
    RegionCountryFactory(region=eu, country="IT")
    RegionCountryFactory(region=uk, country="GB")
    eu_policy, uk_policy = ReturnPolicyFactory(region=eu), ReturnPolicyFactory(region=uk)
    italian = make_case(country="IT", policy=eu_policy)
    british = make_case(country="GB", policy=uk_policy)
    # No region covers Switzerland: filed under the default region's (EU) policy, it is an EU case.
    swiss = make_case(country="CH", policy=eu_policy)
    unfiled_italian = make_case(country="IT")  # no policy recorded: its country decides
    client.force_login(agent)
    page = client.get("/agent/").content.decode()
    assert '<option value="EU">European Union</option>' in page and '<option value="UK">' in page
    expected = [italian.rma_number, swiss.rma_number, unfiled_italian.rma_number]
    assert numbers(client.get("/agent/?region=EU")) == expected
    assert numbers(client.get("/agent/?region=UK")) == [british.rma_number]
    assert numbers(client.get("/agent/?region=EU&country=CH")) == [swiss.rma_number]
    # An unknown region is ignored like any invalid filter value.
    assert len(numbers(client.get("/agent/?region=XX"))) == 4


def test_team_counts_are_shared_briefly_and_recounted_after_a_workspace_change(client, agent):
    make_case()
    client.force_login(agent)

    def counts():
        page = client.get("/agent/").content.decode()
        return dict(re.findall(r'view=(\w+)"[^>]*>[^<]*<span class="count">(\d+)</span>', page))

    assert counts()["open"] == "1"
    second = make_case()  # filed elsewhere (the portal): listed at once, the team's counts lag a few seconds
    assert counts() == {"open": "1", "mine": "0", "unassigned": "1", "breaching_today": "0", "escalated": "0"}
    assert second.rma_number in client.get("/agent/").content.decode()
    client.post(f"/agent/cases/{second.rma_number}/action/", {"action": "claim"})
    # The agent's own change drops the shared counts; the agent's own count is always read live.
    assert counts() == {"open": "2", "mine": "1", "unassigned": "1", "breaching_today": "0", "escalated": "0"}


@pytest.mark.parametrize("language", ["en", "it", "de", "fr", "ro", "es", "ja", "zh-hans", "ar"])
def test_page_formatting_matches_the_project_filters(language):
    moments = [timezone.now() + datetime.timedelta(hours=h, minutes=7 * h) for h in range(-30, 30, 7)]
    amounts = [Decimal("0.50"), Decimal("19.99"), Decimal("1234.50"), Decimal("1000000")]
    with translation.override(language):
        fmt = _PageFormat()
        for moment in moments:
            assert fmt.datetime(moment) == format_datetime(moment, "short")
        for amount in amounts:
            for currency in ("EUR", "JPY", "USD"):
                assert fmt.money(amount, currency) == format_money(amount, currency)


def test_search_by_rma_order_email_or_tracking_number_also_finds_closed_cases(client, agent):
    case = make_case(order_number="SHOP-7781")
    closed = make_case(status="closed")
    Shipment.objects.create(case=case, carrier="Demo", tracking_number="TRK123456")
    make_case()
    client.force_login(agent)
    for term in (case.rma_number.lower(), "shop-7781", case.customer.email.upper(), "trk123456"):
        assert numbers(client.get("/agent/", {"q": term})) == [case.rma_number], term
    assert numbers(client.get("/agent/", {"q": closed.rma_number})) == [closed.rma_number]
    assert numbers(client.get("/agent/", {"q": "nothing-like-this"})) == []


def test_htmx_request_gets_only_the_table_partial(client, agent):
    case = make_case()
    client.force_login(agent)
    response = client.get("/agent/?country=IT", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="queue-table">') and "<html" not in body
    assert case.rma_number in body
    full = client.get("/agent/?country=IT").content.decode()
    # Without JavaScript: a GET form with a real submit button, and pages as real links.
    assert 'method="get"' in full and 'type="submit"' in full and 'id="queue-table"' in full


def test_cursor_round_trip_and_a_broken_cursor_starts_from_the_top(client, agent):
    now = timezone.now()
    cursor = selectors.QueueCursor(now, 42)
    assert selectors.QueueCursor.decode(cursor.encode()) == cursor
    # Cases without a running clock sort last, as if due at the end of time.
    no_clock = selectors.QueueCursor(NO_SLA_DUE, 7)
    assert no_clock.encode() == "n.7" and selectors.QueueCursor.decode("n.7") == no_clock
    assert selectors.QueueCursor.decode("garbage") is None
    case = make_case()
    client.force_login(agent)
    assert numbers(client.get("/agent/?after=garbage")) == [case.rma_number]


def test_a_page_from_the_cache_carries_this_sessions_working_csrf_token(agent):
    make_case()
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]  # the same agent, in two browsers
    for browser in browsers:
        browser.force_login(agent)
    rendered = browsers[0].get("/agent/").content.decode()
    served = [browser.get("/agent/").content.decode() for browser in browsers]  # from the cache, both
    for page in served:
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert len(set(tokens)) == 1 and f'"X-CSRFToken": "{tokens[0]}"' in page and "\x1f" not in page
        assert tokens[0] not in rendered  # masked anew for this request
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', served[1]).group(1)
    # The second browser's token is its own: good there, refused in the first browser's session.
    assert browsers[0].post("/agent/logout/", {"csrfmiddlewaretoken": token}).status_code == 403
    assert browsers[1].post("/agent/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert browsers[1].get("/agent/").status_code == 302  # logged out there


def test_a_page_with_a_flash_message_is_rendered_afresh_and_not_kept(rf, agent):
    make_case()

    def get(message=None):
        request = rf.get("/agent/")
        request.user = agent
        SessionMiddleware(lambda r: None).process_request(request)
        request._messages = FallbackStorage(request)
        HtmxMiddleware(lambda r: None)(request)
        if message:
            messages.info(request, message)
        return agent_views.queue(request).content.decode()

    kept = get()  # now in the cache
    assert "Imported 3 orders" not in kept
    assert "Imported 3 orders" in get("Imported 3 orders")
    assert "Imported 3 orders" not in get()


def test_a_superuser_made_an_ordinary_user_loses_access_at_once(client, db):
    boss = UserFactory(username="boss", is_superuser=True)
    client.force_login(boss)
    assert client.get("/agent/").status_code == 200  # every permission, now cached
    boss.is_superuser = False
    boss.save()
    assert client.get("/agent/").status_code in (302, 403)


def test_a_change_commits_while_the_cache_server_is_away(eu_policy):
    away = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    line = OrderLineFactory()
    with override_settings(CACHES=away):
        case = services.case_open(customer=line.order.customer, items=[services.ItemRequest(line, 1, "too_small")],
                                  language="it")  # fmt: skip
        assert selectors.queue_generation()  # a fresh generation: nothing cached matches it
    assert ReturnCase.objects.filter(pk=case.pk).exists()
