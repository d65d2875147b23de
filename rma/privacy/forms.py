"""Forms of the privacy pages for supervisors: finding a customer, the reason of an erasure, the access log."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Email, order number, RMA number or name"), max_length=200, required=False, strip=True)


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the data erased?"),
        help_text=_("For example: the customer's request of 3 May by email. Do not write the customer's name."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AccessLogForm(forms.Form):
    customer = forms.IntegerField(label=_("Customer number"), required=False, min_value=1)
    since = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
