"""Forms of the customer portal: order lookup, the return request, messages, preferences, survey."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from policies.taxonomy import Reason, ReturnMethod
from policies.taxonomy import Resolution as InSentence
from returns_portal.formatting import format_list
from rma.cases import photos
from rma.cases.models import Resolution
from rma.cases.services.cases import PHOTO_REASONS, PROBLEM_REASONS
from rma.portal.exchange import exchange_field_add, exchange_variant


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to six photos, each decoded and re-encoded without metadata (rma.cases.photos)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > photos.MAX_PER_ITEM:
            raise forms.ValidationError(
                gettext("You can add at most %(count)s photos.") % {"count": photos.MAX_PER_ITEM}
            )
        return [photos.photo_clean(f) for f in files]


class OrderLookupForm(forms.Form):
    order_number = forms.CharField(label=_("Order number"), max_length=40)
    email = forms.EmailField(label=_("Email address used for the order"))


class WithdrawalForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    order_number = forms.CharField(label=_("Order number"), max_length=40)
    email = forms.EmailField(label=_("Email address used for the order"))


class WithdrawalItemsForm(forms.Form):
    """How many of each item a withdrawal sends back, chosen on the page its acknowledgement links to
    (everything it covers, by default)."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices  # list of rma.cases.services.WithdrawalChoice
        for choice in choices:
            self.fields[f"qty_{choice.line.pk}"] = forms.IntegerField(
                label=gettext("%(item)s (up to %(count)s)") % {"item": choice.line.name, "count": choice.quantity},
                min_value=0,
                max_value=choice.quantity,
                initial=choice.quantity,
                required=False,
                widget=forms.NumberInput(attrs={"min": 0, "max": choice.quantity}),
            )

    def clean(self):
        cleaned = super().clean()
        quantities = {
            choice.line.pk: cleaned[f"qty_{choice.line.pk}"]
            for choice in self.choices
            if cleaned.get(f"qty_{choice.line.pk}")
        }
        if not quantities and not self.errors:
            raise forms.ValidationError(gettext("Choose at least one item to send back."))
        cleaned["quantities"] = quantities
        return cleaned


class VerifyCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The 6-digit code from the email"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


METHOD_CHOICES = {
    ReturnMethod.MAIL_LABEL: _("Prepaid label: print it, stick it on the parcel and hand it to the carrier"),
    ReturnMethod.DROP_OFF_QR: _("Drop-off point: show a QR code there, no printer needed"),
    ReturnMethod.RETURN_CENTER: _("Return centre: bring the parcel yourself, no label fee"),
}


# Where a refusal of the filing service (CaseInvalid.item_field) is shown, at its item.
SERVICE_FIELDS = {
    "quantity": "qty",
    "reason": "reason",
    "resolution": "resolution",
    "wish": "wish",
    "problem": "problem",
    "photos": "photos",
}


