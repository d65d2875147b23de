"""The agent workspace: the case queue and one page per case with the actions allowed now."""

import datetime
import hashlib
from urllib.parse import quote

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.dates import format_timedelta
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from returns_portal import outbox
from returns_portal.formatting import babel_locale
from rma.cases import history, presenters, selectors, services
from rma.cases.models import ApprovalRequest, CaseKind, CaseStatus, InspectionPhoto, ReturnItem, ReturnItemPhoto
from rma.logistics import documents
from rma.messaging import selectors as messaging_selectors
from rma.messaging.models import Message
from rma.privacy import services as privacy
from rma.workspace import actions, case_page
from rma.workspace.forms import (
    SLA_LABELS,
    VIEW_LABELS,
    ApprovalDecisionForm,
    AssignForm,
    BulkForm,
    CannedReplyForm,
    GoodwillForm,
    InspectForm,
    MessageForm,
    QueueFilterForm,
)
from rma.workspace.home import queue_or_home


def _bulk_buttons(user) -> list[dict]:
    return [{"name": action.name, "label": action.bulk_label} for action in actions.bulk_actions_for(user)]


class _PageFormat:
    """Babel formatting for one page of rows, in the active language: the locale and its patterns are
    looked up once per page, and each distinct day and amount is formatted once (the output is that of
    ``ldatetime`` and ``money``, which do those lookups for every value)."""

    def __init__(self):
        self.locale = Locale.parse(babel_locale())
        self.glue = babel_dates.get_datetime_format("short", locale=self.locale).replace("'", "")
        self.date_pattern = babel_dates.get_date_format("short", locale=self.locale)
        self.time_pattern = babel_dates.get_time_format("short", locale=self.locale)
        self.days, self.amounts = {}, {}

    def datetime(self, value) -> str:
        value = timezone.localtime(value)
        day = value.date()
        date = self.days.get(day)
        if date is None:
            date = self.days[day] = self.date_pattern.apply(day, self.locale)
        time = self.time_pattern.apply(value.timetz(), self.locale, reference_date=day)
        return self.glue.replace("{0}", time).replace("{1}", date)

    def money(self, amount, currency) -> str:
        key = (amount, currency)  # shops sell many items at the same few prices
        if key not in self.amounts:
            self.amounts[key] = babel_numbers.format_currency(amount, currency, locale=self.locale)
        return self.amounts[key]


def _queue_rows(cases) -> list[dict]:
    """The page's rows with their display values worked out once per page, so the row template only prints."""
    fmt = _PageFormat()
    kinds, statuses = dict(CaseKind.choices), dict(presenters.status_choices_for_staff())
    languages = dict(settings.LANGUAGES)
    labels = {}  # lazy labels translated once per page, not once per row

    def label(choices, value):
        key = (id(choices), value)
        if key not in labels:
            labels[key] = str(choices.get(value, value))
        return labels[key]

    items = {}
    sla_labels = {state: str(SLA_LABELS[state]) for state in ("breached", "due_today")}  # "ok" needs no flag
    select = _("Select %(rma)s")
    url = reverse("agent:case_detail", args=["RMA"]).removesuffix("RMA/")  # reversed once, not once a row
    for case in cases:
        count = case["item_count"] or 0
        if count not in items:
            items[count] = ngettext("%(counter)s item", "%(counter)s items", count) % {"counter": count}
        first, last = case["assignee_first_name"], case["assignee_last_name"]
        case.update(
            url=f"{url}{quote(case['rma_number'], safe='')}/",
            select_label=select % {"rma": case["rma_number"]},
            language_label=label(languages, case["language"]),
            kind_label=label(kinds, case["kind"]),
            status_label=label(statuses, case["status"]),
            items_label=items[count],
            value_display=fmt.money(case["value"], case["currency"]) if case["value"] is not None else "",
            assignee_name=(f"{first} {last}".strip() or case["assignee_username"]) if case["assignee_id"] else "",
            sla_due_display=fmt.datetime(case["sla_due"]) if case["sla_due"] else "",
            sla_label=sla_labels.get(case["sla_state"], ""),
        )
    return cases


