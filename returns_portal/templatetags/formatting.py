"""Template filters for money, dates and numbers, registered as builtins in settings.TEMPLATES."""

from django import template

from returns_portal import formatting

register = template.Library()


@register.filter
def money(amount, currency):
    """``{{ line.unit_price|money:order.currency }}`` in the active locale."""
    if amount in (None, ""):
        return ""
    return formatting.format_money(amount, currency)


@register.filter
def ldate(value, fmt="medium"):
    """A date (or the date of a datetime) in the active locale."""
    if not value:
        return ""
    return formatting.format_date(value, fmt)


@register.filter
def ldatetime(value, fmt="medium"):
    """A date and time in the active locale and the site's time zone."""
    if not value:
        return ""
    return formatting.format_datetime(value, fmt)


@register.filter
def lnumber(value):
    if value in (None, ""):
        return ""
    return formatting.format_number(value)


@register.filter
def explain_step(step):
    """A stored decision step (``{"code", "params", "reference"}``) as a sentence in the active language."""
    from policies.explain import render_step

    if not step:
        return ""
    return render_step(step)


@register.filter
def country_name(code):
    """``IT`` as "Italia" in Italian: Babel's territory names in the active language (``US-CA`` names the state)."""
    from policies.explain import country_name as name

    return name(code) if code else ""


@register.filter
def region_name(region):
    """A region's name in the active language (Babel's, where its code is a territory such as EU or US)."""
    from policies.explain import region_name as name

    return name(region) if region else ""
