"""Forms of the customer portal and the agent workspace."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from policies.taxonomy import Reason


class OrderLookupForm(forms.Form):
    order_number = forms.CharField(label=_("Order number"), max_length=40)
    email = forms.EmailField(label=_("Email address used for the order"))


class ReturnRequestForm(forms.Form):
    """One quantity and one reason per order line; built from the lines the customer may return."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines  # list of rma.views.portal.LineView
        for line in lines:
            self.fields[f"qty_{line.id}"] = forms.IntegerField(
                label=_("Quantity to return"),
                min_value=0,
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"min": 0, "max": line.returnable}),
            )
            self.fields[f"reason_{line.id}"] = forms.ChoiceField(
                label=_("Reason"), required=False, choices=[("", _("Choose a reason"))] + list(Reason.choices)
            )
            line.qty_field = self[f"qty_{line.id}"]
            line.reason_field = self[f"reason_{line.id}"]

    def clean(self):
        cleaned = super().clean()
        chosen = []
        for line in self.lines:
            qty = cleaned.get(f"qty_{line.id}") or 0
            reason = cleaned.get(f"reason_{line.id}")
            if qty == 0:
                continue
            if line.returnable == 0:
                self.add_error(f"qty_{line.id}", gettext("This item is already in an open return."))
                continue
            if qty > line.returnable:
                self.add_error(
                    f"qty_{line.id}",
                    gettext("You can return at most %(count)s of this item.") % {"count": line.returnable},
                )
                continue
            if not reason:
                self.add_error(f"reason_{line.id}", gettext("Tell us why you are returning this item."))
                continue
            if not line.eligible_for(reason):
                self.add_error(f"reason_{line.id}", line.refusal_for(reason))
                continue
            chosen.append((line, qty, reason))
        if not chosen and not self.errors:
            raise forms.ValidationError(gettext("Choose at least one item and how many to return."))
        cleaned["chosen"] = chosen
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason the customer will read"), widget=forms.Textarea(attrs={"rows": 3}))
