"""The exchange picker of the return form: one choice of catalogue variants per line (rma.cases.services.exchanges).

Kept apart from the return form itself so the form only calls ``exchange_field_add`` per line and reads
``exchange_variant`` when it cleans; the partial ``rma/portal/_exchange_picker.html`` draws it.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from returns_portal.formatting import format_money


def option_sentence(option, currency: str) -> str:
    """What choosing this variant costs or brings back, per unit, in the customer's language."""
    if option.difference > 0:
        return gettext("You pay %(amount)s more") % {"amount": format_money(option.difference, currency)}
    if option.difference < 0:
        return gettext("We refund %(amount)s") % {"amount": format_money(-option.difference, currency)}
    return gettext("Same price")


def exchange_field_add(form: forms.Form, line) -> None:
    """Add the line's picker (``variant_<line id>``) when the catalogue has something to offer for it."""
    options = getattr(line, "exchange_options", None) or []
    line.variant_field = None
    if not options:
        return
    name = f"variant_{line.id}"
    form.fields[name] = forms.ChoiceField(
        label=_("For an exchange: choose another size, colour or product"),
        required=False,
        choices=[
            ("", gettext("Nothing from the list: I describe it above")),
            *((str(o.variant.pk), str(o.variant)) for o in options),
        ],  # fmt: skip
        widget=forms.RadioSelect,
    )
    line.variant_field = form[name]
    line.picker = [
        (option, option_sentence(option, line.line.order.currency), radio)
        for option, radio in zip(options, list(line.variant_field)[1:], strict=True)
    ]
    line.picker_none = list(line.variant_field)[0]


def exchange_variant(cleaned: dict, line):
    """The variant chosen for a line, or None."""
    chosen = cleaned.get(f"variant_{line.id}")
    if not chosen:
        return None
    for option in getattr(line, "exchange_options", None) or []:
        if str(option.variant.pk) == chosen:
            return option.variant
    return None
