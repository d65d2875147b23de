"""The portal's throttles and the client address they count: services and the address function."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from returns_portal.client_address import client_address
from rma.access import throttles
from rma.access.models import ThrottleHit, ThrottleKey

pytestmark = pytest.mark.django_db

LIMITS = {"lookup_failed": {"client": [3, 3600], "order": [2, 3600], "email": [10, 3600]}}


def request_from(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = [], 0
    assert client_address(request_from("10.0.0.2", "203.0.113.5")) == "10.0.0.2"


def test_a_proxy_count_takes_the_address_our_proxy_wrote_not_one_the_client_sent(settings):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = [], 1
    assert client_address(request_from("10.0.0.2", "203.0.113.5")) == "203.0.113.5"
    assert client_address(request_from("10.0.0.2", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"  # spoofed left part
    assert client_address(request_from("10.0.0.2")) == "10.0.0.2"  # no header: the connecting address
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("10.0.0.3", "1.2.3.4, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"


def test_trusted_proxy_networks_are_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = ["10.0.0.0/8", "192.0.2.1"], 0
    assert client_address(request_from("10.0.0.2", "1.2.3.4, 203.0.113.5, 192.0.2.1")) == "203.0.113.5"
    # A connection that does not come from a trusted proxy: its header is not believed.
    assert client_address(request_from("198.51.100.9", "203.0.113.5")) == "198.51.100.9"
    assert client_address(request_from("10.0.0.2", "not-an-address")) is None


def test_a_refusal_counts_nothing_and_says_when_to_try_again(settings):
    settings.PORTAL_THROTTLES = LIMITS
    for number in ("A-1", "A-2", "A-1"):
        throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5", "order": number})
    with pytest.raises(throttles.Throttled):  # A-1 is full: another client is refused on it too
        throttles.throttle_take(action="lookup_failed", subjects={"client": "198.51.100.7", "order": "A-1"})
    with pytest.raises(throttles.Throttled) as refused:  # the client is full, whatever the order
        throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5", "order": "B-1"})
    assert 3500 < refused.value.retry_after <= 3600
    assert ThrottleHit.objects.count() == 3 + 2 + 1  # the client, A-1, A-2; nothing for the refused ones
    throttles.throttle_take(action="lookup_failed", subjects={"client": "198.51.100.7", "order": "B-1"})


def test_old_attempts_stop_counting_after_the_period(settings):
    settings.PORTAL_THROTTLES = LIMITS
    for _ in range(3):
        throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5"})
    ThrottleHit.objects.update(at=timezone.now() - datetime.timedelta(seconds=3601))
    throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5"})


def test_keys_unused_for_a_day_are_dropped(settings):
    settings.PORTAL_THROTTLES = LIMITS
    throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5"})
    ThrottleKey.objects.update(last_at=timezone.now() - datetime.timedelta(days=1, seconds=1))
    throttles.throttle_take(action="lookup_failed", subjects={"client": "198.51.100.7"})
    assert ThrottleKey.objects.count() == 1 and ThrottleHit.objects.count() == 1


def test_an_attempt_that_turns_out_not_to_count_is_given_back(settings):
    settings.PORTAL_THROTTLES = LIMITS
    for _ in range(5):
        taken = throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5"})
        throttles.throttle_give_back(taken)
    assert not ThrottleHit.objects.exists()


def test_no_address_number_or_email_is_stored_in_clear(settings):
    settings.PORTAL_THROTTLES = LIMITS
    throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5", "email": "ann@example.com"})
    keys = " ".join(ThrottleKey.objects.values_list("key", flat=True))
    assert "203.0.113.5" not in keys and "ann@" not in keys


def test_the_throttles_hold_while_the_cache_server_is_away(settings, monkeypatch):
    """They are counted in the database: a cache that fails changes nothing (docs/portal.md)."""
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache away")

    for name in ("get", "set", "add", "incr", "get_many", "set_many", "delete"):
        monkeypatch.setattr(cache, name, down)
    settings.PORTAL_THROTTLES = LIMITS
    for _ in range(3):
        throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5"})
    with pytest.raises(throttles.Throttled):
        throttles.throttle_take(action="lookup_failed", subjects={"client": "203.0.113.5"})
