"""Webhook subscriptions: register a receiver (its signing secret is in the answer), change it, test it, read its
deliveries and send one again."""

from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from rma.api.auth import Scope, require
from rma.api.idempotency import idempotent
from rma.api.pagination import MAX_LIMIT, page
from rma.api.problems import ERRORS, ERRORS_404, invalid
from rma.api.schemas import DeliveryOut, DeliveryPage, EndpointCreatedOut, EndpointIn, EndpointOut, EndpointPatch
from rma.webhooks import services
from rma.webhooks.models import Delivery, Endpoint

router = Router()


def _endpoint(request, endpoint_id: int) -> Endpoint:
    require(request, Scope.WEBHOOKS)
    return get_object_or_404(Endpoint, pk=endpoint_id)


@router.get("", response={200: list[EndpointOut], **ERRORS}, summary="List webhook endpoints")
def endpoints_list(request):
    require(request, Scope.WEBHOOKS)
    return list(Endpoint.objects.order_by("pk"))


@router.post("", response={201: EndpointCreatedOut, **ERRORS}, summary="Register a webhook endpoint")
@idempotent
def endpoint_create(request, body: EndpointIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    require(request, Scope.WEBHOOKS)
    try:
        endpoint = services.endpoint_create(
            url=body.url, event_types=body.event_types, description=body.description, actor=request.user
        )
    except services.EndpointInvalid as exc:
        raise invalid(str(exc), [{"path": f"body.{k}", "message": v} for k, v in exc.errors.items()]) from None
    return Status(201, EndpointCreatedOut.from_orm(endpoint).dict())


@router.get("/{endpoint_id}", response={200: EndpointOut, **ERRORS_404}, summary="Get a webhook endpoint")
def endpoint_get(request, endpoint_id: int):
    return _endpoint(request, endpoint_id)


@router.patch("/{endpoint_id}", response={200: EndpointOut, **ERRORS_404}, summary="Change a webhook endpoint")
def endpoint_patch(request, endpoint_id: int, body: EndpointPatch):
    endpoint = _endpoint(request, endpoint_id)
    try:
        return services.endpoint_update(endpoint=endpoint, **body.dict(exclude_unset=True))
    except services.EndpointInvalid as exc:
        raise invalid(str(exc), [{"path": f"body.{k}", "message": v} for k, v in exc.errors.items()]) from None


@router.delete("/{endpoint_id}", response={204: None, **ERRORS_404}, summary="Delete a webhook endpoint")
def endpoint_delete(request, endpoint_id: int):
    _endpoint(request, endpoint_id).delete()
    return Status(204, None)


@router.post("/{endpoint_id}/ping", response={202: DeliveryOut, **ERRORS_404}, summary="Send a test event")
@idempotent
def endpoint_ping(request, endpoint_id: int, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    delivery = services.endpoint_ping(endpoint=_endpoint(request, endpoint_id))
    return Status(202, DeliveryOut.from_orm(delivery).dict())


class DeliveryFilters(Schema):
    status: str | None = Field(None, max_length=10)
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


@router.get("/{endpoint_id}/deliveries", response={200: DeliveryPage, **ERRORS_404}, summary="List deliveries")
def deliveries_list(request, endpoint_id: int, filters: Query[DeliveryFilters]):
    endpoint = _endpoint(request, endpoint_id)
    rows = Delivery.objects.filter(endpoint=endpoint)
    if filters.status:
        rows = rows.filter(status=filters.status)
    found, next_cursor = page(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": found, "next_cursor": next_cursor}


@router.post(
    "/{endpoint_id}/deliveries/{message_id}/redeliver", response={202: DeliveryOut, **ERRORS_404},
    summary="Send a delivery again",
)  # fmt: skip
@idempotent
def delivery_redeliver(
    request, endpoint_id: int, message_id: str, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    endpoint = _endpoint(request, endpoint_id)
    delivery = get_object_or_404(Delivery, endpoint=endpoint, message_id=message_id)
    try:
        delivery = services.delivery_redeliver(delivery=delivery)
    except services.EndpointInvalid as exc:
        raise invalid(str(exc), [{"path": f"body.{k}", "message": v} for k, v in exc.errors.items()]) from None
    return Status(202, DeliveryOut.from_orm(delivery).dict())
