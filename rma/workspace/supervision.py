"""Supervisor pages of the workspace: the team's availability, languages and regions; the audit trail export."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rma.cases import audit, selectors, services
from rma.cases.models import AgentProfile, CaseStatus
from rma.workspace.forms import AgentProfileForm, AuditExportForm


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


def _team_forms(data=None) -> list[dict]:
    regions = selectors.queue_regions()
    profiles = {p.user_id: p for p in AgentProfile.objects.all()}
    default_limit = AgentProfile._meta.get_field("max_open_cases").default
    rows = []
    for user in selectors.agent_users():
        profile = profiles.get(user.pk)
        initial = {
            "agent": user.pk,
            "available": profile.available if profile else False,
            "languages": profile.languages if profile else [],
            "regions": profile.regions if profile else [],
            "max_open_cases": profile.max_open_cases if profile else default_limit,
        }
        prefix = f"agent-{user.pk}"
        bound = data is not None and data.get(f"{prefix}-agent") == str(user.pk)
        form = AgentProfileForm(data if bound else None, prefix=prefix, initial=initial, regions=regions)
        rows.append({"user": user, "name": _who(user), "form": form, "bound": bound})
    return rows


@login_required
@permission_required("rma.supervise_case", raise_exception=True)
def team(request):
    """Who takes cases in automatic assignment: availability, languages, regions, open-case limit per agent; and
    a button that gives the waiting cases to those available now."""
    if request.method == "POST" and request.POST.get("action") == "assign_waiting":
        count = services.cases_auto_assign_waiting()
        selectors.queue_view_counts_forget()
        messages.success(request, _("Cases given to available agents: %(count)s.") % {"count": count})
        return redirect("agent:team")
    rows = _team_forms(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        row = next((row for row in rows if row["bound"]), None)
        if row is None:
            messages.error(request, _("Choose an agent of the list."))
            return redirect("agent:team")
        form = row["form"]
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.agent_profile_set(
                    actor=request.user, user=row["user"], available=data["available"], languages=data["languages"],
                    regions=data["regions"], max_open_cases=data["max_open_cases"],
                )  # fmt: skip
            except services.CaseError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved for %(name)s.") % {"name": row["name"]})
                return redirect("agent:team")
        return render(request, "rma/agent/team.html", {"rows": rows}, status=400)
    return render(request, "rma/agent/team.html", {"rows": rows, "waiting": selectors.unassigned_open_count()})


def _audit_rows(start, end, *, language: str, zone):
    """The CSV's lines, header first, in the request's language and time zone (each row is formatted as it
    streams, after the view has returned: the language and zone are set again here)."""
    with translation.override(language), timezone.override(zone):
        yield from _audit_lines(start, end)


def _audit_lines(start, end):
    statuses = dict(CaseStatus.choices)
    yield [
        _("Time"), _("RMA number"), _("Event"), _("What happened"), _("By"), _("Role"), _("From status"),
        _("To status"), _("Amount"), _("Currency"),
    ]  # fmt: skip
    for row in audit.audit_events(start=start, end=end):
        currency = row.data.get("currency") or (row.case.currency if row.data.get("amount") else "")
        yield [
            timezone.localtime(row.created_at).isoformat(timespec="seconds"),
            row.case.rma_number,
            row.get_kind_display(),
            row.headline,
            _who(row.actor) if row.actor else "",
            row.actor_role,
            str(statuses.get(row.from_status, "")) if row.from_status else "",
            str(statuses.get(row.to_status, "")) if row.to_status else "",
            audit.currency_amount(row.data.get("amount"), currency),
            currency if row.data.get("amount") else "",
        ]


class _Echo:
    def write(self, value):
        return value


@login_required
@permission_required("rma.supervise_case", raise_exception=True)
def audit_export(request):
    """Every timeline row of every case in a period, as CSV, streamed (the page asks for the period first)."""
    form = AuditExportForm(request.GET or None)
    if not request.GET or not form.is_valid():
        return render(request, "rma/agent/audit.html", {"form": form}, status=400 if request.GET else 200)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (
            writer.writerow(line)
            for line in _audit_rows(
                start, end, language=translation.get_language(), zone=timezone.get_current_timezone()
            )
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv"'
    return response
