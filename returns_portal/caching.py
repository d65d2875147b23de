"""Cached values that a change makes stale at once: each is stored with the *generation* it was read under.

A generation is a number in the cache under its own key. A change replaces it (``generation_new``): now,
and again when the change's transaction commits, so that a value read from the database between the two
(before the commit, from the old rows) is stored under a generation that is already gone. A reader takes
the generation *before* reading the database (``cached``), and a stored value counts only under the
generation it was stored with. The time limit passed to ``cached`` bounds what a change made outside the
ORM (raw SQL, ``QuerySet.update`` without a call here) can leave stale.

The cache is best effort: if it cannot be written (Redis down), a change still commits, and readers see
stale values for the time limit at most; a read that fails is a miss.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)


def _replace(key: str) -> None:
    try:
        cache.set(key, time.time_ns(), None)
    except Exception:  # the cache server is away: never fail the change that asked for this
        log.exception("could not start a new cache generation %s", key)


def generation_new(key: str) -> None:
    """Make every value stored under generation ``key`` stale, now and once the transaction commits."""
    _replace(key)
    transaction.on_commit(lambda: _replace(key))


def generation(key: str) -> int:
    """The current generation under ``key`` (started now when the cache has none)."""
    try:
        current = cache.get(key)
        if current is None:
            current = time.time_ns()
            if not cache.add(key, current, None):
                current = cache.get(key, current)
        return current
    except Exception:
        log.exception("could not read the cache generation %s", key)
        return time.time_ns()  # a fresh one: nothing stored matches it


def cached(generation_key: str, key: str, compute, timeout: int):
    """The value stored under ``key`` for the current generation, or ``compute()`` (then stored)."""
    try:
        found = cache.get_many([generation_key, key])  # one round trip
    except Exception:
        log.exception("could not read the cache")
        return compute()
    current = found.get(generation_key)
    if current is None:
        current = generation(generation_key)
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    try:
        cache.set(key, (current, value), timeout)
    except Exception:
        log.exception("could not write the cache")
    return value