class ReturnRequestForm(forms.Form):
    """One quantity, reason and wished resolution per order line, built from the lines the customer may return.

    Each line's "What would you like?" offers only what its policy, the law and the chosen reason allow
    (``LineView.remedy_options``). With ``review=True`` the form is checked for the summary only: photos
    are not required yet. Photos kept from an earlier submit (``LineView.pending_photos``) count as sent.
    """

    return_method = forms.ChoiceField(
        label=_("How would you like to send it back?"), widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, lines, methods, review=False, remedy_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines  # list of rma.portal.filing.LineView
        self.review = review
        self.fields["return_method"].choices = [(m, METHOD_CHOICES[m]) for m in methods]
        self.fields["return_method"].initial = methods[0]
        self.methods = methods
        for line in lines:
            self.fields[f"qty_{line.id}"] = forms.IntegerField(
                label=_("Quantity to return"),
                min_value=0,
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"min": 0, "max": line.returnable}),
            )
            # Changing the reason fetches this item's choices again (the form works without it too).
            self.fields[f"reason_{line.id}"] = forms.ChoiceField(
                label=_("Reason"),
                required=False,
                choices=[("", _("Choose a reason")), *Reason.choices],
                widget=forms.Select(
                    attrs={
                        "hx-post": remedy_url,
                        "hx-trigger": "change",
                        "hx-include": "closest form",
                        "hx-vals": f'{{"review": "1", "remedy_for": "{line.id}"}}',
                        "hx-target": f"#remedy-{line.id}",
                        "hx-swap": "outerHTML",
                    }
                ),
            )
            reason = self.data.get(f"reason_{line.id}") if self.is_bound else None
            line.selected_reason = reason if reason in Reason.values else ""
            offered = line.resolutions_for(line.selected_reason)
            self.fields[f"resolution_{line.id}"] = forms.ChoiceField(
                label=_("What would you like?"),
                required=False,
                choices=Resolution.choices,
                initial=offered[0] if offered else Resolution.REFUND,
                widget=forms.Select(attrs={"aria-describedby": f"remedy-notes-{line.id}"}),
            )
            self.fields[f"resolution_{line.id}"].widget.choices = [
                (code, label) for code, label in Resolution.choices if code in offered
            ]
            self.fields[f"wish_{line.id}"] = forms.CharField(
                label=_("For an exchange: what would you like instead?"),
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": gettext("e.g. the same in size M")}),
            )
            self.fields[f"photos_{line.id}"] = MultiplePhotoField(
                label=_("Photos (needed if it arrived damaged; JPEG, PNG, WebP or HEIC, up to 10 MB each)"),
                required=False,
            )
            self.fields[f"problem_{line.id}"] = forms.CharField(
                label=_("If it is faulty or not as described: what happens, and since when?"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            line.problem_field = self[f"problem_{line.id}"]
            line.qty_field = self[f"qty_{line.id}"]
            line.photos_field = self[f"photos_{line.id}"]
            line.reason_field = self[f"reason_{line.id}"]
            line.resolution_field = self[f"resolution_{line.id}"]
            line.wish_field = self[f"wish_{line.id}"]
            exchange_field_add(self, line)

    def clean_return_method(self):
        # The first method offered is pre-selected; a request without one (an old page) gets it too.
        return self.cleaned_data.get("return_method") or self.methods[0]

    def clean(self):
        cleaned = super().clean()
        chosen = []
        for line in self.lines:
            checked = self._clean_line(line, cleaned)
            if checked is not None:
                chosen.append(checked)
        if not chosen and not self.errors:
            raise forms.ValidationError(gettext("Choose at least one item and how many to return."))
        if len({resolution for _line, _qty, _reason, resolution, *_rest in chosen}) > 1:
            raise forms.ValidationError(
                gettext("Choose the same resolution for every item, or file a separate request for the others.")
            )
        cleaned["chosen"] = chosen
        return cleaned

    def _clean_line(self, line, cleaned):
        """The line's request as a tuple, or None (not chosen, or an error added at the line's field)."""
        qty = cleaned.get(f"qty_{line.id}") or 0
        reason = cleaned.get(f"reason_{line.id}")
        resolution = cleaned.get(f"resolution_{line.id}") or Resolution.REFUND
        wish = (cleaned.get(f"wish_{line.id}") or "").strip()
        item_photos = cleaned.get(f"photos_{line.id}") or []
        problem = (cleaned.get(f"problem_{line.id}") or "").strip()
        if qty == 0:
            return None
        if line.returnable == 0:
            self.add_error(f"qty_{line.id}", gettext("This item is already in an open return."))
            return None
        if qty > line.returnable:
            self.add_error(
                f"qty_{line.id}",
                gettext("You can return at most %(count)s of this item.") % {"count": line.returnable},
            )
            return None
        if not reason:
            self.add_error(f"reason_{line.id}", gettext("Tell us why you are returning this item."))
            return None
        if not line.eligible_for(reason):
            self.add_error(f"reason_{line.id}", line.refusal_for(reason))
            return None
        offered = line.resolutions_for(reason)
        if resolution not in offered:
            self.add_error(
                f"resolution_{line.id}",
                gettext("For this item and reason you can choose: %(choices)s.")
                % {"choices": format_list([InSentence(code).label for code in offered])},
            )
            return None
        if resolution == Resolution.EXCHANGE and not wish and not exchange_variant(cleaned, line):
            self.add_error(f"wish_{line.id}", gettext("Tell us what you would like instead."))
            return None
        if reason in PROBLEM_REASONS and not problem:
            self.add_error(f"problem_{line.id}", gettext("Tell us what happens and since when."))
            return None
        kept = len(line.pending_photos)
        if kept + len(item_photos) > photos.MAX_PER_ITEM:
            self.add_error(
                f"photos_{line.id}",
                gettext("You can add at most %(count)s photos.") % {"count": photos.MAX_PER_ITEM},
            )
            return None
        if reason in PHOTO_REASONS and not item_photos and not kept and not self.review:
            self.add_error(f"photos_{line.id}", gettext("Add at least one photo of the parcel and the item."))
            return None
        return (line, qty, reason, resolution, wish, tuple(item_photos), problem)

    def add_service_error(self, exc) -> None:
        """Show a refusal of the filing service at the item and field it names, else at the top."""
        field = SERVICE_FIELDS.get(getattr(exc, "item_field", ""))
        name = f"{field}_{exc.order_line_id}" if field and getattr(exc, "order_line_id", None) else None
        self.add_error(name if name in self.fields else None, str(exc))

    def error_summary(self) -> list[dict]:
        """Every error, each with the id of the field it belongs to (the GOV.UK error summary)."""
        names = {}
        for line in self.lines:
            for field in ("qty", "reason", "resolution", "wish", "problem", "photos"):
                names[f"{field}_{line.id}"] = line.line.name
        entries = [{"anchor": "", "text": str(error)} for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            field = self[name]
            anchor = field.auto_id
            if name == "return_method":
                anchor = f"{field.auto_id}_0"
            for error in errors:
                text = str(error)
                if name in names:
                    text = gettext("%(item)s: %(error)s") % {"item": names[name], "error": error}
                entries.append({"anchor": anchor, "text": text})
        return entries


class PreferencesForm(forms.Form):
    non_essential = forms.BooleanField(
        label=_("Also send me confirmations and surveys, not only what I need to complete a return"), required=False
    )
    notify_sms = forms.BooleanField(label=_("Text me important updates (when the shop has my phone number)"),
                                    required=False)  # fmt: skip


class CustomerMessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    attachment = forms.FileField(label=_("Attach a photo (optional)"), required=False)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return photos.photo_clean(upload) if upload else None


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how we handled your return?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Anything we could do better?"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ProvideInfoForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
