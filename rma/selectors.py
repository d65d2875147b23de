"""Reads for the portal and the agent workspace."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
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

from .models import (
    OPEN_STATUSES,
    SLA_DUE,
    AgentProfile,
    CannedReply,
    CaseEvent,
    CaseStatus,
    Customer,
    Message,
    Order,
    ReturnCase,
    ReturnItem,
    Shipment,
)


def order_find_for_lookup(*, number: str, email: str) -> Order | None:
    """The order if the number and the email match; None otherwise (never says which was wrong)."""
    return (
        Order.objects.select_related("customer")
        .filter(number__iexact=number.strip(), customer__email__iexact=email.strip())
        .first()
    )


def customer_get(*, customer_id: int) -> Customer | None:
    return Customer.objects.filter(pk=customer_id).first()


def order_get_for_customer(*, customer_id: int, number: str) -> Order | None:
    return (
        Order.objects.select_related("customer")
        .prefetch_related("lines")
        .filter(customer_id=customer_id, number=number)
        .first()
    )


def case_get_for_customer(*, customer_id: int, rma_number: str) -> ReturnCase | None:
    """A case only if it belongs to this customer: the portal never shows anyone else's."""
    return _case_detail_qs(for_customer=True).filter(customer_id=customer_id, rma_number=rma_number).first()


def case_get_for_agent(*, rma_number: str) -> ReturnCase | None:
    return (
        _case_detail_qs()
        .select_related("assignee", "shipment")
        .prefetch_related(Prefetch("messages", queryset=Message.objects.select_related("author")))
        .filter(rma_number=rma_number)
        .first()
    )


# Timeline entries about the team's own work (who has the case, notes, the thread): never in the customer's timeline.
STAFF_EVENT_KINDS = (CaseEvent.Kind.ASSIGNMENT, CaseEvent.Kind.MESSAGE, CaseEvent.Kind.NOTE)


def _case_detail_qs(*, for_customer: bool = False):
    events = CaseEvent.objects.select_related("actor")
    if for_customer:
        events = events.exclude(kind__in=STAFF_EVENT_KINDS)
    return ReturnCase.objects.select_related("customer", "policy__region").prefetch_related(
        Prefetch(
            "items",
            queryset=ReturnItem.objects.select_related("order_line__order", "inspection").prefetch_related(
                "deductions", "inspection__photos", "photos"
            ),
        ),
        Prefetch("events", queryset=events),
        "refunds",
    )


def case_list_for_customer(*, customer: Customer):
    return ReturnCase.objects.filter(customer=customer).annotate(item_count=Count("items")).order_by("-created_at")


QUEUE_VIEWS = ("open", "mine", "unassigned", "breaching_today", "escalated")
SLA_STATES = ("breached", "due_today", "ok")
QUEUE_PAGE_SIZES = (25, 50, 100)
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class QueueFilters:
    """What the agent asked the queue for; empty values mean "any"."""

    view: str = "open"
    status: str = ""
    kind: str = ""
    country: str = ""
    language: str = ""
    reason: str = ""
    sla: str = ""
    assignee: int | str | None = None  # a user id, "none" for unassigned, None for anyone
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    q: str = ""


