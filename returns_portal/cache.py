"""A Redis cache that is an optimisation, never a dependency: with the server away, reads miss and writes
are dropped, so every page still works (from the database, slower). Logged once a minute, not per request.

Production uses it for ``CACHE_URL`` (see settings/production.py). Sessions are ``cached_db``: they fall
back to the database; the signed-in user, permission sets and queue pages are read afresh.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60
# After a failure the cache is skipped for this long, so a request does not wait on a dead server at each call.
SKIP_SECONDS = 5
_last_logged = 0.0
_skip_until = 0.0


def _unavailable(operation: str, exc: Exception) -> None:
    global _last_logged, _skip_until
    now = time.monotonic()
    _skip_until = now + SKIP_SECONDS
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        log.warning("cache server unavailable (%s: %s); serving without the cache", operation, exc)


class ResilientRedisCache(RedisCache):
    # What a failed call answers: a miss for reads, "not stored" for writes.
    _ON_FAILURE = {
        "get": lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None),
        "get_many": lambda args, kwargs: {},
        "has_key": lambda args, kwargs: False,
        "add": lambda args, kwargs: False,
        "touch": lambda args, kwargs: False,
        "delete": lambda args, kwargs: False,
        "set_many": lambda args, kwargs: list(args[0]) if args else [],
    }

    def _failed(self, operation, args, kwargs):
        answer = self._ON_FAILURE.get(operation)
        return answer(args, kwargs) if answer else None

    def _safely(self, operation, *args, **kwargs):
        if time.monotonic() < _skip_until:
            return self._failed(operation, args, kwargs)
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            _unavailable(operation, exc)
            return self._failed(operation, args, kwargs)

    def get(self, *args, **kwargs):
        return self._safely("get", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._safely("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._safely("has_key", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._safely("set", *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._safely("add", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._safely("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._safely("delete", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._safely("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._safely("delete_many", *args, **kwargs)

    def clear(self, *args, **kwargs):
        return self._safely("clear", *args, **kwargs)
