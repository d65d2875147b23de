"""The mechanics shared by every transition service: permission, transition, save, timeline event."""

from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, has_transition_perm

from rma.cases import events
from rma.cases.models import ReturnCase
from rma.cases.services.errors import CaseConflict, CasePermissionDenied, CaseTransitionNotAllowed


def not_allowed(case: ReturnCase) -> CaseTransitionNotAllowed:
    return CaseTransitionNotAllowed(
        _("This action is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
    )


def transition_run(
    case: ReturnCase,
    name: str,
    *,
    actor: events.Staff | None,
    role: str | None = None,
    check_perm: bool = True,
    **kwargs,
):
    """Run one transition for an actor, save it and record it. Call inside ``transaction.atomic``.

    ``actor`` is a staff user (permissions checked), or None for the customer or the system, whose
    rights the calling service has already established.
    """
    method = getattr(case, name)
    if check_perm and actor is not None and not has_transition_perm(method, actor):
        if name in {t.name for t in case.get_available_status_transitions()}:
            raise CasePermissionDenied(_("You are not allowed to do this."))
        raise not_allowed(case)
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
