"""The mechanics shared by every transition service: permission, transition, save, timeline event."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, has_transition_perm

from rma.cases import events, rules
from rma.cases.models import SETTLEABLE, ReturnCase
from rma.cases.services.errors import CaseConflict, CasePermissionDenied, CaseTransitionNotAllowed


def not_allowed(case: ReturnCase) -> CaseTransitionNotAllowed:
    return CaseTransitionNotAllowed(
        _("This action is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
    )


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


def holder_check(case: ReturnCase, *, actor: events.Staff, transition: str) -> None:
    """Refuse a step on a case another agent holds until this person takes it over (``rules.takeover_needed``).
    Reads the holder afresh, under the case's row lock: the page the person acted from may be old."""
    rows = ReturnCase.objects.filter(pk=case.pk)
    if transaction.get_connection().in_atomic_block:  # a service's transaction: hold the row until it ends
        rows = rows.select_for_update(of=("self",))
    assignee_id = rows.values_list("assignee_id", flat=True).first()
    if rules.takeover_needed(transition=transition, assignee_id=assignee_id, actor_id=actor.pk):
        holder = get_user_model().objects.get(pk=assignee_id)
        raise CasePermissionDenied(
            _("%(name)s works on this case. Take it over first if you need to act on it.") % {"name": _who(holder)}
        )


def settlement_refusal_message(code: str) -> str:
    messages = {
        rules.NO_FAULT: _(
            "Nothing is wrong with these goods (the customer did not want them): a repair or a replacement does "
            "not fit this case."
        ),
        rules.FAULT_NOT_FOUND: _("The inspection found no fault: a repair or a replacement does not fit this case."),
        rules.CUSTOMER_FAULT: _(
            "The inspection found damage caused by the customer: the guarantee covers no repair or replacement."
        ),
        rules.NOT_WISHED: _("The customer did not ask for this: settle with store credit or an exchange only when "
                            "they chose it."),
    }  # fmt: skip
    return messages[code]


def settlement_check(case: ReturnCase, transition: str) -> None:
    """Refuse a settlement that does not fit the case's reasons, wishes and inspection (``rules``)."""
    code = rules.settlement_refusal(rules.facts_from_case(case), transition)
    if code is not None:
        raise CaseTransitionNotAllowed(settlement_refusal_message(code))


def transition_run(
    case: ReturnCase,
    name: str,
    *,
    actor: events.Staff | None,
    role: str | None = None,
    check_perm: bool = True,
    holder: bool = True,
    **kwargs,
):
    """Run one transition for an actor, save it and record it. Call inside ``transaction.atomic``.

    ``actor`` is a staff user (permissions checked), or None for the customer or the system, whose
    rights the calling service has already established. A staff user acting on a case another agent
    holds must take it over first, unless the step is one anyone may take; ``holder=False`` skips that
    check for a supervisor carrying out a request they approved. A settlement must fit the case.
    """
    method = getattr(case, name)
    if check_perm and actor is not None and not has_transition_perm(method, actor):
        if name in {t.name for t in case.get_available_status_transitions()}:
            raise CasePermissionDenied(_("You are not allowed to do this."))
        raise not_allowed(case)
    if check_perm and actor is not None:
        if holder:
            holder_check(case, actor=actor, transition=name)
        if name in rules.SETTLEMENTS and case.status in SETTLEABLE:
            settlement_check(case, name)
    before = case.status
    try:
        method(**kwargs)
    except TransitionNotAllowed:
        raise not_allowed(case) from None
    try:
        case.save()
    except ConcurrentTransition:
        raise CaseConflict(_("Someone else changed this case a moment ago. Here is its current state.")) from None
    events.publish(
        events.StatusChanged(
            case=case,
            actor=actor,
            role=role or ("agent" if actor is not None else "system"),
            from_status=before,
            to_status=case.status,
        )
    )
    return case
