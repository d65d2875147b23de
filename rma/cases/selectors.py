"""Reads for the portal and the agent workspace."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from policies.models import Region, RegionCountry, ReturnPolicy
from returns_portal import caching
from rma.cases.models import (
    NO_SLA_DUE,
    OPEN_STATUSES,
    QUEUE_SORT,
    SLA_DUE,
    AgentProfile,
    ApprovalRequest,
    CaseEvent,
    CaseStatus,
    PendingPhoto,
    ReturnCase,
    ReturnItem,
    WithdrawalStatement,
    refund_unpaid_annotation,
)
from rma.orders.models import Customer, Order
from rma.orders.numbers import order_number_q


def order_find_for_lookup(*, number: str, email: str) -> Order | None:
    """The order if the number and the email match; None otherwise (never says which was wrong)."""
    return (
        Order.objects.select_related("customer")
        .filter(order_number_q(number), customer__email__iexact=email.strip())
        .first()
    )


def withdrawal_statement_get(*, statement_id: int) -> WithdrawalStatement | None:
    return WithdrawalStatement.objects.select_related("order__customer", "case").filter(pk=statement_id).first()


def customer_get(*, customer_id: int) -> Customer | None:
    return Customer.objects.filter(pk=customer_id).first()


def order_get(*, order_id: int) -> Order | None:
    """An order by its id, for a page already entitled to it (a checked gift code)."""
    return Order.objects.select_related("customer").prefetch_related("lines").filter(pk=order_id).first()


def order_get_for_customer(*, customer_id: int, number: str) -> Order | None:
    return (
        Order.objects.select_related("customer")
        .prefetch_related("lines")
        .filter(customer_id=customer_id, number=number)
        .first()
    )


def pending_photos_for(*, customer_id: int, holder: str) -> dict[int, list]:
    """The photos a session sent with a request not filed yet, per order line id."""
    found: dict[int, list] = {}
    for photo in PendingPhoto.objects.filter(customer_id=customer_id, holder=holder):
        found.setdefault(photo.order_line_id, []).append(photo)
    return found


def orders_for_customer_with_lines(*, customer_id: int):
    """Every order of a customer with its lines, newest first (the return form across orders)."""
    return (
        Order.objects.select_related("customer")
        .prefetch_related("lines")
        .filter(customer_id=customer_id)
        .order_by("-ordered_on", "-pk")
    )


def case_get_for_customer(*, customer_id: int, rma_number: str) -> ReturnCase | None:
    """A case only if it belongs to this customer: the portal never shows anyone else's."""
    return _case_detail_qs(for_customer=True).filter(customer_id=customer_id, rma_number=rma_number).first()


def case_get_for_agent(*, rma_number: str) -> ReturnCase | None:
    return _case_detail_qs().select_related("assignee", "shipment").filter(rma_number=rma_number).first()


# Timeline entries about the team's own work (who has the case, notes, the thread): never in the customer's timeline.
# Stuck work is the team's to solve: the customer keeps seeing "refund on its way" meanwhile.
STAFF_EVENT_KINDS = (
    CaseEvent.Kind.ASSIGNMENT,
    CaseEvent.Kind.MESSAGE,
    CaseEvent.Kind.NOTE,
    CaseEvent.Kind.STUCK,
)


# Rows for the team's timeline only: edits made in the admin.
INTERNAL_EVENT_KINDS = (CaseEvent.Kind.ADMIN_EDIT,)


def _case_detail_qs(*, for_customer: bool = False):
    events = CaseEvent.objects.select_related("actor")
    if for_customer:
        events = events.exclude(kind__in=STAFF_EVENT_KINDS + INTERNAL_EVENT_KINDS)
    return ReturnCase.objects.select_related("customer", "policy__region").prefetch_related(
        Prefetch(
            "items",
            queryset=ReturnItem.objects.select_related(
                "order_line__order", "inspection__inspected_by", "exchange_variant__product", "reservation"
            ).prefetch_related("deductions", "inspection__photos", "photos"),
        ),
        Prefetch("events", queryset=events),
        "refunds",
    )


def order_list_for_customer(*, customer: int):
    """The signed-in customer's orders, newest first, with how many items each holds."""
    return (
        Order.objects.filter(customer_id=customer)
        .annotate(item_count=Sum("lines__quantity"))
        .order_by("-ordered_on", "-pk")
    )


