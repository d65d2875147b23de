"""Throttles of the customer portal: attempts per client, order and email, counted atomically in the database."""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rma.access.models import ThrottleHit, ThrottleKey

KEY_SALT = "rma.access.throttle"


def _keep() -> datetime.timedelta:
    """How long attempts are kept: a day, or the longest period a throttle looks back if that is longer."""
    longest = max(period for limits in settings.PORTAL_THROTTLES.values() for _limit, period in limits.values())
    return max(datetime.timedelta(days=1), datetime.timedelta(seconds=longest))


class Throttled(Exception):
    """Too many attempts: the request is refused and may be made again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"throttled for {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Taken:
    """The attempts one call counted, so a request that turns out not to count can give them back."""

    hit_ids: tuple[int, ...]


def subject_normal(value: str | None) -> str | None:
    """Order numbers and email addresses are counted as the lookup matches them: trimmed, any case, no "#"."""
    value = (value or "").strip().lstrip("#").strip().lower()
    return value or None


def _key(action: str, subject: str, value: str) -> str:
    # A keyed hash: the table holds no address, number or email in clear, and one cannot be guessed back.
    return salted_hmac(KEY_SALT, f"{action}\n{subject}\n{value}", algorithm="sha256").hexdigest()


def _retry_after(times: list, limit: int, period: int, now) -> int | None:
    """Seconds until one more attempt fits under ``limit`` within ``period``; None if one fits now."""
    if len(times) < limit:
        return None
    frees_at = times[len(times) - limit] + datetime.timedelta(seconds=period)
    return max(1, math.ceil((frees_at - now).total_seconds()))


def _purge(now, keep: datetime.timedelta) -> None:
    """Drop keys unused for longer than any throttle looks back, only those no other request holds (so
    two purges never wait on each other)."""
    stale = list(
        ThrottleKey.objects.select_for_update(skip_locked=True)
        .filter(last_at__lt=now - keep)
        .values_list("pk", flat=True)[:500]
    )
    if stale:
        ThrottleKey.objects.filter(pk__in=stale).delete()


def throttle_take(*, action: str, subjects: dict[str, str | None]) -> Taken:
    """Count one attempt of ``action`` against each subject's limit, or refuse without counting any.

    Each subject's key row is locked before its attempts are counted: concurrent requests take turns
    and none slips past a limit.
    The limits are in ``settings.PORTAL_THROTTLES``; a subject without a value (no address) is skipped.
    """
    limits = settings.PORTAL_THROTTLES[action]
    wanted = {_key(action, subject, value): limits[subject] for subject, value in subjects.items()
              if value and subject in limits}  # fmt: skip
    if not wanted:
        return Taken(())
    now = timezone.now()
    keep = _keep()
    with transaction.atomic():
        _purge(now, keep)
        buckets = []
        for _round in range(3):
            # Made and locked in key order, so two requests never wait on each other in a circle; a key
            # another request dropped as stale in between is simply made again.
            ThrottleKey.objects.bulk_create(
                [ThrottleKey(key=key, last_at=now) for key in sorted(wanted)], ignore_conflicts=True
            )
            buckets = list(ThrottleKey.objects.select_for_update().filter(key__in=wanted).order_by("key"))
            if len(buckets) == len(wanted):
                break
        ThrottleHit.objects.filter(bucket__in=buckets, at__lt=now - keep).delete()
        waits = []
        for bucket in buckets:
            limit, period = wanted[bucket.key]
            times = list(
                ThrottleHit.objects.filter(bucket=bucket, at__gt=now - datetime.timedelta(seconds=period))
                .order_by("at")
                .values_list("at", flat=True)
            )
            wait = _retry_after(times, limit, period, now)
            if wait is not None:
                waits.append(wait)
        if waits:
            raise Throttled(max(waits))
        ThrottleKey.objects.filter(pk__in=[bucket.pk for bucket in buckets]).update(last_at=now)
        hits = ThrottleHit.objects.bulk_create([ThrottleHit(bucket=bucket, at=now) for bucket in buckets])
    return Taken(tuple(hit.pk for hit in hits))


def throttle_give_back(taken: Taken) -> None:
    """Uncount attempts that turned out not to count (a lookup that found its order is not a failed one)."""
    if taken.hit_ids:
        ThrottleHit.objects.filter(pk__in=taken.hit_ids).delete()
