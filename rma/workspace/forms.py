"""Forms of the agent workspace: queue filters, bulk actions, assignment, messages, canned replies, case actions."""

import uuid

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from policies.explain import region_label
from policies.taxonomy import Reason
from rma.cases import photos, presenters, selectors
from rma.cases.models import CaseKind, Compensation, DeductionReason, Inspection, Refund
from rma.logistics import documents
from rma.messaging.models import CannedReply

VIEW_LABELS = {
    "open": _("All open"),
    "mine": _("Mine"),
    "unassigned": _("Unassigned"),
    "breaching_today": _("Breaching today"),
    "escalated": pgettext_lazy("queue view", "Escalated"),
}
SLA_LABELS = {
    "breached": _("Deadline missed"),
    "due_today": _("Due today"),
    "ok": _("On time"),
}
ANY = [("", pgettext_lazy("filter", "Any"))]


# The queue page draws a dozen fields and two agent pickers on every request. Django's widget templates
# cost a template include per option and per attribute list; these widgets write the same markup in Python.
class _QuickInputMixin:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, flatatt(widget["attrs"])
        )


class _QuickTextInput(_QuickInputMixin, forms.TextInput):
    pass


class _QuickNumberInput(_QuickInputMixin, forms.NumberInput):
    pass


class _QuickHiddenInput(_QuickInputMixin, forms.HiddenInput):
    pass


class _QuickTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', widget["name"], flatatt(widget["attrs"]), widget["value"] or ""
        )


class _QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", label) for key, label in self.choices),
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, attrs, options)


_STATIC_CHOICES = ("status", "kind", "language", "reason", "sla", "sort")
_TRANSLATED_CHOICES: dict[tuple[str, str], list] = {}


def _translated_choices(field, name: str, language: str) -> list:
    """A fixed choice list with its labels translated once per language (the process's lifetime), rather
    than every lazy label on every request."""
    key = (name, language)
    if key not in _TRANSLATED_CHOICES:
        _TRANSLATED_CHOICES[key] = [(value, str(label)) for value, label in field.choices]
    return _TRANSLATED_CHOICES[key]


class QueueFilterForm(forms.Form):
    """The queue's filters as a plain GET form; invalid values are ignored rather than refused."""

    view = forms.ChoiceField(choices=list(VIEW_LABELS.items()), required=False, widget=_QuickHiddenInput)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=254,
        widget=_QuickTextInput(
            attrs={"type": "search", "placeholder": _("Name, email, RMA, order or tracking number (or part of it)")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + presenters.status_choices_for_staff(), widget=_QuickSelect
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + CaseKind.choices, widget=_QuickSelect)
    region = forms.ChoiceField(label=_("Region"), required=False, widget=_QuickSelect)
    country = forms.CharField(
        label=_("Country"), required=False, max_length=6, widget=_QuickTextInput(attrs={"size": 4})
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + list(settings.LANGUAGES), widget=_QuickSelect
    )
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=ANY + Reason.choices, widget=_QuickSelect)
    sla = forms.ChoiceField(
        label=_("Deadline"), required=False, choices=ANY + list(SLA_LABELS.items()), widget=_QuickSelect
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=_QuickSelect)
    value_min = forms.DecimalField(
        label=_("Value from"), required=False, min_value=0, max_digits=12, widget=_QuickNumberInput
    )
    value_max = forms.DecimalField(
        label=_("Value up to"), required=False, min_value=0, max_digits=12, widget=_QuickNumberInput
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("sla", _("Deadline, soonest first")),
            ("newest", _("Filed, newest first")),
            ("oldest", _("Filed, oldest first")),
        ],
        widget=_QuickSelect,
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        widget=_QuickSelect,
        coerce=int,
        empty_value=selectors.QUEUE_DEFAULT_PAGE_SIZE,
        choices=[(n, n) for n in selectors.QUEUE_PAGE_SIZES],
    )

    def __init__(self, *args, agents, regions, **kwargs):
        super().__init__(*args, **kwargs)
        language = translation.get_language()
        for name in _STATIC_CHOICES:
            self.fields[name].choices = _translated_choices(self.base_fields[name], name, language)
        # Cached as stored (code, name); named here in the agent's language.
        self.fields["region"].choices = [*ANY, *((code, region_label(code, name)) for code, name in regions)]
        self.fields["assignee"].choices = [
            *ANY,
            ("none", _("Nobody")),
            *((str(user.pk), user.get_full_name() or user.get_username()) for user in agents),
        ]

    def clean_q(self):
        """A scanned drop-off QR value (the label's, or the customer's phone) searches for its return."""
        q = (self.cleaned_data.get("q") or "").strip()
        try:
            return documents.dropoff_code_verify(q) if ":" in q else q
        except documents.DropOffCodeInvalid:
            return q

    def filters(self) -> selectors.QueueFilters:
        self.is_valid()
        data = self.cleaned_data  # the valid fields only: a half-wrong query keeps whatever is right in it
        assignee = data.get("assignee") or None
        return selectors.QueueFilters(
            view=data.get("view") or "open",
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            region=data.get("region") or "",
            country=(data.get("country") or "").strip().upper(),
            language=data.get("language") or "",
            reason=data.get("reason") or "",
            sla=data.get("sla") or "",
            assignee=assignee if assignee in (None, "none") else int(assignee),
            value_min=data.get("value_min"),
            value_max=data.get("value_max"),
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "sla",
        )

    def page_size(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("per_page") or selectors.QUEUE_DEFAULT_PAGE_SIZE


class _ListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [str(v) for v in value or []]


class BulkForm(forms.Form):
    """The cases ticked in the queue and/or RMA or tracking numbers pasted or scanned, one per line."""

    case = _ListField(required=False)  # RMA numbers of the ticked rows; the service says which it found
    numbers = forms.CharField(
        label=_("Or paste or scan RMA or tracking numbers, one per line"),
        required=False,
        max_length=20000,
        widget=_QuickTextarea(attrs={"rows": 3}),
    )
    assignee = forms.TypedChoiceField(
        label=_("Assign to"), required=False, coerce=int, empty_value=None, widget=_QuickSelect
    )

    def __init__(self, *args, agents, **kwargs):
        # Its own ids: the queue's filter form, on the same page, has an "assignee" field too.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        # Choices from the agents the queue page has already loaded: no second query for the same list.
        self.agents = {user.pk: user for user in agents}
        self.fields["assignee"].choices = [
            ("", "—"),
            *((user.pk, user.get_full_name() or user.get_username()) for user in self.agents.values()),
        ]

    def clean_assignee(self):
        pk = self.cleaned_data.get("assignee")
        return self.agents.get(pk) if pk is not None else None

    def references(self) -> list[str]:
        from rma.cases.services import references_parse

        return references_parse("\n".join([*self.cleaned_data.get("case", []), self.cleaned_data.get("numbers", "")]))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), required=False, queryset=None, empty_label=_("Nobody"))

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message or internal note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_("A photo (JPEG, PNG, WebP, HEIC) or a PDF document, up to 10 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,.heic,application/pdf"}),
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return photos.staff_attachment_clean(upload) if upload else None