def case_list_for_customer(*, customer: Customer):
    return (
        ReturnCase.objects.filter(customer=customer)
        .annotate(item_count=Count("items"), refund_unpaid=refund_unpaid_annotation())
        .order_by("-created_at")
    )


QUEUE_VIEWS = ("open", "mine", "unassigned", "breaching_today", "escalated")
SLA_STATES = ("breached", "due_today", "ok")
QUEUE_PAGE_SIZES = (25, 50, 100)
QUEUE_DEFAULT_PAGE_SIZE = 25
# How long the shared view counts may lag behind (the list itself is always read fresh); the
# workspace forgets them at once after its own changes (queue_view_counts_forget).
QUEUE_COUNTS_TTL = 10
_QUEUE_COUNTS_KEY = "rma:queue-view-counts"
# The queue's rendered pages and fragments (rma.workspace.views) are kept this long at most, under the queue's
# generation number: any change to what the queue shows starts a new generation (queue_changed), so a
# page is only reused while nothing it shows has changed. The time limit covers the deadline labels
# ("due today" turns "missed" with the clock) and any write that bypasses the ORM.
QUEUE_FRAGMENT_TTL = 5  # a page kept 5 s may hold a fragment kept 5 s: 10 s in all
_QUEUE_GENERATION_KEY = "rma:queue:generation"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# What a queue row shows, read straight into dicts: no model instances, no columns the row does not need.
_QUEUE_FIELDS = ("id", "rma_number", "status", "kind", "language", "country", "assignee_id")
_QUEUE_RELATED = {
    "assignee_username": F("assignee__username"),
    "assignee_first_name": F("assignee__first_name"),
    "assignee_last_name": F("assignee__last_name"),
    "customer_name": F("customer__name"),
    "customer_email": F("customer__email"),
    "tracking_number": F("shipment__tracking_number"),
}


@dataclass(frozen=True)
class QueueFilters:
    """What the agent asked the queue for; empty values mean "any"."""

    view: str = "open"
    status: str = ""
    kind: str = ""
    region: str = ""  # a region code: the cases whose return policy is that region's
    country: str = ""
    language: str = ""
    reason: str = ""
    sla: str = ""
    assignee: int | str | None = None  # a user id, "none" for unassigned, None for anyone
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    q: str = ""
    sort: str = "sla"  # a key of QUEUE_SORTS