class _QueuePage:
    """What the queue page shows, worked out on first use.

    The whole page is kept by ``_render_queue``; its fragments (saved views with counts and the filters,
    the table, the bulk form) are also kept on their own, under ``head_key``, ``table_key`` and
    ``bulk_key``: the queue's generation (any change to a case starts a new one, see
    ``selectors.queue_changed``), the query string, the language and time zone, and, where the fragment
    depends on it, the agent. So the table rendered for one agent serves the others with the same query.
    A page or fragment served from the cache never reads these properties: no query for the list or
    the counts.
    """

    fragment_ttl = selectors.QUEUE_FRAGMENT_TTL

    def __init__(self, request, *, bulk_buttons, bulk_form=None):
        self.request, self._bulk_form = request, bulk_form
        generation = selectors.queue_generation()
        query = urlencode(sorted(request.GET.lists()), doseq=True)
        base = f"{generation}|{translation.get_language()}|{timezone.get_current_timezone_name()}|{query}"
        self.head_key = f"{base}|{request.user.pk}"  # the "mine" count is the agent's own
        mine = request.GET.get("view") == "mine"
        # The table is the same for every agent with the same query (and the tick boxes or not), but "mine".
        self.table_key = f"{base}|{bool(bulk_buttons)}|{request.user.pk if mine else ''}"
        # The bulk form, unless it comes back with errors: the same for every agent allowed the same actions.
        self.bulk_key = f"{generation}|{translation.get_language()}|{','.join(b['name'] for b in bulk_buttons)}"

    @property
    def bulk_form_has_errors(self) -> bool:
        return self._bulk_form is not None

    @cached_property
    def bulk_form(self):
        return self._bulk_form or BulkForm(agents=selectors.agent_users_for_pickers())

    @cached_property
    def form(self):
        return QueueFilterForm(
            self.request.GET, agents=selectors.agent_users_for_pickers(), regions=selectors.queue_regions()
        )

    @cached_property
    def filters(self):
        return self.form.filters()

    @cached_property
    def _after(self):
        return selectors.QueueCursor.decode(self.request.GET.get("after", ""))

    @cached_property
    def _before(self):
        return selectors.QueueCursor.decode(self.request.GET.get("before", ""))

    @cached_property
    def _page(self):
        return selectors.case_list_for_queue(
            filters=self.filters, user=self.request.user, after=self._after, before=self._before,
            limit=self.form.page_size(),
        )  # fmt: skip

    @cached_property
    def _query(self) -> dict:
        return {k: v for k, v in self.request.GET.items() if k not in {"after", "before", "view"} and v}

    @cached_property
    def tabs(self) -> list[dict]:
        counts = selectors.queue_view_counts(user=self.request.user)
        return [
            {
                "name": name,
                "label": label,
                "count": counts[name],
                "url": "?" + urlencode({**self._query, "view": name}),
                "current": name == self.filters.view,
            }
            for name, label in VIEW_LABELS.items()
        ]

    @cached_property
    def cases(self) -> list[dict]:
        return _queue_rows(self._page.cases)

    @cached_property
    def next_url(self) -> str:
        cursor = self._page.next_cursor
        return "?" + urlencode({**self._query, "view": self.filters.view, "after": cursor.encode()}) if cursor else ""

    @cached_property
    def previous_url(self) -> str:
        cursor = self._page.previous_cursor
        return "?" + urlencode({**self._query, "view": self.filters.view, "before": cursor.encode()}) if cursor else ""

    @cached_property
    def first_url(self) -> str:
        paged = self._after is not None or self._before is not None
        return "?" + urlencode({**self._query, "view": self.filters.view}) if paged else ""


def _queue_context(request, *, bulk_form=None) -> dict:
    bulk_buttons = _bulk_buttons(request.user)
    return {
        "queue": _QueuePage(request, bulk_buttons=bulk_buttons, bulk_form=bulk_form),
        "nobody": _("Nobody"),
        "bulk_buttons": bulk_buttons,
    }


_CSRF_SLOT = "\x1fcsrf\x1f"  # where the CSRF token goes in a cached page (a character no page holds)


def _render_queue(request, template: str, context: dict, *, queue: "_QueuePage"):
    """Render the queue, or serve it as rendered for the same agent, query and generation (two-phase:
    the page is kept with a slot for the CSRF token, filled with this request's token when served).

    The key holds everything the page shows: the fragments' keys (queue generation, query, language, time
    zone, agent), the agent's name and permission set (the header), and the template. A request with a
    flash message to show is rendered afresh and not kept.
    """
    if len(messages.get_messages(request)):
        return render(request, template, context)
    user = request.user
    permissions = ",".join(sorted(user.get_all_permissions())) if not user.is_superuser else "*"
    parts = (template, queue.head_key, queue.table_key, queue.bulk_key, user.get_full_name(), permissions)
    key = "rma:queue-page:" + hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
    page = cache.get(key)
    if page is not None:
        return HttpResponse(page.replace(_CSRF_SLOT, get_token(request)))
    token = context["csrf_token"] = get_token(request)  # the one token of this page, as the template shows it
    response = render(request, template, context)
    cache.set(key, response.content.decode().replace(token, _CSRF_SLOT), selectors.QUEUE_FRAGMENT_TTL)
    return response


