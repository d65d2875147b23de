"""The agent workspace: the case queue and one page per case with the actions allowed now."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import RejectForm
from ..models import CaseStatus

ACTION_LABELS = {
    "approve": pgettext_lazy("action", "Approve"),
    "reject": pgettext_lazy("action", "Reject"),
    "mark_in_transit": pgettext_lazy("action", "Mark as shipped"),
    "mark_received": pgettext_lazy("action", "Mark as received"),
    "refund": pgettext_lazy("action", "Refund"),
    "close": pgettext_lazy("action", "Close"),
    "cancel": pgettext_lazy("action", "Cancel the return"),
}


def _actions_for(case, user) -> list[dict]:
    """The transitions this user may run on this case now, as buttons (system steps excluded)."""
    actions = []
    for t in case.get_available_user_status_transitions(user):
        if t.custom.get("system"):
            continue
        actions.append({"name": t.name, "label": ACTION_LABELS[t.name]})
    return actions


@permission_required("rma.view_returncase")
def queue(request):
    status = request.GET.get("status") or ""
    if status and status not in CaseStatus.values:
        status = ""
    cases = selectors.case_list_for_queue(status=status or None)
    return render(request, "rma/agent/queue.html", {"cases": cases, "status": status, "statuses": CaseStatus.choices})


def _render_case(request, case, *, reject_form=None, status=200):
    return render(
        request,
        "rma/agent/case_detail.html",
        {
            "case": case,
            "items": case.items.all(),
            "events": case.events.all(),
            "shipment": getattr(case, "shipment", None),
            "refund": case.refunds.first(),
            "actions": _actions_for(case, request.user),
            "reject_form": reject_form or RejectForm(),
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


@require_POST
@permission_required("rma.view_returncase")
def case_action(request, rma_number):
    """One POST view for every action on a case, chosen by the button's name."""
    case = _get_case(rma_number)
    action = request.POST.get("action", "")
    if request.POST.get("seen_status") and request.POST["seen_status"] != case.status:
        messages.error(request, _("Someone else changed this case a moment ago. Here is its current state."))
        return _render_case(request, case, status=409)
    allowed = {a["name"] for a in _actions_for(case, request.user)}
    if action not in allowed:
        messages.error(request, _("This action is not possible for this case now."))
        return _render_case(request, case, status=403 if action in ACTION_LABELS else 400)
    try:
        if action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                return _render_case(request, case, reject_form=form, status=400)
            services.case_reject(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        else:
            services.AGENT_ACTIONS[action](case=case, actor=request.user)
    except services.CaseConflict as exc:
        messages.error(request, str(exc))
        return _render_case(request, _get_case(rma_number), status=409)
    except services.CaseError as exc:
        messages.error(request, str(exc))
        return _render_case(request, _get_case(rma_number), status=400)
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("agent:case_detail", rma_number=rma_number)
