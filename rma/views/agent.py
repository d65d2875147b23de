"""The agent workspace: the case queue and one page per case with the actions allowed now."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ExchangeForm, GoodwillForm, InspectForm, OfferForm, RefundForm, RejectForm, RequestInfoForm
from ..models import CaseStatus, ReturnItem

ACTION_LABELS = {
    "approve": pgettext_lazy("action", "Approve"),
    "reject": pgettext_lazy("action", "Reject"),
    "request_info": pgettext_lazy("action", "Ask the customer"),
    "mark_in_transit": pgettext_lazy("action", "Mark as shipped"),
    "mark_received": pgettext_lazy("action", "Mark as received"),
    "offer_partial_refund": pgettext_lazy("action", "Offer a partial refund"),
    "refund": pgettext_lazy("action", "Refund"),
    "credit": pgettext_lazy("action", "Give store credit"),
    "exchange": pgettext_lazy("action", "Send the exchange"),
    "mark_repaired": pgettext_lazy("action", "Mark as repaired"),
    "replace": pgettext_lazy("action", "Send a replacement"),
    "close": pgettext_lazy("action", "Close"),
    "cancel": pgettext_lazy("action", "Cancel the return"),
    "escalate": pgettext_lazy("action", "Escalate to a supervisor"),
    "deescalate": pgettext_lazy("action", "Send back to the queue"),
    "inspect": pgettext_lazy("action", "Save the inspection"),
    "goodwill": pgettext_lazy("action", "Grant the goodwill gesture"),
}
# Actions that need more than a click: their form class.
ACTION_FORMS = {
    "reject": RejectForm,
    "request_info": RequestInfoForm,
    "offer_partial_refund": OfferForm,
    "refund": RefundForm,
    "exchange": ExchangeForm,
}


def _actions_for(case, user) -> list[str]:
    """The transitions this user may run on this case now (steps the system or the customer take excluded)."""
    return [
        t.name
        for t in case.get_available_user_status_transitions(user)
        if not t.custom.get("system") and not t.custom.get("customer")
    ]


@permission_required("rma.view_returncase")
def queue(request):
    status = request.GET.get("status") or ""
    if status and status not in CaseStatus.values:
        status = ""
    cases = selectors.case_list_for_queue(status=status or None)
    return render(request, "rma/agent/queue.html", {"cases": cases, "status": status, "statuses": CaseStatus.choices})


def _render_case(request, case, *, forms=None, status=200):
    names = _actions_for(case, request.user)
    forms = forms or {}
    buttons, action_forms = [], []
    for name in names:
        if name in ACTION_FORMS:
            form = forms.get(name) or ACTION_FORMS[name](prefix=name)
            action_forms.append({"name": name, "label": ACTION_LABELS[name], "form": form})
        else:
            buttons.append({"name": name, "label": ACTION_LABELS[name]})
    can_process = request.user.has_perm("rma.process_case")
    inspect_forms = []
    if case.status == CaseStatus.RECEIVED and can_process:
        for item in case.items.all():
            if item.status == ReturnItem.Status.RECEIVED:
                form = forms.get(f"inspect-{item.pk}") or InspectForm(prefix=f"inspect-{item.pk}")
                inspect_forms.append({"item": item, "form": form})
    goodwill_form = None
    if can_process and case.status not in {CaseStatus.CLOSED, CaseStatus.CANCELLED}:
        goodwill_form = forms.get("goodwill") or GoodwillForm(prefix="goodwill")
    return render(
        request,
        "rma/agent/case_detail.html",
        {
            "case": case,
            "items": case.items.all(),
            "events": case.events.all(),
            "shipment": getattr(case, "shipment", None),
            "refunds": case.refunds.all(),
            "history": selectors.customer_history(customer=case.customer, exclude=case),
            "buttons": buttons,
            "action_forms": action_forms,
            "inspect_forms": inspect_forms,
            "goodwill_form": goodwill_form,
            "goodwill_limit": services.goodwill_limit(case, request.user) if goodwill_form else None,
            "amount_due": services.amount_due(case),
        },
        status=status,
    )


def _get_case(rma_number):
    case = selectors.case_get_for_agent(rma_number=rma_number)
    if case is None:
        raise Http404(_("No such return."))
    return case


@permission_required("rma.view_returncase")
def case_detail(request, rma_number):
    return _render_case(request, _get_case(rma_number))


def _run_form_action(request, case, action):
    """Bind the action's form; on success call its service. Returns a form with errors, or None."""
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    if action == "reject":
        services.case_reject(case=case, actor=request.user, reason=data["reason"])
    elif action == "request_info":
        services.case_request_info(case=case, actor=request.user, question=data["question"])
    elif action == "offer_partial_refund":
        services.case_offer_partial_refund(case=case, actor=request.user, amount=data["amount"], reason=data["reason"])
    elif action == "refund":
        services.case_refund(case=case, actor=request.user, amount=data["amount"], kind=data["kind"])
    elif action == "exchange":
        services.case_exchange(
            case=case, actor=request.user, description=data["description"], price_difference=data["price_difference"]
        )
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
    services.compensation_grant(
        case=case,
        actor=request.user,
        kind=data["kind"],
        amount=data["amount"] or 0,
        note=data["note"],
        token=data["token"],
    )
    return None


@require_POST
@permission_required("rma.view_returncase")
def case_action(request, rma_number):
    """One POST view for every action on a case, chosen by the button's name."""
    case = _get_case(rma_number)
    action = request.POST.get("action", "")
    if request.POST.get("seen_status") and request.POST["seen_status"] != case.status:
        messages.error(request, _("Someone else changed this case a moment ago. Here is its current state."))
        return _render_case(request, case, status=409)
    special = {"inspect": _run_inspect, "goodwill": _run_goodwill}
    if action not in special and action not in _actions_for(case, request.user):
        messages.error(request, _("This action is not possible for this case now."))
        return _render_case(request, case, status=403 if action in ACTION_LABELS else 400)
    try:
        if action in special:
            bad_forms = special[action](request, case)
        elif action in ACTION_FORMS:
            form = _run_form_action(request, case, action)
            bad_forms = {action: form} if form is not None else None
        else:
            services.AGENT_ACTIONS[action](case=case, actor=request.user)
            bad_forms = None
    except services.CaseConflict as exc:
        messages.error(request, str(exc))
        return _render_case(request, _get_case(rma_number), status=409)
    except services.CasePermissionDenied as exc:
        messages.error(request, str(exc))
        return _render_case(request, _get_case(rma_number), status=403)
    except services.CaseError as exc:
        messages.error(request, str(exc))
        return _render_case(request, _get_case(rma_number), status=400)
    if bad_forms:
        return _render_case(request, case, forms=bad_forms, status=400)
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("agent:case_detail", rma_number=rma_number)
