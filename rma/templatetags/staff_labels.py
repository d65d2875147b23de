"""Template filters of the workspace: how staff read a case's values (the presenters word them)."""

from django import template

from rma.cases import presenters

register = template.Library()


@register.filter
def staff_status(status: str) -> str:
    """``{{ case.status|staff_status }}``: the status as staff read it, not as the customer does."""
    return presenters.status_label_for_staff(status)
