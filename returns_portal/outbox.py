"""Handing outbox rows to Celery after the commit, without ever failing the request when the broker is down.

Every side effect is a row first (a notification, a refund, an approved case waiting for its label). The
task that carries it out is queued after the commit; if the broker cannot be reached, the row simply waits
and the package's redispatch sweep (Celery beat, every minute) queues it again. See docs/reliability.md.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from celery.exceptions import Retry
from django.db import transaction
from django.db.models import Count, Min, QuerySet, Sum
from django.utils import timezone
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)
# A short publish retry: the request waits at most about a second for the broker, then the sweep takes over.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}


BACKOFF_MAX_SECONDS = 3600


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait before the next try after ``attempts`` failed ones: 2, 4, 8... seconds, at most an hour."""
    return datetime.timedelta(seconds=min(2**attempts, BACKOFF_MAX_SECONDS))


def dispatch_on_commit(task, *args) -> None:
    """Queue ``task(*args)`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: dispatch(task, *args))


def dispatch(task, *args) -> bool:
    """Queue ``task(*args)``; False when the broker is unreachable (the row stays pending for the sweep)."""
    if task.app.conf.task_always_eager:
        try:
            task.apply_async(args=args)  # runs here and now: there is no broker to be down
        except Retry as retry:
            # A transient failure (the provider is down): the row keeps the attempt, its error and when it is
            # due again, and the redispatch sweep tries it then. The request that caused it succeeds.
            logger.warning("%s%r will be tried again by the redispatch sweep: %s", task.name, args, retry.exc)
        return True
    try:
        task.apply_async(args=args, retry_policy=PUBLISH_RETRY)
    except (OperationalError, ConnectionError) as exc:
        logger.warning("broker unavailable: %s%r waits for the redispatch sweep (%s)", task.name, args, exc)
        return False
    return True


@dataclass(frozen=True)
class Kind:
    """One kind of outbox row, declared by the package that owns it (``kind_register`` in its ``register()``).

    The metrics read the backlog of every kind, and the supervisors' "Stuck work" page lists the parked
    rows of the kinds that park, with a button that queues one again.
    """

    name: str
    label: str  # lazily translated
    pending: Callable[[], QuerySet]  # rows still to be done (retries included)
    since: str  # the field a pending row's age counts from
    parked: Callable[[], QuerySet] | None = None  # rows that stopped retrying: each has case, attempts, last_error
    retry: Callable[..., object] | None = None  # retry(row_id=..., actor=...): queue a parked row again
    amount: str = ""  # money kinds: the amount field (its currency is in ``currency``), summed by the metrics
    # Where a parked row keeps its tries and last error, when not in ``attempts`` and ``last_error``.
    fields: dict = field(default_factory=dict)


KINDS: dict[str, Kind] = {}


def kind_register(kind: Kind) -> None:
    KINDS[kind.name] = kind


def backlog(*, now: datetime.datetime | None = None) -> list[dict]:
    """Per kind: rows pending, the oldest one's age in seconds (0 when none) and rows parked."""
    now = now or timezone.now()
    rows = []
    for kind in KINDS.values():
        found = kind.pending().aggregate(count=Count("pk"), oldest=Min(kind.since))
        rows.append(
            {
                "kind": kind.name,
                "pending": found["count"],
                "oldest_seconds": (now - found["oldest"]).total_seconds() if found["oldest"] else 0.0,
                "parked": kind.parked().count() if kind.parked else 0,
            }
        )
    return rows


def amounts(*, kind: Kind) -> list[dict]:
    """For a money kind: the amount waiting and the amount parked, per currency."""
    rows = []
    for state, rows_of in (("pending", kind.pending), ("parked", kind.parked)):
        if rows_of is None:
            continue
        for row in rows_of().values("currency").annotate(total=Sum(kind.amount), n=Count("pk")).order_by():
            rows.append({"state": state, "currency": row["currency"], "total": row["total"], "count": row["n"]})
    return rows


def parked_rows(*, limit: int = 200) -> list[dict]:
    """The rows that stopped retrying, oldest first per kind, for the supervisors' "Stuck work" page."""
    rows = []
    for kind in KINDS.values():
        if kind.parked is None:
            continue
        names = {"attempts": "attempts", "last_error": "last_error", **kind.fields}
        for row in kind.parked().select_related("case").order_by(kind.since, "pk")[:limit]:
            rows.append(
                {
                    "kind": kind.name, "label": kind.label, "id": row.pk, "case": row.case, "reference": str(row),
                    "attempts": getattr(row, names["attempts"]), "error": getattr(row, names["last_error"]),
                    "since": getattr(row, kind.since), "retry": kind.retry is not None,
                }
            )  # fmt: skip
    return rows


def retry(*, kind: str, row_id: int, actor) -> object:
    """Queue a parked row again through its kind's own service (which checks the actor's permission)."""
    return KINDS[kind].retry(row_id=row_id, actor=actor)
