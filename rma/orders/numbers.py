"""Order numbers as customers type them: "#1001", "1001" and " 1001 " all mean the same order."""

from django.db.models import Q


def order_number_bare(number: str) -> str:
    """The number without spaces around it or the leading "#" shops print before it."""
    return (number or "").strip().lstrip("#").strip()


def order_number_q(number: str, *, field: str = "number") -> Q:
    """Matches an order stored as "1001" or as "#1001", in any case, whichever way the customer typed it."""
    bare = order_number_bare(number)
    return Q(**{f"{field}__iexact": bare}) | Q(**{f"{field}__iexact": f"#{bare}"})
