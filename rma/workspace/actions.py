"""The agent's actions on a case, declared once each: label, how it runs, its form, its bulk button."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django import forms
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from rma.cases import rules, selectors, services
from rma.cases.models import SETTLEABLE, ApprovalRequest, CaseStatus, ReturnItem
from rma.logistics import labels
from rma.messaging import selectors as messaging_selectors
from rma.messaging import services as messaging
from rma.workspace.forms import (
    AddressForm,
    AssignForm,
    CannedReplyForm,
    ExchangeForm,
    GoodwillForm,
    InspectForm,
    MessageForm,
    OfferForm,
    RefundForm,
    RejectForm,
    RequestInfoForm,
)


@dataclass(frozen=True)
class AgentAction:
    """One action an agent can take on a case, chosen by the name of the button that posts it.

    ``run`` depends on what the action is:

    - a workflow transition (``transition=True``) is offered only when the case's FSM offers it to the user
      now. ``run`` is its service, called as ``run(case=..., actor=...)``; with a ``form``, the form's
      cleaned data are added as keyword arguments, so the form's field names are the service's parameters.
    - any other action (``transition=False``) is always accepted, because its service checks who may do
      it. ``run`` is a runner ``run(request, case)`` that binds its own form (its prefix or choices depend
      on the case) and returns the forms with errors by prefix, an ``ApprovalRequest`` when the request awaits a
      supervisor, or None when it is done.

    ``bulk_label`` offers the action in the queue's bulk form too; who may use it there is the core's rule
    (``services.BULK_PERMISSIONS``).

    ``confirm`` is the question of a confirmation page shown before an action that cannot be undone: the case
    page's button asks first, and only the page's own form (``confirmed=yes``) runs the action.
    """

    name: str
    label: Promise
    run: Callable
    form: type[forms.Form] | None = None
    transition: bool = True
    bulk_label: Promise | None = None
    confirm: Promise | None = None


def _run_retry_label(request, case):
    labels.label_retry(case=case, actor=request.user)
    return None


def _run_take_over(request, case):
    services.case_take_over(case=case, actor=request.user)
    return None


def _run_correct_address(request, case):
    form = AddressForm(request.POST, prefix="correct_address")
    if not form.is_valid():
        return {"correct_address": form}
    services.case_address_correct(case=case, actor=request.user, **form.cleaned_data)
    return None


def _run_claim(request, case):
    services.case_claim(case=case, actor=request.user)
    return None


def _run_assign(request, case):
    form = AssignForm(request.POST, prefix="assign", agents=selectors.agent_users())
    if not form.is_valid():
        return {"assign": form}
    services.case_assign(case=case, actor=request.user, assignee=form.cleaned_data["assignee"])
    return None


def _run_inspect(request, case):
    try:
        item = case.items.get(pk=int(request.POST.get("item", "0")))
    except (ValueError, ReturnItem.DoesNotExist):
        raise Http404(_("No such item.")) from None
    prefix = f"inspect-{item.pk}"
    form = InspectForm(request.POST, request.FILES, prefix=prefix)
    if not form.is_valid():
        return {prefix: form}
    data = form.cleaned_data
    deductions = [(data["deduction_reason"], data["deduction_amount"])] if data.get("deduction_reason") else []
    services.item_inspect(
        item=item,
        actor=request.user,
        grade=data["grade"],
        disposition=data["disposition"],
        complete=data["complete"],
        customer_fault=data["customer_fault"],
        fault_found=data["fault_found"],
        notes=data["notes"],
        photos=[data["photo"]] if data.get("photo") else [],
        deductions=deductions,
    )
    return None


def _run_goodwill(request, case):
    form = GoodwillForm(request.POST, prefix="goodwill")
    if not form.is_valid():
        return {"goodwill": form}
    data = form.cleaned_data
    try:
        result = services.goodwill_request(
            case=case,
            actor=request.user,
            kind=data["kind"],
            amount=data["amount"] or 0,
            note=data["note"],
            token=data["token"],
        )
    except (services.CaseAmountInvalid, services.CaseAboveLimit) as exc:
        form.add_error("amount", str(exc))  # the reason next to the amount; the service rolled back
        return {"goodwill": form}
    return result if isinstance(result, ApprovalRequest) else None


def _run_message(request, case, *, internal: bool):
    form = MessageForm(request.POST, request.FILES, prefix="message")
    if not form.is_valid():
        return {"message": form}
    data = form.cleaned_data
    messaging.message_post(
        case=case, author=request.user, body=data["body"], internal=internal, attachment=data.get("attachment")
    )
    return None


def _run_canned(request, case):
    form = CannedReplyForm(request.POST, prefix="canned", replies=messaging_selectors.canned_replies_active())
    if not form.is_valid():
        return {"canned": form}
    messaging.canned_reply_apply(case=case, actor=request.user, reply=form.cleaned_data["reply"])
    return None


def _registry(*declared: AgentAction) -> dict[str, AgentAction]:
    actions = {}
    for action in declared:
        if action.name in actions:  # a second declaration would silently replace the first
            raise ValueError(f"Agent action {action.name!r} is declared twice.")
        actions[action.name] = action
    return actions


# In the order of the case page. The queue's bulk buttons follow this order; the case page's transition
# buttons and forms follow the workflow's order (see actions_for).
ACTIONS = _registry(
    AgentAction("retry_label", pgettext_lazy("action", "Make the label again"), _run_retry_label, transition=False),
    AgentAction("claim", pgettext_lazy("action", "Take this case"), _run_claim, transition=False),
    AgentAction("take_over", pgettext_lazy("action", "Take over this case"), _run_take_over, transition=False),
    AgentAction(
        "correct_address", pgettext_lazy("action", "Correct the return address"), _run_correct_address, transition=False
    ),
    AgentAction(
        "assign",
        pgettext_lazy("action", "Assign"),
        _run_assign,
        transition=False,
        bulk_label=pgettext_lazy("bulk action", "Assign"),
    ),
    AgentAction(
        "approve",
        pgettext_lazy("action", "Approve"),
        services.case_approve,
        bulk_label=pgettext_lazy("bulk action", "Approve the eligible ones"),
    ),
    AgentAction("reject", pgettext_lazy("action", "Reject"), services.case_reject, form=RejectForm),
    AgentAction(
        "request_info",
        pgettext_lazy("action", "Ask the customer"),
        services.case_request_info,
        form=RequestInfoForm,
    ),
    AgentAction("mark_in_transit", pgettext_lazy("action", "Mark as shipped"), services.case_mark_in_transit),
    AgentAction(
        "mark_received",
        pgettext_lazy("action", "Mark as received"),
        services.case_mark_received,
        bulk_label=pgettext_lazy("bulk action", "Mark as received"),
    ),
    AgentAction(
        "offer_partial_refund",
        pgettext_lazy("action", "Offer a partial refund"),
        services.case_offer_partial_refund,
        form=OfferForm,
    ),
    AgentAction("refund", pgettext_lazy("action", "Refund"), services.case_refund, form=RefundForm),
    AgentAction("credit", pgettext_lazy("action", "Give store credit"), services.case_credit),
    AgentAction("exchange", pgettext_lazy("action", "Send the exchange"), services.case_exchange, form=ExchangeForm),
    AgentAction("mark_repaired", pgettext_lazy("action", "Mark as repaired"), services.case_mark_repaired),
    AgentAction("replace", pgettext_lazy("action", "Send a replacement"), services.case_replace),
    AgentAction(
        "close",
        pgettext_lazy("action", "Close"),
        services.case_close,
        bulk_label=pgettext_lazy("bulk action", "Close"),
    ),
    AgentAction(
        "cancel",
        pgettext_lazy("action", "Cancel the return"),
        services.case_cancel,
        confirm=_lazy("Cancel return %(rma_number)s? The customer is told, and the return cannot be reopened."),
    ),
    AgentAction("escalate", pgettext_lazy("action", "Escalate to a supervisor"), services.case_escalate),
    AgentAction("deescalate", pgettext_lazy("action", "Send back to the queue"), services.case_deescalate),
    AgentAction("inspect", pgettext_lazy("action", "Save the inspection"), _run_inspect, transition=False),
    AgentAction("goodwill", pgettext_lazy("action", "Grant the goodwill gesture"), _run_goodwill, transition=False),
    AgentAction(
        "message",
        pgettext_lazy("action", "Send to the customer"),
        partial(_run_message, internal=False),
        transition=False,
    ),
    AgentAction(
        "note",
        pgettext_lazy("action", "Save as internal note"),
        partial(_run_message, internal=True),
        transition=False,
    ),
    AgentAction("canned", pgettext_lazy("action", "Send the canned reply"), _run_canned, transition=False),
)


def action_get(name: str) -> AgentAction | None:
    """The declared action of this name, or None: the name comes from a posted button and may be anything."""
    return ACTIONS.get(name)


def actions_for(case, user) -> list[AgentAction]:
    """The transitions this user may run on this case now, in the workflow's order (steps the system or the
    customer take excluded). Only the settlements that fit the case (``rules.settlements_fitting``), and on a
    case another agent holds only the steps anyone may take (``rules.takeover_needed``): the services refuse
    the others. A transition without a declaration fails here rather than go missing."""
    fitting = rules.settlements_fitting(rules.facts_from_case(case)) if case.status in SETTLEABLE else None
    return [
        ACTIONS[t.name]
        for t in case.get_available_user_status_transitions(user)
        if not t.custom.get("system")
        and not t.custom.get("customer")
        and not (fitting is not None and t.name in rules.SETTLEMENTS and t.name not in fitting)
        and not rules.takeover_needed(transition=t.name, assignee_id=case.assignee_id, actor_id=user.pk)
    ]


def held_by_other(case, user) -> bool:
    return case.assignee_id is not None and case.assignee_id != user.pk


def offers_for(case, user) -> list[AgentAction]:
    """The actions besides the workflow's transitions that move this case on for this user now: take over a case
    another agent holds, correct the return address and make the label again while an approved case has none."""
    offers = []
    if held_by_other(case, user) and case.is_open and services.can_work_cases(user):
        offers.append(ACTIONS["take_over"])
    if services.address_correctable(case, user):
        offers.append(ACTIONS["correct_address"])
    waiting_for_label = (
        case.status == CaseStatus.APPROVED and case.needs_shipment and getattr(case, "shipment", None) is None
    )
    if waiting_for_label and user.has_perm("rma.process_case"):
        offers.append(ACTIONS["retry_label"])
    return offers


def action_form(action: AgentAction, case, bound=None):
    """The form the case page shows for an offered action (bound after an error, else fresh, the address with
    the case's current one), or None for a plain button."""
    if bound is not None:
        return bound
    if action.name == "correct_address":
        return AddressForm(prefix=action.name, initial=services.case_return_address(case))
    return action.form(prefix=action.name) if action.form is not None else None


def bulk_actions_for(user) -> list[AgentAction]:
    """The bulk actions this user may start from the queue, in the registry's order."""
    return [
        action
        for action in ACTIONS.values()
        if action.bulk_label is not None and user.has_perm(services.BULK_PERMISSIONS[action.name])
    ]
