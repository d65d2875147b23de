"""Django's ModelBackend with the signed-in user and their permission set read from the cache.

Every workspace page loads the user (one query) and asks whether they may see it and which buttons to
draw (two more: the user's own permissions and their groups'). This backend keeps both in the cache:

- the user, under their id, dropped whenever the user row is saved or deleted (a password change, a
  deactivation: the session check and ``is_active`` read the fresh row on the next request);
- each permission set, under a generation number that any change to users' groups, groups' permissions
  or users' own permissions replaces, so a revoked permission is gone from the next request on.

Receivers are connected in ``apps.py``. ``AUTH_CACHE_TTL`` bounds how long either lives should a change
bypass the ORM (raw SQL, ``QuerySet.update``): five minutes. Object-level checks stay with the services.
"""

import time

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

AUTH_CACHE_TTL = 300
_GENERATION_KEY = "auth:permissions:generation"


def _permissions_key(user_pk) -> str:
    return f"auth:permissions:user:{user_pk}"


def _user_key(user_pk) -> str:
    return f"auth:user:{user_pk}"


def _new_generation() -> None:
    cache.set(_GENERATION_KEY, time.time_ns(), None)


def permissions_changed(**kwargs) -> None:
    """Start a new generation: every cached permission set is stale from now on.

    Now, and again once the change is committed: a request that read the old rows in between must not
    leave them cached under the new generation.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def user_changed(*, instance, **kwargs) -> None:
    """Drop the cached user (now and once committed, as above)."""
    key = _user_key(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


class CachedModelBackend(ModelBackend):
    """ModelBackend (authentication and permissions) with the user and their permission set cached."""

    def get_user(self, user_id):
        key = _user_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)  # None when there is no such user or it may not log in
            if user is not None:
                cache.set(key, user, AUTH_CACHE_TTL)
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = _permissions_key(user_obj.pk)
            found = cache.get_many([_GENERATION_KEY, key])  # one round trip
            generation = found.get(_GENERATION_KEY)
            if generation is None:
                generation = time.time_ns()
                if not cache.add(_GENERATION_KEY, generation, None):
                    generation = cache.get(_GENERATION_KEY, generation)
            cached = found.get(key)
            if cached is not None and cached[0] == generation:
                user_obj._perm_cache = cached[1]
            else:
                perms = super().get_all_permissions(user_obj)  # sets user_obj._perm_cache
                cache.set(key, (generation, perms), AUTH_CACHE_TTL)
        return user_obj._perm_cache
