"""Writes to return cases: filing, one service per workflow transition, inspection, money, deadlines.

Import from here: ``from rma import services; services.case_approve(case=..., actor=...)``.
"""

from .access import AccessDenied, lookup_code_issue, lookup_code_verify, lookup_link_verify
from .assignment import agent_pick, can_work_cases, case_assign, case_auto_assign, case_claim
from .bulk import BULK_PERMISSIONS, BulkResult, cases_bulk, references_parse
from .cases import (
    ItemRequest,
    case_approve,
    case_cancel,
    case_close,
    case_deescalate,
    case_escalate,
    case_issue_label,
    case_kind_for,
    case_mark_in_transit,
    case_mark_received,
    case_open,
    case_provide_info,
    case_reject,
    case_request_info,
    case_retry_label,
    customer_previous_returns,
    item_decision,
    returnable_quantity,
)
from .customers import customer_preferences_set, survey_submit
from .errors import CaseConflict, CaseError, CaseInvalid, CasePermissionDenied, CaseTransitionNotAllowed
from .inspection import case_answer_offer, case_offer_partial_refund, item_inspect
from .messages import canned_reply_apply, canned_reply_fill, canned_reply_text, message_post
from .money import (
    amount_due,
    case_credit,
    case_exchange,
    case_mark_repaired,
    case_refund,
    case_replace,
    compensation_grant,
    exchange_charge,
    goodwill_limit,
    refund_pay,
    refundable_total,
    store_credit_balance,
)
from .sla import sla_sweep
from .tracking import WebhookRejected, tracking_event_record, webhook_signature, webhook_verify
from .withdrawal import withdrawal_applies, withdrawal_statement_text, withdrawal_submit

# Agent actions that need nothing but a click: the button's name -> the service.
AGENT_ACTIONS = {
    "approve": case_approve,
    "mark_in_transit": case_mark_in_transit,
    "mark_received": case_mark_received,
    "refund": case_refund,
    "credit": case_credit,
    "mark_repaired": case_mark_repaired,
    "replace": case_replace,
    "close": case_close,
    "cancel": case_cancel,
    "escalate": case_escalate,
    "deescalate": case_deescalate,
}

__all__ = [
    "AGENT_ACTIONS",
    "BULK_PERMISSIONS",
    "BulkResult",
    "agent_pick",
    "can_work_cases",
    "canned_reply_apply",
    "canned_reply_fill",
    "canned_reply_text",
    "case_assign",
    "case_auto_assign",
    "case_claim",
    "cases_bulk",
    "message_post",
    "references_parse",
    "AccessDenied",
    "lookup_code_issue",
    "lookup_code_verify",
    "lookup_link_verify",
    "CaseConflict",
    "CaseError",
    "CaseInvalid",
    "CasePermissionDenied",
    "CaseTransitionNotAllowed",
    "ItemRequest",
    "amount_due",
    "case_answer_offer",
    "case_approve",
    "case_cancel",
    "case_close",
    "case_credit",
    "case_deescalate",
    "case_escalate",
    "case_exchange",
    "case_issue_label",
    "case_kind_for",
    "case_mark_in_transit",
    "case_mark_received",
    "case_mark_repaired",
    "case_offer_partial_refund",
    "case_open",
    "case_provide_info",
    "case_refund",
    "case_reject",
    "case_replace",
    "case_request_info",
    "case_retry_label",
    "compensation_grant",
    "customer_preferences_set",
    "customer_previous_returns",
    "exchange_charge",
    "goodwill_limit",
    "item_decision",
    "item_inspect",
    "refund_pay",
    "refundable_total",
    "returnable_quantity",
    "sla_sweep",
    "survey_submit",
    "WebhookRejected",
    "tracking_event_record",
    "webhook_signature",
    "webhook_verify",
    "withdrawal_applies",
    "withdrawal_statement_text",
    "withdrawal_submit",
    "store_credit_balance",
]
