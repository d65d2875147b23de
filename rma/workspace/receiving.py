"""The warehouse bench: the receiving station (scan to receive) and the printable sheet of a case."""

import json

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from policies.models import ReturnCenter
from rma.cases import selectors
from rma.cases.services.errors import CaseError
from rma.logistics import documents, receiving
from rma.logistics.documents.codes import svg_data_uri
from rma.privacy import services as privacy

# This browser session's scans at the bench: counts and the latest results, newest first.
SESSION_KEY = "rma:receiving"
RECENT_KEPT = 12


class ScanForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Scan or type the RMA number, the tracking number or the drop-off QR code"),
        max_length=300,
        error_messages={"required": gettext_lazy("Scan or type a code first.")},
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    center = forms.ModelChoiceField(
        label=gettext_lazy("Return centre"),
        queryset=ReturnCenter.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("Any return centre"),
    )


def _centers():
    return ScanForm.base_fields["center"].queryset


def _center_from(value) -> ReturnCenter | None:
    return _centers().filter(pk=value).first() if str(value or "").isdigit() else None


def _session(request) -> dict:
    return request.session.get(SESSION_KEY) or {"received": 0, "refused": 0, "recent": []}


def _remember(request, entry: dict) -> dict:
    state = _session(request)
    state["received" if entry["ok"] else "refused"] += 1
    state["recent"] = [entry, *state["recent"]][:RECENT_KEPT]
    request.session[SESSION_KEY] = state
    return state


def _context(request, *, form=None, center=None) -> dict:
    state = _session(request)
    center = center if center is not None else _center_from(request.GET.get("center"))
    return {
        "form": form or ScanForm(initial={"center": center}),
        "center": center,
        "state": state,
        "latest": state["recent"][0] if state["recent"] else None,
    }


@permission_required("rma.process_case")
def receive_station(request):
    """The page of the bench: a scan field that a keyboard-wedge scanner types into, then Enter.

    Without JavaScript the form posts and the page comes back with the result; with HTMX only the result
    panel is replaced, and the scan field keeps the focus for the next parcel.
    """
    return render(request, "rma/agent/receive.html", _context(request))


@require_POST
@permission_required("rma.process_case")
def receive_scan(request):
    """One scan: receive the parcel it points to, or say why not (nothing changes then)."""
    form = ScanForm(request.POST)
    center = _center_from(request.POST.get("center"))
    if not form.is_valid():
        if request.htmx:
            return render(request, "rma/agent/receive.html#scan-result", _context(request, form=form, center=center))
        return render(request, "rma/agent/receive.html", _context(request, form=form, center=center), status=400)
    data = form.cleaned_data
    try:
        result = receiving.parcel_receive_scan(code=data["code"], actor=request.user, center=data["center"])
    except CaseError as exc:
        entry = {"ok": False, "message": str(exc), "rma": ""}
    else:
        case = result.case
        selectors.queue_view_counts_forget()
        entry = {
            "ok": True,
            "rma": case.rma_number,
            "message": _("Return %(rma)s received.") % {"rma": case.rma_number},
        }
    _remember(request, entry)
    if request.htmx:
        response = render(request, "rma/agent/receive.html#scan-result", _context(request, center=center))
        response["HX-Trigger"] = json.dumps({"scan-result": "ok" if entry["ok"] else "refused"})  # static/js/receive.js
        return response
    query = f"?{urlencode({'center': center.pk})}" if center else ""
    return redirect(reverse("agent:receive") + query)


@require_POST
@permission_required("rma.process_case")
def receive_reset(request):
    """Start a new session at the bench: the counts start again from zero (nothing else changes)."""
    request.session.pop(SESSION_KEY, None)
    center = _center_from(request.POST.get("center"))
    return redirect(reverse("agent:receive") + (f"?{urlencode({'center': center.pk})}" if center else ""))


@permission_required("rma.view_returncase")
def case_print(request, rma_number):
    """The case on paper: what the customer sent and asked for, the parcel, the inspection, the timeline."""
    case = selectors.case_get_for_agent(rma_number=rma_number)
    if case is None:
        raise Http404(_("No such return."))
    privacy.case_access_record(case=case, actor=request.user)  # printing is reading (docs/privacy.md)
    shipment = getattr(case, "shipment", None)
    return render(
        request,
        "rma/agent/case_print.html",
        {
            "case": case,
            "items": case.items.all(),
            "shipment": shipment,
            "events": [e for e in case.events.all() if e.kind not in selectors.STAFF_EVENT_KINDS],
            # The RMA number as a barcode: the sheet travels with the parcel and scans at the bench.
            "barcode": svg_data_uri(documents.code128_svg(case.rma_number)),
        },
    )