@dataclass(frozen=True)
class QueueCursor:
    """Where a page ends, in the queue's sort order (SLA due time, then id): the next page starts after it."""

    due: datetime.datetime
    id: int

    def encode(self) -> str:
        due = "n" if self.due == NO_SLA_DUE else str((self.due - _EPOCH) // datetime.timedelta(microseconds=1))
        return f"{due}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> "QueueCursor | None":
        """The cursor in ``value``, or None when it is not one (a hand-edited URL starts from the top)."""
        due, _sep, pk = (value or "").partition(".")
        try:
            return cls(NO_SLA_DUE if due == "n" else _EPOCH + datetime.timedelta(microseconds=int(due)), int(pk))
        except (ValueError, OverflowError):
            return None


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue. ``cases`` are dicts: the columns in ``_QUEUE_FIELDS`` and ``_QUEUE_RELATED``,
    ``queue_sort``, ``sla_due`` (None while no clock runs), ``sla_state``, ``value``, ``currency``, ``item_count``.
    ``previous_cursor`` is where the page before this one ends (read it with ``before=``)."""

    cases: list
    next_cursor: QueueCursor | None
    previous_cursor: QueueCursor | None = None


# The queue's orders: (the sort key, descending). Each is a keyset order with the id as tie-breaker; the
# deadline order runs on the queue index, the filing-date orders on the index of ``created_at``.
QUEUE_SORTS = {
    "sla": (QUEUE_SORT, False),
    "newest": (F("created_at"), True),
    "oldest": (F("created_at"), False),
}


def _end_of_today(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)


SEARCH_PARTIAL_MIN = 3  # shorter terms match whole numbers and addresses only: "R1" would match everything


def _search(term: str):
    """Ids of the cases a term points to: a whole RMA, order or tracking number or email (exact matches on
    unique indexes, fast at any size), or, from three characters, part of an RMA or order number, of the
    customer's name or email (a scan of those columns: a search someone typed, not the queue's every page).
    """
    term = term.strip()
    variants = sorted({term, term.upper(), term.lower()})
    branches = [
        ReturnCase.objects.filter(customer__email__in=variants).values("id"),
        ReturnItem.objects.filter(order_line__order__number__in=variants).values("case_id"),
        # The parcel's tracking number, through the case (rma.logistics owns the shipment).
        ReturnCase.objects.filter(shipment__tracking_number__in=variants).values("id"),
    ]
    if len(term) >= SEARCH_PARTIAL_MIN:
        branches += [
            ReturnCase.objects.filter(rma_number__icontains=term).values("id"),
            ReturnCase.objects.filter(Q(customer__name__icontains=term) | Q(customer__email__icontains=term)).values(
                "id"
            ),
            ReturnItem.objects.filter(order_line__order__number__icontains=term).values("case_id"),
        ]
    return ReturnCase.objects.filter(rma_number__in=variants).values("id").union(*branches)


def _value_subquery():
    items = ReturnItem.objects.filter(case=OuterRef("pk")).order_by().values("case")
    return Subquery(
        items.annotate(total=Sum(F("quantity") * F("order_line__unit_price"))).values("total")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def _region_filter(code: str) -> Q:
    """Cases whose return policy is the region's (frozen at filing); without a policy, by the case's country."""
    policies = ReturnPolicy.objects.filter(region__code=code).values("id")
    countries = RegionCountry.objects.filter(region__code=code).values("country")
    return Q(policy__in=policies) | Q(policy__isnull=True, country__in=countries)


# The queue's pickers (regions, agents) are drawn on every page: they come from the cache, stale as soon
# as a region, a user or anyone's permissions change (rma.apps), and kept ``PICKERS_TTL`` seconds at most.
PICKERS_TTL = 300
_PICKERS_GENERATION_KEY = "rma:pickers:generation"


def pickers_forget(**kwargs) -> None:
    """A signal receiver: a region, a user or a permission changed. The cached picker lists are stale;
    the queue's rows show agents' names, so its pages and fragments are too."""
    caching.generation_new(_PICKERS_GENERATION_KEY)
    queue_changed()


def queue_regions() -> list[tuple[str, str]]:
    """The regions an agent may filter the queue by, as (code, name)."""
    return caching.cached(
        _PICKERS_GENERATION_KEY,
        "rma:pickers:regions",
        lambda: list(Region.objects.order_by("code").values_list("code", "name")),
        PICKERS_TTL,
    )


def agent_users_for_pickers() -> list:
    """``agent_users()`` with their names only (id, username, first and last name), for the pickers."""
    return caching.cached(
        _PICKERS_GENERATION_KEY,
        "rma:pickers:agents",
        lambda: list(agent_users().only("id", "username", "first_name", "last_name")),
        PICKERS_TTL,
    )


def _keyset(cursor: QueueCursor, *, forward: bool) -> Q:
    """The rows after the cursor (``forward``) or before it, in the order's direction: one range condition on
    the sort key with the id as tie-breaker, so the index answers it."""
    if forward:
        return Q(Q(queue_sort__gt=cursor.due) | Q(id__gt=cursor.id), queue_sort__gte=cursor.due)
    return Q(Q(queue_sort__lt=cursor.due) | Q(id__lt=cursor.id), queue_sort__lte=cursor.due)


def case_list_for_queue(
    *, filters: QueueFilters, user, after: QueueCursor | None = None, before: QueueCursor | None = None,
    limit: int = QUEUE_DEFAULT_PAGE_SIZE, now=None,
) -> QueuePage:  # fmt: skip
    """One page of the agent queue in the order asked for (``filters.sort``): by default SLA order (the
    running clock first, cases without one last), or by filing date, newest or oldest first.

    Keyset pagination: the page starts after ``after`` (or ends before ``before``, for the previous page) with
    one range condition on the queue index (``case_queue_open_due``), never with an OFFSET, so page 1,000
    costs what page 1 costs. The saved views and the common filters are columns of that index, checked
    without reading the table. One query whatever ``limit`` is.
    """
    now = now or timezone.now()
    end_of_today = _end_of_today(now)
    sort_key, descending = QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["sla"])
    qs = ReturnCase.objects.annotate(queue_sort=sort_key, sla_sort=QUEUE_SORT)
    if filters.status:
        qs = qs.filter(status=filters.status)
    elif not filters.q:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if filters.q:
        qs = qs.filter(pk__in=_search(filters.q))

    if filters.view == "mine":
        qs = qs.filter(assignee=user)
    elif filters.view == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif filters.view == "breaching_today":
        qs = qs.filter(sla_sort__lt=end_of_today)
    elif filters.view == "escalated":
        qs = qs.filter(status=CaseStatus.ESCALATED)

    for field in ("kind", "country", "language"):
        if getattr(filters, field):
            qs = qs.filter(**{field: getattr(filters, field)})
    if filters.region:
        qs = qs.filter(_region_filter(filters.region))
    if filters.reason:
        qs = qs.filter(Exists(ReturnItem.objects.filter(case=OuterRef("pk"), reason=filters.reason)))
    # SLA states as ranges of the SLA sort key (no clock sorts as the far future: always on time).
    if filters.sla == "breached":
        qs = qs.filter(sla_sort__lt=now)
    elif filters.sla == "due_today":
        qs = qs.filter(sla_sort__gte=now, sla_sort__lt=end_of_today)
    elif filters.sla == "ok":
        qs = qs.filter(sla_sort__gte=end_of_today)
    if filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    qs = qs.annotate(value=_value_subquery())
    if filters.value_min is not None:
        qs = qs.filter(value__gte=filters.value_min)
    if filters.value_max is not None:
        qs = qs.filter(value__lte=filters.value_max)

    backwards = before is not None and after is None  # reading the page before ``before``, nearest first
    if after is not None:
        qs = qs.filter(_keyset(after, forward=not descending))
    elif before is not None:
        qs = qs.filter(_keyset(before, forward=descending))
    items = ReturnItem.objects.filter(case=OuterRef("pk")).order_by()
    qs = qs.annotate(
        item_count=Subquery(items.values("case").annotate(n=Count("id")).values("n")[:1]),
    )
    order = ("-queue_sort", "-id") if descending != backwards else ("queue_sort", "id")
    rows = list(
        qs.order_by(*order).values(
            *_QUEUE_FIELDS, "queue_sort", "sla_sort", "value", "currency", "item_count", **_QUEUE_RELATED
        )[: limit + 1]
    )
    cases, more = rows[:limit], len(rows) > limit
    if backwards:
        cases.reverse()
    for case in cases:
        due = case.pop("sla_sort")
        case["sla_due"] = None if due == NO_SLA_DUE else due
        case["sla_state"] = sla_state(case["sla_due"], now=now, end_of_today=end_of_today)
    first, last = (cases[0], cases[-1]) if cases else (None, None)
    has_next = True if backwards else more  # a page read backwards was reached from the one after it
    has_previous = more if backwards else after is not None
    return QueuePage(
        cases=cases,
        next_cursor=QueueCursor(last["queue_sort"], last["id"]) if has_next and last else None,
        previous_cursor=QueueCursor(first["queue_sort"], first["id"]) if has_previous and first else None,
    )


def sla_state(due, *, now, end_of_today) -> str:
    if due is None or due >= end_of_today:
        return "ok"
    return "breached" if due < now else "due_today"


def queue_view_counts(*, user, now=None) -> dict[str, int]:
    """How many open cases each saved view holds.

    The agent's own count is read live (an index-only count on ``case_assignee_status``); the team-wide
    counts walk every open case, so they are shared for ``QUEUE_COUNTS_TTL`` seconds between requests
    and dropped at once after changes made in the workspace (``queue_view_counts_forget``).
    """
    now = now or timezone.now()
    end_of_today = _end_of_today(now)
    open_cases = ReturnCase.objects.filter(status__in=OPEN_STATUSES)
    cached = cache.get(_QUEUE_COUNTS_KEY)
    if cached and cached[0] == end_of_today:
        shared = cached[1]
    else:
        shared = open_cases.annotate(queue_sort=QUEUE_SORT).aggregate(
            open=Count("id"),
            unassigned=Count("id", filter=Q(assignee__isnull=True)),
            breaching_today=Count("id", filter=Q(queue_sort__lt=end_of_today)),
            escalated=Count("id", filter=Q(status=CaseStatus.ESCALATED)),
        )
        cache.set(_QUEUE_COUNTS_KEY, (end_of_today, shared), QUEUE_COUNTS_TTL)
    return {**shared, "mine": open_cases.filter(assignee=user).count()}


def queue_view_counts_forget() -> None:
    """Drop the shared view counts, after a change made in the workspace, so the next page counts afresh.

    Changes from elsewhere (filings, carrier events) do not: in a busy shop they come every second,
    and each recount walks every open case."""
    cache.delete(_QUEUE_COUNTS_KEY)


def queue_changed(**kwargs) -> None:
    """Something the queue shows changed (a case, its items, shipment, customer or order, an agent's name,
    a region's countries): its rendered pages and fragments are stale (a new generation, see
    returns_portal.caching). Connected to the models' save and delete signals (rma.apps); call it after
    a ``QuerySet.update`` of what the queue shows.
    """
    caching.generation_new(_QUEUE_GENERATION_KEY)


def queue_generation() -> int:
    """The current generation of the queue's rendered pages and fragments (see ``queue_changed``)."""
    return caching.generation(_QUEUE_GENERATION_KEY)


