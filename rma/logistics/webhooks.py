"""Signed inbound updates from carriers."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rma.logistics.tracking import WebhookRejected, tracking_event_record, webhook_verify


@csrf_exempt  # authenticated by the HMAC signature instead of a session
@require_POST
def tracking(request):
    try:
        payload = webhook_verify(
            body=request.body,
            timestamp=request.headers.get("X-Webhook-Timestamp"),
            signature=request.headers.get("X-Webhook-Signature"),
        )
        event = tracking_event_record(payload=payload)
    except WebhookRejected as exc:
        return JsonResponse(
            {"error": str(exc)}, status=400 if "unknown" in str(exc) or "malformed" in str(exc) else 403
        )
    return JsonResponse({"status": "duplicate" if event is None else "recorded"})
