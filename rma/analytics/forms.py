"""The dashboard's filters: a range of whole months, a region and a category."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from policies.explain import region_label
from policies.models import Region
from policies.taxonomy import Category

from . import rules
from .selectors import DashboardFilter

MONTH_FORMAT = "%Y-%m"
DEFAULT_MONTHS = 3


def _month_back(day: datetime.date, months: int) -> datetime.date:
    month = day.year * 12 + day.month - 1 - months
    return datetime.date(month // 12, month % 12 + 1, 1)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format=MONTH_FORMAT, **kwargs)


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label=_("From (month)"), required=False, input_formats=[MONTH_FORMAT], widget=MonthInput())
    end = forms.DateField(label=_("To (month)"), required=False, input_formats=[MONTH_FORMAT], widget=MonthInput())
    region = forms.ChoiceField(label=_("Region"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        regions = Region.objects.values_list("code", "name")
        self.fields["region"].choices = [
            ("", _("All regions")),
            *((code, region_label(code, name)) for code, name in regions),
        ]
        self.fields["start"].initial = _month_back(today, DEFAULT_MONTHS - 1)
        self.fields["end"].initial = rules.month_start(today)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The first month must not be after the last month."))
        return data

    def filters(self) -> DashboardFilter:
        """The filters asked for, or the default (the last three months) for what is missing or invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or self.fields["start"].initial
        end = data.get("end") or self.fields["end"].initial
        if start > end:
            start = rules.month_start(end)
        return DashboardFilter(
            start=rules.month_start(start),
            end=rules.month_end(end),
            region=data.get("region") or "",
            category=data.get("category") or "",
        )
