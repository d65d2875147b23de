"""``Idempotency-Key`` on POST: the first request with a key does the work and its answer is kept; a repeat with
the same key and the same request gets that answer again; the same key with another request is refused (422);
a repeat while the first is still running gets 409. Keys are kept ``settings.API["idempotency_hours"]``."""

import datetime
import functools
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja import Status

from rma.api.models import IdempotencyRecord
from rma.api.problems import ApiProblem


def _fingerprint(request) -> str:
    return hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(), request.body])).hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    kind = "application/problem+json" if record.status_code >= 400 else "application/json"
    response = HttpResponse(record.body, status=record.status_code, content_type=kind)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    """Wrap a POST operation (keeps its signature for django-ninja)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view(request, *args, **kwargs)
        if len(key) > 255:
            raise ApiProblem(422, "invalid", "Invalid request", "Idempotency-Key is longer than 255 characters.",
                             [{"path": "header.Idempotency-Key", "message": "at most 255 characters"}])  # fmt: skip
        token, fingerprint = request.api_token, _fingerprint(request)
        keep = timezone.now() - datetime.timedelta(hours=settings.API["idempotency_hours"])
        IdempotencyRecord.objects.filter(token=token, key=key, created_at__lt=keep).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(token=token, key=key, fingerprint=fingerprint)
        except IntegrityError:
            record = IdempotencyRecord.objects.get(token=token, key=key)
            if record.fingerprint != fingerprint:
                raise ApiProblem(
                    422, "idempotency-key-reused", "Idempotency-Key reused",
                    "This Idempotency-Key was used with a different request.",
                ) from None  # fmt: skip
            if record.status_code is None:
                raise ApiProblem(409, "request-in-progress", "Request in progress",
                                 "A request with this Idempotency-Key is still being handled.") from None  # fmt: skip
            return _replay(record)
        try:
            result = view(request, *args, **kwargs)
        except ApiProblem as problem:
            if problem.status >= 500 or problem.status == 429:
                record.delete()  # not an answer to keep: the client may try again with the same key
            else:
                record.status_code, record.body = problem.status, json.dumps(problem.body())
                record.save(update_fields=["status_code", "body"])
            raise
        except Exception:
            record.delete()
            raise
        status, payload = (result.status_code, result.value) if isinstance(result, Status) else (200, result)
        record.status_code, record.body = status, json.dumps(payload, cls=DjangoJSONEncoder)
        record.save(update_fields=["status_code", "body"])
        return result

    return wrapper