@login_required
@queue_or_home
def queue(request):
    """The case queue: saved views with counts, filters, search, SLA order, keyset pages.

    A plain GET form and real links; with HTMX the filters and pages replace only the table.
    """
    context = _queue_context(request)
    template = (
        "rma/agent/queue.html#queue-table" if request.htmx and not request.htmx.boosted else "rma/agent/queue.html"
    )
    return _render_queue(request, template, context, queue=context["queue"])


@require_POST
@permission_required("rma.view_returncase")
def queue_bulk(request):
    """One bulk action over the ticked or pasted cases; the result page lists what was skipped and why."""
    action = request.POST.get("action", "")
    if action in services.BULK_PERMISSIONS and not request.user.has_perm(services.BULK_PERMISSIONS[action]):
        raise PermissionDenied
    form = BulkForm(request.POST, agents=selectors.agent_users())
    if not form.is_valid():
        return render(request, "rma/agent/queue.html", _queue_context(request, bulk_form=form), status=400)
    try:
        result = services.cases_bulk(
            actor=request.user, action=action, references=form.references(), assignee=form.cleaned_data["assignee"]
        )
    except services.CasePermissionDenied:
        raise PermissionDenied from None
    except services.CaseError as exc:
        form.add_error(None, str(exc))
        return render(request, "rma/agent/queue.html", _queue_context(request, bulk_form=form), status=400)
    selectors.queue_view_counts_forget()
    declared = actions.action_get(action)
    label = declared.bulk_label if declared is not None and declared.bulk_label is not None else action
    return render(request, "rma/agent/bulk_result.html", {"result": result, "label": label})


def _render_case(request, case, *, forms=None, status=200, preview=None):
    forms = forms or {}
    buttons, action_forms = [], []
    for action in actions.offers_for(case, request.user) + actions.actions_for(case, request.user):
        form = actions.action_form(action, case, forms.get(action.name))
        if form is not None:
            action_forms.append({"name": action.name, "label": action.label, "form": form})
        else:
            buttons.append(
                {"name": action.name, "label": action.label, "shortcut_attrs": case_page.shortcut_attrs(action.name)}
            )
    can_process = request.user.has_perm("rma.process_case")  # inspection: the warehouse works for every agent
    items = list(case.items.all())
    inspect_forms = []
    if case.status == CaseStatus.RECEIVED and can_process:
        for item in items:
            if item.status == ReturnItem.Status.RECEIVED:
                form = forms.get(f"inspect-{item.pk}") or InspectForm(prefix=f"inspect-{item.pk}")
                inspect_forms.append({"item": item, "form": form})
    goodwill_form = None
    if (
        can_process
        and case.status not in {CaseStatus.CLOSED, CaseStatus.CANCELLED}
        and not actions.held_by_other(case, request.user)  # money on a case someone holds: take it over first
    ):
        goodwill_form = forms.get("goodwill") or GoodwillForm(prefix="goodwill")
    return render(
        request,
        "rma/agent/case_detail.html",
        {
            "case": case,
            "items": items,
            # Assignments, messages and notes have their own places on the page (and never reach the customer).
            "events": [e for e in case.events.all() if e.kind not in selectors.STAFF_EVENT_KINDS],
            "assignment_events": [e for e in case.events.all() if e.kind == "assignment"],
            "shipment": getattr(case, "shipment", None),
            "refunds": case.refunds.all(),
            "history": history.customer_history_for_case(case=case),
            "sla_clock": case_page.sla_clock(case),
            "money": case_page.money_summary(case, items),
            "shortcuts": {name: key for name, (key, _label) in case_page.SHORTCUTS.items()},
            "shortcut_help": [(key, label) for key, label in case_page.SHORTCUTS.values()],
            "buttons": buttons,
            "action_forms": action_forms,
            "inspect_forms": inspect_forms,
            "goodwill_form": goodwill_form,
            "goodwill_left": services.goodwill_remaining(case, request.user) if goodwill_form else None,
            "amount_due": services.amount_due(case),
            "label_problems": [str(documents.DocumentError.from_dict(p)) for p in case.document_problems],
            "preview": preview,
            **_conversation_context(request, case, forms),
        },
        status=status,
    )


def _reply_form(form: MessageForm) -> MessageForm:
    """The reply box is where the "reply" shortcut puts the cursor (static/js/agent-case.js)."""
    key = case_page.SHORTCUTS["reply"][0]
    form.fields["body"].widget.attrs.update({"data-shortcut": key, "aria-keyshortcuts": key})
    return form


