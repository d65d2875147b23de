"""The audit of changes made outside the workflow's services: an edit in the Django admin lands on the timeline."""

from django.db import transaction

from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import ReturnCase


def _text(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def case_admin_edit_record(*, case: ReturnCase, actor: Staff, changes: dict) -> None:
    """Record on the case's timeline the fields someone changed in the admin, each with its value before and
    after (``changes``: field name → (before, after)). Call in the transaction that saves the change."""
    changes = {name: [_text(before), _text(after)] for name, (before, after) in changes.items() if before != after}
    if changes:
        events.publish(events.CaseEditedInAdmin(case=case, actor=actor, role="agent", changes=changes))
