"""The core's models: the case, its items and inspection, timeline, money, withdrawals, agent capacity."""

from .case import (
    BEFORE_SHIPPING,
    ESCALATABLE,
    FINAL_STATUSES,
    NO_SLA_DUE,
    OPEN_STATUSES,
    QUEUE_SORT,
    RESOLVED_STATUSES,
    RMA_ALPHABET,
    SETTLEABLE,
    SLA_DUE,
    CaseKind,
    CaseStatus,
    Resolution,
    ReturnCase,
    rma_number_new,
)
from .items import (
    Deduction,
    DeductionReason,
    Inspection,
    InspectionPhoto,
    ReturnItem,
    ReturnItemPhoto,
    inspection_photo_upload_to,
    item_photo_upload_to,
)
from .money import Compensation, ExchangeOrder, Refund, StoreCreditAccount, StoreCreditEntry, store_credit_code_new
from .staff import AgentProfile
from .timeline import CaseEvent, SurveyResponse
from .withdrawal import WithdrawalStatement

__all__ = [
    "BEFORE_SHIPPING",
    "ESCALATABLE",
    "FINAL_STATUSES",
    "NO_SLA_DUE",
    "OPEN_STATUSES",
    "QUEUE_SORT",
    "RESOLVED_STATUSES",
    "RMA_ALPHABET",
    "SETTLEABLE",
    "SLA_DUE",
    "AgentProfile",
    "CaseEvent",
    "CaseKind",
    "CaseStatus",
    "Compensation",
    "Deduction",
    "DeductionReason",
    "ExchangeOrder",
    "Inspection",
    "InspectionPhoto",
    "Refund",
    "Resolution",
    "ReturnCase",
    "ReturnItem",
    "ReturnItemPhoto",
    "StoreCreditAccount",
    "StoreCreditEntry",
    "SurveyResponse",
    "WithdrawalStatement",
    "inspection_photo_upload_to",
    "item_photo_upload_to",
    "rma_number_new",
    "store_credit_code_new",
]
