"""A synchronous event bus: a package publishes typed events, other packages subscribe to them in ``apps.py``.

Handlers run in the publisher's transaction, at the moment of publishing. They may write rows (an
outbox row, a timeline row) and register work for after the commit (``transaction.on_commit``,
``task.delay_on_commit``); nothing that leaves the database may start inside a handler. An exception
in a handler rolls the whole change back, so a change and its outbox rows commit together or not at all.
"""

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[type, list[Callable]] = defaultdict(list)


def subscribe(event_type: type, handler: Callable) -> None:
    """Call ``handler(event)`` for every published event of this type (or of a subclass). Idempotent."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: object) -> None:
    for cls in type(event).__mro__:
        for handler in tuple(_handlers.get(cls, ())):
            handler(event)


def subscribers(event_type: type) -> tuple[Callable, ...]:
    """The handlers registered for exactly this type (for tests and docs)."""
    return tuple(_handlers.get(event_type, ()))
