"""Django's ModelBackend with the signed-in user and their permission set read from the cache.

Every workspace page loads the user (one query) and asks whether they may see it and which buttons to
draw (two more: the user's own permissions and their groups'). This backend keeps both in the cache,
under one generation (``returns_portal.caching``) that any change to a user (a password, ``is_active``,
``is_superuser``, a login), to who is in which group, or to a group's or a user's permissions replaces:
a deactivated user or a revoked permission is refused from the next request on. Receivers are connected
in ``apps.py``. ``AUTH_CACHE_TTL`` bounds how long a value lives should a change bypass the ORM: five
minutes. Object-level checks stay with the services.

The cached user row includes the password hash (the session check needs it): the cache server is to be
guarded like the database (see ``.env.example``).
"""

from django.contrib.auth.backends import ModelBackend

from .caching import cached, generation_new

AUTH_CACHE_TTL = 300
_GENERATION_KEY = "auth:generation"


def auth_changed(**kwargs) -> None:
    """A signal receiver: a user, a group or a permission changed; every cached user and set is stale."""
    generation_new(_GENERATION_KEY)


class CachedModelBackend(ModelBackend):
    """ModelBackend (authentication and permissions) with the user and their permission set cached."""

    def get_user(self, user_id):
        user = cached(
            _GENERATION_KEY,
            f"auth:user:{user_id}",
            lambda: super(CachedModelBackend, self).get_user(user_id),
            AUTH_CACHE_TTL,
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = cached(
                _GENERATION_KEY,
                f"auth:permissions:{user_obj.pk}",
                lambda: super(CachedModelBackend, self).get_all_permissions(user_obj),
                AUTH_CACHE_TTL,
            )
        return user_obj._perm_cache
