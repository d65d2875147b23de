"""Cases: list, read, file on behalf of a customer, and the workflow actions the token's user may take."""

import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from rma.api.auth import Scope, require
from rma.api.idempotency import idempotent
from rma.api.pagination import MAX_LIMIT, page
from rma.api.problems import ERRORS, ERRORS_404, ApiProblem, Problem, conflict, invalid
from rma.api.schemas import CaseCreateIn, CaseOut, CasePage, KindCode, QuestionIn, ReasonIn, StatusCode
from rma.cases import services
from rma.cases.models import CaseEvent, ReturnCase
from rma.cases.services.errors import CaseConflict, CaseError, CaseInvalid, CasePermissionDenied
from rma.orders.models import Order, OrderLine
from rma.webhooks.payloads import case_representation

router = Router()
ERRORS_409 = {**ERRORS_404, 409: Problem}


def _cases():
    return ReturnCase.objects.select_related("customer").prefetch_related(
        "items__order_line__order", Prefetch("events", queryset=CaseEvent.objects.filter(kind=CaseEvent.Kind.LABEL))
    )


def _case(rma_number: str) -> ReturnCase:
    return get_object_or_404(_cases(), rma_number=rma_number)


class CaseFilters(Schema):
    status: StatusCode | None = None
    kind: KindCode | None = None
    order_number: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    updated_since: datetime.datetime | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


@router.get("", response={200: CasePage, **ERRORS}, summary="List cases")
def cases_list(request, filters: Query[CaseFilters]):
    require(request, Scope.CASES_READ)
    rows = _cases()
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.order_number:
        rows = rows.filter(items__order_line__order__number=filters.order_number).distinct()
    if filters.email:
        rows = rows.filter(customer__email__iexact=filters.email.strip())
    if filters.updated_since:
        rows = rows.filter(updated_at__gte=filters.updated_since)
    found, next_cursor = page(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": [case_representation(case) for case in found], "next_cursor": next_cursor}


@router.get("/{rma_number}", response={200: CaseOut, **ERRORS_404}, summary="Get a case")
def case_get(request, rma_number: str):
    require(request, Scope.CASES_READ)
    return case_representation(_case(rma_number))


@router.post("", response={201: CaseOut, **ERRORS_409}, summary="File a case on behalf of a customer")
@idempotent
def case_create(request, body: CaseCreateIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """The same checks as the portal: the policy and the law decide each item; the case may be approved at once."""
    require(request, Scope.CASES_WRITE)
    order = Order.objects.select_related("customer").filter(number=body.order_number).first()
    if order is None or order.customer.email.lower() != body.email.strip().lower():
        raise invalid("No order with this number and email.", [{"path": "body.order_number", "message": "not found"}])
    lines = {line.pk: line for line in OrderLine.objects.filter(order=order, pk__in=[i.line_id for i in body.items])}
    errors = [
        {"path": f"body.items.{index}.line_id", "message": "not a line of this order"}
        for index, item in enumerate(body.items)
        if item.line_id not in lines
    ]
    if errors:
        raise invalid("Some lines are not in this order.", errors)
    language = body.language or order.customer.language
    language = language if language in dict(settings.LANGUAGES) else "en"
    requests = [
        services.ItemRequest(
            order_line=lines[item.line_id], quantity=item.quantity, reason=item.reason, resolution=item.resolution,
            problem=item.problem, exchange_wish=item.exchange_wish,
        )
        for item in body.items
    ]  # fmt: skip
    try:
        with translation.override("en"):  # API errors are in English
            case = services.case_open(
                customer=order.customer, items=requests, language=language, return_method=body.return_method
            )
    except CaseInvalid as exc:
        raise invalid(str(exc)) from None
    return Status(201, case_representation(_case(case.rma_number)))


def _act(request, rma_number: str, run) -> dict:
    require(request, Scope.CASES_WRITE)
    case = _case(rma_number)
    try:
        with translation.override("en"):
            run(case)
    except CasePermissionDenied as exc:
        raise ApiProblem(403, "forbidden", "Forbidden", str(exc)) from None
    except CaseConflict as exc:
        raise conflict(str(exc)) from None
    except CaseInvalid as exc:
        raise invalid(str(exc)) from None
    except CaseError as exc:  # the transition is not offered in this state
        raise conflict(str(exc)) from None
    return case_representation(_case(rma_number))


def _action(path: str, summary: str, run, body_schema=None):
    """Declare one workflow action as ``POST /cases/{rma_number}/<path>``."""
    if body_schema is None:

        def view(request, rma_number: str, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
            return _act(request, rma_number, lambda case: run(case, request.user, None))

    else:

        def view(
            request, rma_number: str, body: body_schema,
            idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
        ):  # fmt: skip
            return _act(request, rma_number, lambda case: run(case, request.user, body))

    view.__name__ = f"case_{path.replace('-', '_')}"
    router.post(f"/{{rma_number}}/{path}", response={200: CaseOut, **ERRORS_409}, summary=summary)(idempotent(view))


_action("approve", "Approve", lambda c, u, b: services.case_approve(case=c, actor=u))
_action("reject", "Reject", lambda c, u, b: services.case_reject(case=c, actor=u, reason=b.reason), ReasonIn)
_action(
    "request-info", "Ask the customer for information",
    lambda c, u, b: services.case_request_info(case=c, actor=u, question=b.question), QuestionIn,
)  # fmt: skip
_action("mark-in-transit", "Mark the parcel in transit", lambda c, u, b: services.case_mark_in_transit(case=c, actor=u))
_action("mark-received", "Mark the parcel received", lambda c, u, b: services.case_mark_received(case=c, actor=u))
_action("escalate", "Escalate to a supervisor", lambda c, u, b: services.case_escalate(case=c, actor=u))
_action("close", "Close", lambda c, u, b: services.case_close(case=c, actor=u))
_action("cancel", "Cancel", lambda c, u, b: services.case_cancel(case=c, actor=u))