def agent_users():
    """Active staff who may work cases (directly or through a role), for the assignee pickers."""
    user_model = get_user_model()
    perm = Q(codename="process_case", content_type__app_label="rma")
    return (
        user_model.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=Permission.objects.filter(perm))
            | Q(groups__permissions__in=Permission.objects.filter(perm))
        )
        .distinct()
        .order_by("first_name", "username")
    )


@dataclass(frozen=True)
class AgentLoad:
    user: object
    open: int
    breached: int
    escalated: int
    languages: tuple
    max_open_cases: int | None
    available: bool


def supervisor_overview(*, now=None, period_days: int = 30, limit: int = 50) -> dict:
    """The team at a glance: load per agent, cases past or near their SLA, escalations, handling times."""
    now = now or timezone.now()
    end_of_today = _end_of_today(now)
    open_cases = ReturnCase.objects.filter(status__in=OPEN_STATUSES).annotate(sla_due=SLA_DUE)
    per_agent = {
        row["assignee"]: row
        for row in open_cases.filter(assignee__isnull=False)
        .values("assignee")
        .annotate(
            open=Count("id"),
            breached=Count("id", filter=Q(sla_due__lt=now)),
            escalated=Count("id", filter=Q(status=CaseStatus.ESCALATED)),
        )
        .order_by()
    }
    profiles = {p.user_id: p for p in AgentProfile.objects.all()}
    workload = []
    for user in agent_users():
        row, profile = per_agent.get(user.pk, {}), profiles.get(user.pk)
        workload.append(
            AgentLoad(
                user=user,
                open=row.get("open", 0),
                breached=row.get("breached", 0),
                escalated=row.get("escalated", 0),
                languages=tuple(profile.languages) if profile else (),
                max_open_cases=profile.max_open_cases if profile else None,
                available=profile.available if profile else False,
            )
        )
    listed = open_cases.select_related("customer", "assignee").order_by(F("sla_due").asc(nulls_last=True), "id")
    since = now - datetime.timedelta(days=period_days)
    times = ReturnCase.objects.aggregate(
        decision=Avg(
            ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField()),
            filter=Q(decided_at__gte=since, auto_approved=False),
        ),
        decided=Count("id", filter=Q(decided_at__gte=since, auto_approved=False)),
        refund=Avg(
            ExpressionWrapper(F("resolved_at") - F("received_at"), output_field=DurationField()),
            filter=Q(resolved_at__gte=since, received_at__isnull=False),
        ),
        refunded=Count("id", filter=Q(resolved_at__gte=since, received_at__isnull=False)),
    )
    breaching = list(listed.filter(sla_due__lt=end_of_today)[:limit])
    for case in breaching:
        case.sla_state = sla_state(case.sla_due, now=now, end_of_today=end_of_today)
    return {
        "workload": workload,
        "unassigned": open_cases.filter(assignee__isnull=True).count(),
        "breaching": breaching,
        "escalations": list(listed.filter(status=CaseStatus.ESCALATED)[:limit]),
        "times": times,
        "period_days": period_days,
    }


def unassigned_open_count() -> int:
    return ReturnCase.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=True).count()


def approvals_pending():
    """The supervisors' queue: requests above an agent's limit, oldest first."""
    return ApprovalRequest.objects.filter(status=ApprovalRequest.Status.PENDING).select_related("case", "requested_by")
