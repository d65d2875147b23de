"""Project-wide views: liveness (``/healthz``) and readiness (``/readyz``: each dependency reported)."""

import json
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse


def _checks() -> dict:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = "in-process"
    else:
        from returns_portal.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
    return checks


def _answer(checks: dict) -> JsonResponse:
    healthy = all(v in {"ok", "in-process"} for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def healthz(request):
    """Liveness with a database check and, when a broker is configured, a broker check."""
    return _answer(_checks())


def readyz(request):
    """Readiness: the database, the broker and the cache, each reported. The pages work without the cache
    (returns_portal.cache), so a cache that is away is reported but does not make the process unready."""
    checks = _checks()
    probe = f"readyz:{secrets.token_hex(8)}"
    cache.set(probe, "1", 10)
    cache_state = "ok" if cache.get(probe) == "1" else "error: unavailable (pages are served without it)"
    cache.delete(probe)
    response = _answer(checks)
    payload = json.loads(response.content)
    payload["cache"] = cache_state
    return JsonResponse(payload, status=response.status_code)