def _conversation_context(request, case, forms) -> dict:
    """Assignment, the message thread and the reply forms of the case page, for what this user may do."""
    user = request.user
    can_work = services.can_work_cases(user)
    can_assign = user.has_perm("rma.supervise_case")
    replies = messaging_selectors.canned_replies_active() if can_work else None
    return {
        # Writing to the customer of a case a colleague holds needs a takeover first; notes do not.
        "held_by_other": actions.held_by_other(case, user),
        "can_claim": can_work and case.assignee_id is None and case.is_open,
        "assign_form": (
            forms.get("assign")
            or AssignForm(prefix="assign", agents=selectors.agent_users(), initial={"assignee": case.assignee_id})
        )
        if can_assign
        else None,
        "thread": messaging_selectors.case_thread(case=case),
        "message_form": _reply_form(forms.get("message") or MessageForm(prefix="message")) if can_work else None,
        "canned_form": (forms.get("canned") or CannedReplyForm(prefix="canned", replies=replies)) if can_work else None,
    }


def _get_case(rma_number):
    case = selectors.case_get_for_agent(rma_number=rma_number)
    if case is None:
        raise Http404(_("No such return."))
    return case


@permission_required("rma.view_returncase")
def case_detail(request, rma_number):
    case = _get_case(rma_number)
    privacy.case_access_record(case=case, actor=request.user)  # the staff access log (docs/privacy.md)
    return _render_case(request, case)


def _run_form_action(request, case, action: actions.AgentAction):
    """Bind the action's form; on success call its service. Returns a form with errors, the approval request
    when the service sent it to a supervisor, or None."""
    form = action.form(request.POST, prefix=action.name)
    if not form.is_valid():
        return form
    try:
        result = action.run(case=case, actor=request.user, **form.cleaned_data)
    except (services.CaseInvalid, services.CaseAboveLimit) as exc:
        # Next to the field it is about, when the form has that field (the service rolled everything back).
        if not exc.field or exc.field not in form.fields:
            raise
        form.add_error(exc.field, str(exc))
        return form
    return result if isinstance(result, ApprovalRequest) else None


@require_POST
@permission_required("rma.view_returncase")
def case_action(request, rma_number):
    """One POST view for every action on a case, chosen by the button's name."""
    case = _get_case(rma_number)
    action = actions.action_get(request.POST.get("action", ""))
    if request.POST.get("seen_status") and request.POST["seen_status"] != case.status:
        messages.error(request, _("Someone else changed this case a moment ago. Here is its current state."))
        return _render_case(request, case, status=409)
    # Refused: a name nobody declared is a bad request; a declared transition not open to this user now is not theirs.
    if action is None or (action.transition and action not in actions.actions_for(case, request.user)):
        messages.error(request, _("This action is not possible for this case now."))
        return _render_case(request, case, status=400 if action is None else 403)
    if action.confirm and request.POST.get("confirmed") != "yes":
        question = action.confirm % {"rma_number": case.rma_number}
        return render(request, "rma/agent/confirm_action.html", {"case": case, "action": action, "question": question})
    try:
        if not action.transition:
            bad_forms = action.run(request, case)
        elif action.form is not None:
            outcome = _run_form_action(request, case, action)
            bad_forms = {action.name: outcome} if isinstance(outcome, BaseForm) else outcome
        else:
            action.run(case=case, actor=request.user)
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
    if isinstance(bad_forms, ApprovalRequest):
        messages.info(request, _("This is above your limit: it awaits a supervisor's approval."))
        return redirect("agent:case_detail", rma_number=rma_number)
    if bad_forms:
        # Fresh from the database: a service that refused may have moved the object in memory before rolling back.
        return _render_case(request, _get_case(rma_number), forms=bad_forms, status=400)
    selectors.queue_view_counts_forget()
    messages.success(request, _("Done: %(action)s.") % {"action": action.label})
    return redirect("agent:case_detail", rma_number=rma_number)


def _duration(value) -> str:
    return format_timedelta(value, locale=babel_locale(), threshold=1.1) if value is not None else "—"


@login_required
@permission_required("rma.supervise_case", raise_exception=True)
def supervisor(request):
    """The team at a glance: workload per agent, cases past or near their deadline, escalations, handling times."""
    overview = selectors.supervisor_overview()
    times = overview["times"]
    return render(
        request,
        "rma/agent/supervisor.html",
        {
            **overview,
            "decision_time": _duration(times["decision"]),
            "refund_time": _duration(times["refund"]),
            "sla_labels": SLA_LABELS,
        },
    )