class CannedReplyForm(forms.Form):
    reply = forms.ModelChoiceField(label=_("Canned reply"), queryset=CannedReply.objects.none())

    def __init__(self, *args, replies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = replies


class AddressForm(forms.Form):
    """The address a parcel leaves from, as the label prints it (field names are the service's parameters)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.RegexField(
        label=_("Country (two-letter code)"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        error_messages={"invalid": _("Enter the two-letter country code, for example IT.")},
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason the customer will read"), widget=forms.Textarea(attrs={"rows": 3}))


class RequestInfoForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the customer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class InspectForm(forms.Form):
    grade = forms.ChoiceField(label=_("Condition"), choices=Inspection.Grade.choices)
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Inspection.Disposition.choices)
    complete = forms.BooleanField(label=_("Complete, with all parts"), required=False, initial=True)
    customer_fault = forms.BooleanField(label=_("Damage caused by the customer"), required=False)
    fault_found = forms.BooleanField(label=_("The reported fault is confirmed"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("Photo"), required=False)
    deduction_reason = forms.ChoiceField(
        label=_("Deduction"), required=False, choices=[("", _("No deduction")), *DeductionReason.choices]
    )
    deduction_amount = forms.DecimalField(
        label=_("Deduction amount"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deduction_reason") and not cleaned.get("deduction_amount"):
            self.add_error("deduction_amount", gettext("Enter the amount of the deduction."))
        if cleaned.get("deduction_amount") and not cleaned.get("deduction_reason"):
            self.add_error("deduction_reason", gettext("Choose the reason for the deduction."))
        return cleaned


class OfferForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount offered"), min_value=0, max_digits=12, decimal_places=2)
    reason = forms.ChoiceField(label=_("Reason"), choices=DeductionReason.choices)


class RefundForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Refund.Kind.REFUND, Refund.Kind.REFUND.label), (Refund.Kind.PRICE_REDUCTION,
                                                                   Refund.Kind.PRICE_REDUCTION.label)],
    )  # fmt: skip
    amount = forms.DecimalField(label=_("Amount (empty: everything due)"), required=False, max_digits=12)
    reason = forms.CharField(
        label=_("Reason, when paying more than is due"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExchangeForm(forms.Form):
    """Left empty for an exchange chosen from the catalogue: the chosen variants and their price difference."""

    description = forms.CharField(
        label=_("What is sent to the customer"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to send the variant the customer chose from the catalogue."),
    )
    price_difference = forms.DecimalField(
        label=_("Price difference (positive: the customer pays, negative: we refund)"),
        max_digits=12,
        required=False,
        help_text=_("Leave empty for the catalogue's price difference (or none)."),
    )


class GoodwillForm(forms.Form):
    kind = forms.ChoiceField(label=_("Goodwill gesture"), choices=Compensation.Kind.choices)
    amount = forms.DecimalField(label=_("Amount"), required=False, max_digits=12)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    token = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)


class AgentProfileForm(forms.Form):
    """What one agent takes in automatic assignment, set by a supervisor (field names are the service's)."""

    agent = forms.IntegerField(widget=forms.HiddenInput)
    available = forms.BooleanField(label=_("Available for new cases"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages read"), required=False, choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions (none ticked: every region)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    max_open_cases = forms.IntegerField(label=_("Open cases at most"), min_value=1, max_value=1000)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = list(regions)


class AuditExportForm(forms.Form):
    """The period of the audit trail to export, both days included."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", gettext("The end of the period is before its start."))
        return cleaned


class ApprovalDecisionForm(forms.Form):
    """A supervisor's decision on one approval request; the button pressed says which."""

    approval = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason for your decision"), max_length=1000)
