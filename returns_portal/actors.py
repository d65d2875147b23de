"""Who acts in a service: the type every service signature gives its ``actor``."""

from typing import Protocol


class Staff(Protocol):
    """A signed-in member of staff as the services use one (any Django user model satisfies it)."""

    pk: int
    is_active: bool
    is_authenticated: bool

    def has_perm(self, perm: str, obj=None) -> bool: ...