@login_required
@permission_required("rma.supervise_case", raise_exception=True)
def stuck_work(request):
    """Side effects that stopped retrying (a declined refund, an email out of tries): see why, queue them again."""
    if request.method == "POST":
        kind, row_id = request.POST.get("kind", ""), request.POST.get("row", "")
        if kind not in outbox.KINDS or not row_id.isdigit():
            messages.error(request, _("Choose an item of the list."))
        else:
            try:
                outbox.retry(kind=kind, row_id=int(row_id), actor=request.user)
            except ObjectDoesNotExist:
                messages.error(request, _("Choose an item of the list."))
            except services.CaseError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Queued again: it is tried at once."))
        return redirect("agent:stuck_work")
    return render(request, "rma/agent/stuck_work.html", {"rows": outbox.parked_rows(), "backlog": _backlog_rows()})


@login_required
@permission_required("rma.supervise_case", raise_exception=True)
def approvals(request):
    """Four eyes: requests above an agent's limit, each approved or declined with a reason."""
    if request.method == "POST":
        form = ApprovalDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for your decision."))
            return redirect("agent:approvals")
        approval = selectors.approvals_pending().filter(pk=form.cleaned_data["approval"]).first()
        if approval is None:
            messages.error(request, _("This request has already been decided."))
            return redirect("agent:approvals")
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.approval_decide(
                approval=approval, actor=request.user, approve=approve, reason=form.cleaned_data["reason"]
            )
        except services.CaseError as exc:
            messages.error(request, str(exc))
        else:
            selectors.queue_view_counts_forget()
            messages.success(request, _("Approved: the money moves now.") if approve else _("Declined."))
        return redirect("agent:approvals")
    return render(request, "rma/agent/approvals.html", {"approvals": selectors.approvals_pending()})


def _backlog_rows() -> list[dict]:
    labels = {name: kind.label for name, kind in outbox.KINDS.items()}
    return [
        {**row, "label": labels[row["kind"]], "oldest": _duration(datetime.timedelta(seconds=row["oldest_seconds"]))}
        for row in outbox.backlog()
    ]


@permission_required("rma.view_returncase")
def case_reply_preview(request, rma_number):
    """A canned reply as the customer would read it, before the agent sends it: the partial with HTMX, the
    case page with the preview in place without JavaScript."""
    case = _get_case(rma_number)
    if not services.can_work_cases(request.user):
        raise PermissionDenied
    form = CannedReplyForm(request.GET, prefix="canned", replies=messaging_selectors.canned_replies_active())
    if not form.is_valid():
        if request.htmx:
            return render(request, "rma/agent/_case_reply.html#canned-preview", {"case": case, "preview": None})
        return _render_case(request, case, forms={"canned": form}, status=400)
    preview = case_page.reply_preview(case=case, reply=form.cleaned_data["reply"])
    if request.htmx:
        return render(request, "rma/agent/_case_reply.html#canned-preview", {"case": case, "preview": preview})
    privacy.case_access_record(case=case, actor=request.user)  # the whole case page again (docs/privacy.md)
    return _render_case(request, case, forms={"canned": form}, preview=preview)


@permission_required("rma.view_returncase")
def case_next(request, rma_number):
    """The agent's next case after this one (their own by deadline, else the most urgent unassigned)."""
    case = history.case_next_for_agent(user=request.user, after=rma_number)
    if case is None:
        messages.info(request, _("No other case waits for you."))
        return redirect("agent:queue")
    return redirect("agent:case_detail", rma_number=case)


@permission_required("rma.view_returncase")
def case_file(request, rma_number, kind, pk):
    """A photo sent by the customer or taken at inspection, or a file attached to a message: for staff only."""
    case = _get_case(rma_number)
    if kind == "message":
        message = Message.objects.filter(pk=pk, case=case).exclude(attachment="").first()
        if message is None:
            raise Http404(_("No such file."))
        # A PDF is only ever downloaded, never shown inside the workspace's origin.
        return FileResponse(message.attachment.open("rb"), as_attachment=not message.attachment_is_image)
    if kind == "claim":
        photo = ReturnItemPhoto.objects.filter(pk=pk, item__case=case).first()
        file = photo.image if photo else None
    elif kind == "inspection":
        photo = InspectionPhoto.objects.filter(pk=pk, inspection__item__case=case).first()
        file = photo.image if photo else None
    else:
        file = None
    if not file:
        raise Http404(_("No such file."))
    return FileResponse(file.open("rb"))
