"""Request and response bodies of the API. Every text has a length limit and refuses NUL characters, so what the
database would refuse is refused here first, with its field path."""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from policies.taxonomy import Category, Reason, Resolution, ReturnMethod
from rma.cases.models import CaseKind, CaseStatus

NO_NUL = r"^[^\x00]*$"


def text(max_length: int, min_length: int = 0):
    return Annotated[str, Field(min_length=min_length, max_length=max_length, pattern=NO_NUL)]


Code2 = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")]
Day = Annotated[datetime.date, Field(ge=datetime.date(1970, 1, 1), le=datetime.date(2999, 12, 31))]
# Amounts travel as strings (no binary floating point): "19.90".
Money = Annotated[str, Field(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$", examples=["19.90"])]
CategoryCode = Literal[tuple(Category.values)]
ReasonCode = Literal[tuple(Reason.values)]
ResolutionCode = Literal[tuple(Resolution.values)]
MethodCode = Literal[tuple(ReturnMethod.values)]
StatusCode = Literal[tuple(CaseStatus.values)]
KindCode = Literal[tuple(CaseKind.values)]


# -- orders --------------------------------------------------------------------------------------------------------


class OrderLineIn(Schema):
    sku: text(64, 1)
    product_name: text(200, 1)
    category: CategoryCode
    quantity: Annotated[int, Field(ge=1, le=100000)]
    unit_price: Money
    hs_code: text(12) = ""
    weight_grams: Annotated[int, Field(ge=0, le=2_000_000_000)] | None = None
    origin_country: Code2 | Literal[""] = ""
    tags: list[text(64)] = Field(default=[], max_length=50)


class OrderIn(Schema):
    order_number: text(40, 1)
    email: Email
    customer_name: text(200, 1)
    country: Country
    language: text(16) = "en"
    phone: text(32) = ""
    time_zone: text(64) = ""
    currency: Currency
    ordered_on: Day
    delivered_on: Day | None = None
    ship_street: text(200, 1)
    ship_postcode: text(20) = ""
    ship_city: text(100, 1)
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)


class OrdersBulkIn(Schema):
    orders: list[OrderIn] = Field(min_length=1, max_length=1000)


class OrdersBulkOut(Schema):
    created: int
    updated: int


class OrderLineOut(Schema):
    id: int
    sku: str
    name: str
    category: str
    quantity: int
    unit_price: str
    returnable_quantity: int


class OrderOut(Schema):
    number: str
    email: str
    customer_name: str
    currency: str
    ordered_on: datetime.date
    delivered_on: datetime.date | None
    ship_country: str
    lines: list[OrderLineOut]


# -- cases ---------------------------------------------------------------------------------------------------------


class CustomerOut(Schema):
    email: str
    name: str
    country: str


class TrackingOut(Schema):
    carrier: str
    number: str


class CaseItemOut(Schema):
    sku: str
    name: str
    order_number: str
    quantity: int
    reason: str
    resolution: str
    eligible: bool
    status: str


class CaseOut(Schema):
    id: str
    status: str
    kind: str
    resolution: str | None
    order_numbers: list[str]
    customer: CustomerOut
    language: str
    currency: str
    return_method: str
    amount_due: str | None
    refunded: str | None
    tracking: TrackingOut | None
    items: list[CaseItemOut]
    created_at: str
    updated_at: str
    closed_at: str | None


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseItemIn(Schema):
    line_id: Annotated[int, Field(ge=1, le=2**62)]
    quantity: Annotated[int, Field(ge=1, le=100000)]
    reason: ReasonCode
    resolution: ResolutionCode = "refund"
    problem: text(2000) = ""
    exchange_wish: text(200) = ""


class CaseCreateIn(Schema):
    order_number: text(40, 1)
    email: Email
    language: text(10) | None = None
    return_method: MethodCode | None = None
    items: list[CaseItemIn] = Field(min_length=1, max_length=100)


class ReasonIn(Schema):
    reason: text(2000, 1)


class QuestionIn(Schema):
    question: text(2000, 1)


# -- policy decisions ----------------------------------------------------------------------------------------------


class ClaimIn(Schema):
    country: Country
    category: CategoryCode
    reason: ReasonCode
    ordered_on: Day
    delivered_on: Day
    claimed_on: Day
    last_delivered_on: Day | None = None
    informed_on: Day | None = None
    informed: bool = True
    terms_displayed: bool = False
    law_only: bool = False
    language: text(10) = "en"


class ExplanationStep(Schema):
    code: str
    text: str
    reference: str


class DecisionOut(Schema):
    eligible: bool
    basis: str
    deadline: datetime.date | None
    refund_due_days: int | None
    refund_due_from: str | None
    return_shipping_paid_by: str | None
    exception: str | None
    presumption_until: datetime.date | None
    summary: str
    explanation: list[ExplanationStep]
    policy: str | None


# -- webhooks ------------------------------------------------------------------------------------------------------

EventTypeCode = Annotated[str, Field(max_length=40, pattern=NO_NUL)]


class EndpointIn(Schema):
    url: text(500, 1)
    description: text(200) = ""
    event_types: list[EventTypeCode] = Field(default=[], max_length=20)


class EndpointPatch(Schema):
    url: text(500, 1) | None = None
    description: text(200) | None = None
    event_types: list[EventTypeCode] | None = Field(default=None, max_length=20)
    is_active: bool | None = None


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[str]
    is_active: bool
    failing_since: datetime.datetime | None
    disabled_at: datetime.datetime | None
    disabled_reason: str


class EndpointCreatedOut(EndpointOut):
    secret: str


class DeliveryOut(Schema):
    message_id: str
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None