@dataclass(frozen=True)
class QueueCursor:
    """Where a page ends, in the queue's sort order (SLA due time, then id): the next page starts after it."""

    due: datetime.datetime | None
    id: int

    def encode(self) -> str:
        due = "n" if self.due is None else str((self.due - _EPOCH) // datetime.timedelta(microseconds=1))
        return f"{due}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> "QueueCursor | None":
        """The cursor in ``value``, or None when it is not one (a hand-edited URL starts from the top)."""
        due, _sep, pk = (value or "").partition(".")
        try:
            return cls(None if due == "n" else _EPOCH + datetime.timedelta(microseconds=int(due)), int(pk))
        except (ValueError, OverflowError):
            return None


@dataclass(frozen=True)
class QueuePage:
    cases: list
    next_cursor: QueueCursor | None


def _end_of_today(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)


def _search(term: str):
    """Ids of the cases an RMA number, an order number, an email or a tracking number points to.

    Each branch is an exact match on a unique index, so a search stays fast at any size.
    """
    term = term.strip()
    variants = sorted({term, term.upper(), term.lower()})
    return (
        ReturnCase.objects.filter(rma_number__in=variants)
        .values("id")
        .union(
            ReturnCase.objects.filter(customer__email__in=variants).values("id"),
            ReturnItem.objects.filter(order_line__order__number__in=variants).values("case_id"),
            Shipment.objects.filter(tracking_number__in=variants).values("case_id"),
        )
    )


def _value_subquery():
    items = ReturnItem.objects.filter(case=OuterRef("pk")).values("case")
    return Subquery(
        items.annotate(total=Sum(F("quantity") * F("order_line__unit_price"))).values("total")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def case_list_for_queue(
    *, filters: QueueFilters, user, after: QueueCursor | None = None, limit: int = 50, now=None
) -> QueuePage:
    """One page of the agent queue in SLA order (the running clock first, cases without one last).

    Keyset pagination: the page starts after ``after``, never with an OFFSET, so page 1,000 costs what
    page 1 costs. One query whatever ``limit`` is; the open-case partial index serves the default view.
    """
    now = now or timezone.now()
    end_of_today = _end_of_today(now)
    qs = ReturnCase.objects.annotate(sla_due=SLA_DUE)
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
        qs = qs.filter(sla_due__lt=end_of_today)
    elif filters.view == "escalated":
        qs = qs.filter(status=CaseStatus.ESCALATED)

    for field in ("kind", "country", "language"):
        if getattr(filters, field):
            qs = qs.filter(**{field: getattr(filters, field)})
    if filters.reason:
        qs = qs.filter(Exists(ReturnItem.objects.filter(case=OuterRef("pk"), reason=filters.reason)))
    if filters.sla == "breached":
        qs = qs.filter(sla_due__lt=now)
    elif filters.sla == "due_today":
        qs = qs.filter(sla_due__gte=now, sla_due__lt=end_of_today)
    elif filters.sla == "ok":
        qs = qs.filter(Q(sla_due__gte=end_of_today) | Q(sla_due__isnull=True))
    if filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    qs = qs.annotate(
        value=_value_subquery(),
        value_currency=Subquery(
            ReturnItem.objects.filter(case=OuterRef("pk")).values("order_line__order__currency")[:1]
        ),
        item_count=Subquery(
            ReturnItem.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("id")).values("n")[:1]
        ),
    )
    if filters.value_min is not None:
        qs = qs.filter(value__gte=filters.value_min)
    if filters.value_max is not None:
        qs = qs.filter(value__lte=filters.value_max)

    if after is not None:
        if after.due is None:
            qs = qs.filter(sla_due__isnull=True, id__gt=after.id)
        else:
            qs = qs.filter(Q(sla_due__gt=after.due) | Q(sla_due=after.due, id__gt=after.id) | Q(sla_due__isnull=True))
    qs = qs.select_related("customer", "assignee", "shipment").order_by(F("sla_due").asc(nulls_last=True), "id")
    rows = list(qs[: limit + 1])
    cases, more = rows[:limit], len(rows) > limit
    for case in cases:
        case.sla_state = sla_state(case.sla_due, now=now, end_of_today=end_of_today)
    last = cases[-1] if cases else None
    return QueuePage(cases=cases, next_cursor=QueueCursor(last.sla_due, last.id) if more and last else None)


def sla_state(due, *, now, end_of_today) -> str:
    if due is None or due >= end_of_today:
        return "ok"
    return "breached" if due < now else "due_today"


def queue_view_counts(*, user, now=None) -> dict[str, int]:
    """How many open cases each saved view holds, in one query."""
    now = now or timezone.now()
    return (
        ReturnCase.objects.filter(status__in=OPEN_STATUSES)
        .annotate(sla_due=SLA_DUE)
        .aggregate(
            open=Count("id"),
            mine=Count("id", filter=Q(assignee=user)),
            unassigned=Count("id", filter=Q(assignee__isnull=True)),
            breaching_today=Count("id", filter=Q(sla_due__lt=_end_of_today(now))),
            escalated=Count("id", filter=Q(status=CaseStatus.ESCALATED)),
        )
    )


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


def case_thread(*, case: ReturnCase):
    """The case's messages and internal notes, oldest first, with their authors."""
    return case.messages.all()  # prefetched by case_get_for_agent


def canned_replies_active():
    return CannedReply.objects.filter(active=True).prefetch_related("texts")


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


def customer_history(*, customer, exclude=None) -> dict:
    """The customer's earlier cases and what they were refunded: a signal of abuse, or of a loyal customer."""
    from django.db.models import Sum

    from .models import Refund

    cases = ReturnCase.objects.filter(customer=customer)
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    refunded = (
        Refund.objects.filter(case__in=cases, status=Refund.Status.PAID)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return {"count": cases.count(), "refunded": list(refunded)}
