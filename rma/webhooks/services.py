"""Outbound webhooks (Standard Webhooks): register endpoints, write a delivery row per event, send and retry it.

The sending follows https://www.standardwebhooks.com: a JSON body ``{"type", "timestamp", "data"}``, the headers
``webhook-id`` (the same for every try of one message), ``webhook-timestamp`` and ``webhook-signature`` (HMAC-SHA256
with the endpoint's ``whsec_`` secret), made by the ``standardwebhooks`` package. A 2xx answer delivers; anything
else, a timeout or a refused connection is a failed try, retried with backoff (``returns_portal.outbox.backoff``)
up to ``settings.WEBHOOKS["max_attempts"]`` and then parked for a manual redelivery. An endpoint that has failed
without a single success for ``disable_after_hours`` is disabled, and the admins are told by email (once).
"""

import base64
import datetime
import json
import logging
import secrets
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mail_admins
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from returns_portal import outbox
from rma.webhooks.models import Delivery, Endpoint, EventType

logger = logging.getLogger(__name__)
LEASE = datetime.timedelta(minutes=2)


class EndpointInvalid(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def secret_new() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _url_errors(url: str) -> str | None:
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return _("Enter a valid URL.")
    if url.startswith("http://") and not settings.WEBHOOKS["allow_http"]:
        return _("The URL must start with https://.")
    return None


def endpoint_errors(*, url: str | None, event_types: list[str] | None) -> dict[str, str]:
    errors = {}
    if url is not None and (problem := _url_errors(url)):
        errors["url"] = problem
    if event_types is not None:
        unknown = sorted(set(event_types) - set(EventType.values))
        if unknown:
            errors["event_types"] = _("Unknown event types: %(types)s. Valid: %(valid)s.") % {
                "types": ", ".join(unknown), "valid": ", ".join(EventType.values),
            }  # fmt: skip
    return errors


def endpoint_create(*, url: str, event_types: list[str] | None = None, description: str = "", actor=None) -> Endpoint:
    """Register a receiver. Its secret is made here and shown to the caller; keep it to verify signatures."""
    event_types = list(event_types or [])
    if errors := endpoint_errors(url=url, event_types=event_types):
        raise EndpointInvalid(errors)
    return Endpoint.objects.create(
        url=url, event_types=event_types, description=description, secret=secret_new(), created_by=actor
    )


def endpoint_update(*, endpoint: Endpoint, **fields) -> Endpoint:
    """Change url, event types, description or ``is_active``; re-enabling clears the failure record."""
    if errors := endpoint_errors(url=fields.get("url"), event_types=fields.get("event_types")):
        raise EndpointInvalid(errors)
    for name in ("url", "event_types", "description", "is_active"):
        if fields.get(name) is not None:
            setattr(endpoint, name, fields[name])
    if fields.get("is_active"):
        endpoint.disabled_at = endpoint.failing_since = endpoint.admins_notified_at = None
        endpoint.disabled_reason = ""
    endpoint.save()
    return endpoint


def endpoint_rotate_secret(*, endpoint: Endpoint) -> Endpoint:
    endpoint.secret = secret_new()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


def deliveries_create(*, event_type: str, data, case=None) -> list[Delivery]:
    """One delivery row per active endpoint that wants ``event_type``, written in the caller's transaction and
    queued after its commit. ``data`` may be a callable, called only when some endpoint wants the event."""
    from rma.webhooks.tasks import webhook_deliver  # the task module imports this one

    endpoints = [e for e in Endpoint.objects.filter(is_active=True) if e.wants(event_type)]
    if not endpoints:
        return []
    if callable(data):
        data = data()
    now = timezone.now()
    body = json.loads(
        json.dumps({"type": event_type, "timestamp": now.isoformat(), "data": data}, cls=DjangoJSONEncoder)
    )
    rows = Delivery.objects.bulk_create(
        [
            Delivery(endpoint=e, message_id=f"msg_{uuid.uuid4().hex}", event_type=event_type, case=case, payload=body)
            for e in endpoints
        ]
    )
    for row in rows:
        outbox.dispatch_on_commit(webhook_deliver, row.pk)
    return rows


def endpoint_ping(*, endpoint: Endpoint) -> Delivery:
    """A test event to one endpoint, to check its URL and signature verification."""
    from rma.webhooks.tasks import webhook_deliver

    with transaction.atomic():
        row = Delivery.objects.create(
            endpoint=endpoint, message_id=f"msg_{uuid.uuid4().hex}", event_type=EventType.PING,
            payload={"type": EventType.PING, "timestamp": timezone.now().isoformat(), "data": {}},
        )  # fmt: skip
        outbox.dispatch_on_commit(webhook_deliver, row.pk)
    return row


def _start(delivery_id: int) -> Delivery | None:
    """Take the row for one try (status ``sending`` with a lease), or None when it is not due."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if row is None or row.status in (Delivery.Status.DELIVERED, Delivery.Status.PARKED):
            return None
        if row.status == Delivery.Status.SENDING and row.lease_until and row.lease_until > now:
            return None
        if row.status == Delivery.Status.FAILED and row.next_attempt_at and row.next_attempt_at > now:
            return None
        if not row.endpoint.is_active:
            row.status, row.last_error = Delivery.Status.PARKED, _("The endpoint is disabled.")
            row.save(update_fields=["status", "last_error"])
            return None
        row.status, row.lease_until = Delivery.Status.SENDING, now + LEASE
        row.attempts += 1
        row.save(update_fields=["status", "lease_until", "attempts"])
    return row


def _post(row: Delivery) -> tuple[int | None, str]:
    """Send one signed try. Returns the HTTP status (None when no answer came) and an error text."""
    body = json.dumps(row.payload, separators=(",", ":")).encode()
    sent_at = timezone.now()
    headers = {
        "content-type": "application/json",
        "user-agent": "returns-portal-webhooks/1",
        "webhook-id": row.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(row.endpoint.secret).sign(row.message_id, sent_at, body),
    }
    request = urllib.request.Request(row.endpoint.url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOKS["timeout_seconds"]) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return None, str(getattr(exc, "reason", exc))[:500]


def delivery_send(*, delivery_id: int) -> Delivery | None:
    """One try of one delivery, outside any lock while the receiver is called. Idempotent per try."""
    row = _start(delivery_id)
    if row is None:
        return None
    code, error = _post(row)
    now = timezone.now()
    with transaction.atomic():
        row = Delivery.objects.select_for_update().select_related("endpoint").get(pk=row.pk)
        endpoint = Endpoint.objects.select_for_update().get(pk=row.endpoint_id)
        row.last_status_code, row.lease_until = code, None
        if code is not None and 200 <= code < 300:
            row.status, row.delivered_at, row.last_error, row.next_attempt_at = Delivery.Status.DELIVERED, now, "", None
            if endpoint.failing_since:
                endpoint.failing_since = None
                endpoint.save(update_fields=["failing_since", "updated_at"])
        else:
            row.last_error = error or f"HTTP {code}"
            if row.attempts >= settings.WEBHOOKS["max_attempts"]:
                row.status, row.next_attempt_at = Delivery.Status.PARKED, None
            else:
                row.status, row.next_attempt_at = Delivery.Status.FAILED, now + outbox.backoff(row.attempts)
            _failing(endpoint, now)
        row.save()
    return row


def _failing(endpoint: Endpoint, now: datetime.datetime) -> None:
    endpoint.failing_since = endpoint.failing_since or now
    limit = datetime.timedelta(hours=settings.WEBHOOKS["disable_after_hours"])
    if endpoint.is_active and now - endpoint.failing_since >= limit:
        endpoint.is_active = False
        endpoint.disabled_at = now
        endpoint.disabled_reason = _("Every delivery failed for %(hours)s hours.") % {
            "hours": settings.WEBHOOKS["disable_after_hours"]
        }
    endpoint.save(update_fields=["failing_since", "is_active", "disabled_at", "disabled_reason", "updated_at"])


def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Send a delivery again by hand (same message id, tries start afresh). Refused while its endpoint is off."""
    from rma.webhooks.tasks import webhook_deliver

    with transaction.atomic():
        row = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
        if not row.endpoint.is_active:
            raise EndpointInvalid({"endpoint": _("Turn the endpoint on again before redelivering.")})
        if row.status == Delivery.Status.SENDING and row.lease_until and row.lease_until > timezone.now():
            return row
        row.status, row.attempts, row.next_attempt_at, row.lease_until = Delivery.Status.PENDING, 0, None, None
        row.save(update_fields=["status", "attempts", "next_attempt_at", "lease_until"])
        outbox.dispatch_on_commit(webhook_deliver, row.pk)
    return row


def disabled_endpoints_notify() -> int:
    """Email the admins once about each endpoint switched off for failing. The row is claimed first (no lock is
    held while the mail server is called); a failed send gives the claim back for the next sweep."""
    notified = 0
    for endpoint in Endpoint.objects.filter(disabled_at__isnull=False, admins_notified_at__isnull=True):
        claimed = Endpoint.objects.filter(pk=endpoint.pk, admins_notified_at__isnull=True).update(
            admins_notified_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            mail_admins(
                _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url},
                _(
                    "Deliveries to %(url)s failed without a success since %(since)s, so the endpoint was disabled "
                    "(%(reason)s). Fix the receiver, turn the endpoint on again in the admin and redeliver the "
                    "parked deliveries."
                ) % {"url": endpoint.url, "since": endpoint.failing_since, "reason": endpoint.disabled_reason},
            )  # fmt: skip
        except Exception:
            Endpoint.objects.filter(pk=endpoint.pk).update(admins_notified_at=None)
            logger.exception("could not tell the admins that webhook endpoint %s was disabled", endpoint.pk)
            continue
        notified += 1
    return notified


def deliveries_redispatch(*, now: datetime.datetime | None = None) -> int:
    """Queue every delivery whose task was lost with the broker, whose retry is due, or whose lease ran out."""
    from django.db.models import Q

    from rma.webhooks.tasks import webhook_deliver

    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS)
    due = Delivery.objects.filter(endpoint__is_active=True).filter(
        Q(status=Delivery.Status.PENDING, created_at__lt=lost)
        | Q(status=Delivery.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Delivery.Status.SENDING, lease_until__lte=now)
    )
    ids = list(due.order_by("id").values_list("id", flat=True)[: settings.OUTBOX_REDISPATCH_BATCH])
    for delivery_id in ids:
        outbox.dispatch(webhook_deliver, delivery_id)
    return len(ids)
