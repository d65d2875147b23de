"""Template filters for policy pages: country names and lists of codes in the active language."""

from babel.lists import format_list
from django import template

from returns_portal.formatting import babel_locale

from ..explain import country_name as _country_name
from ..taxonomy import Category, Condition, PolicyCondition, Reason, Resolution, ReturnMethod

register = template.Library()

_LABELS = {
    "category": dict(Category.choices),
    "condition": {**dict(Condition.choices), **dict(PolicyCondition.choices)},
    "reason": dict(Reason.choices),
    "resolution": dict(Resolution.choices),
    "method": dict(ReturnMethod.choices),
}


@register.filter
def country_name(code):
    return _country_name(code)


@register.filter
def country_list(codes):
    """``["IT", "FR"]`` as "Italy and France" in the active language."""
    return format_list([_country_name(c) for c in codes], locale=babel_locale()) if codes else ""


@register.filter
def code_list(codes, kind):
    """Codes of one kind (category, condition, reason, resolution, method) as a localized list of labels."""
    labels = _LABELS[kind]
    return format_list([str(labels.get(c, c)) for c in codes], locale=babel_locale()) if codes else ""


@register.filter
def code_label(code, kind):
    return str(_LABELS[kind].get(code, code))
