"""Handing outbox rows to Celery after the commit, without ever failing the request when the broker is down.

Every side effect is a row first (a notification, a refund, an approved case waiting for its label). The
task that carries it out is queued after the commit; if the broker cannot be reached, the row simply waits
and the package's redispatch sweep (Celery beat, every minute) queues it again. See docs/reliability.md.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)
# A short publish retry: the request waits at most about a second for the broker, then the sweep takes over.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}


def dispatch_on_commit(task, *args) -> None:
    """Queue ``task(*args)`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: dispatch(task, *args))


def dispatch(task, *args) -> bool:
    """Queue ``task(*args)``; False when the broker is unreachable (the row stays pending for the sweep)."""
    if task.app.conf.task_always_eager:
        task.apply_async(args=args)  # runs here and now: there is no broker to be down
        return True
    try:
        task.apply_async(args=args, retry_policy=PUBLISH_RETRY)
    except (OperationalError, ConnectionError) as exc:
        logger.warning("broker unavailable: %s%r waits for the redispatch sweep (%s)", task.name, args, exc)
        return False
    return True
