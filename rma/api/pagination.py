"""Cursor pagination: ``?limit=`` (1-100) and the opaque ``cursor`` a page gives for the next one."""

import base64

from rma.api.problems import ApiProblem

MAX_LIMIT = 100


def cursor_decode(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        value = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode().removeprefix("id:"))
    except (ValueError, UnicodeDecodeError):
        value = -1
    if value < 0:
        raise ApiProblem(422, "invalid", "Invalid request", "The cursor is not one this API gave.",
                         [{"path": "query.cursor", "message": "unknown cursor"}])  # fmt: skip
    return value


def cursor_encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def page(queryset, *, cursor: str | None, limit: int):
    """The rows after the cursor in id order, and the next cursor (None on the last page)."""
    after = cursor_decode(cursor)
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (cursor_encode(rows[-1].pk) if more and rows else None)
