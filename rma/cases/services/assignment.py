"""Who works a case: claiming, assigning and reassigning, and automatic assignment by language and load."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from policies.models import Region, RegionCountry, ReturnPolicy
from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import OPEN_STATUSES, AgentProfile, ReturnCase
from rma.cases.selectors import queue_changed
from rma.cases.services.errors import CaseConflict, CaseInvalid, CasePermissionDenied

WORK_PERMISSION = "rma.process_case"
SUPERVISE_PERMISSION = "rma.supervise_case"


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _locked(case: ReturnCase) -> ReturnCase:
    return ReturnCase.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=case.pk)


def _set_assignee(
    case: ReturnCase, *, locked: ReturnCase, assignee: Staff | None, actor: Staff | None, role: str, how: str
) -> ReturnCase:
    previous = locked.assignee
    now = timezone.now()
    ReturnCase.objects.filter(pk=case.pk).update(
        assignee=assignee, assigned_at=now if assignee is not None else None, updated_at=now
    )
    queue_changed()  # an update() sends no save signal
    case.assignee, case.assigned_at = assignee, now if assignee is not None else None
    events.publish(
        events.CaseAssigned(
            case=case,
            actor=actor,
            role=role,
            how=how,
            assignee_id=assignee.pk if assignee is not None else None,
            assignee=_who(assignee),
            previous_id=previous.pk if previous is not None else None,
            previous=_who(previous),
        )
    )
    return case


def can_work_cases(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm(WORK_PERMISSION))


@transaction.atomic
def case_claim(*, case: ReturnCase, actor: Staff) -> ReturnCase:
    """An agent takes an unassigned case for themselves."""
    if not can_work_cases(actor):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    locked = _locked(case)
    if locked.assignee_id == actor.pk:
        return case
    if locked.assignee_id is not None:
        raise CaseConflict(
            _("%(name)s already works on this case. Ask a supervisor to reassign it.") % {"name": _who(locked.assignee)}
        )
    if locked.status not in OPEN_STATUSES:
        raise CaseInvalid(_("Only open cases can be claimed."))
    return _set_assignee(case, locked=locked, assignee=actor, actor=actor, role="agent", how="claim")


@transaction.atomic
def case_take_over(*, case: ReturnCase, actor: Staff) -> ReturnCase:
    """An agent or supervisor explicitly takes over a case another agent holds (recorded on the timeline):
    from then on the workflow's steps on the case are theirs (``rma.cases.rules.takeover_needed``)."""
    if not can_work_cases(actor):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    locked = _locked(case)
    if locked.status not in OPEN_STATUSES:
        raise CaseInvalid(_("Only open cases can be taken over."))
    if locked.assignee_id == actor.pk:
        return case
    if locked.assignee_id is None:
        raise CaseConflict(_("Nobody works on this case any more: take it instead."))
    return _set_assignee(case, locked=locked, assignee=actor, actor=actor, role="agent", how="takeover")


@transaction.atomic
def case_assign(*, case: ReturnCase, actor: Staff, assignee: Staff | None) -> ReturnCase:
    """A supervisor assigns, reassigns or unassigns (``assignee=None``) a case, overriding skills and load."""
    if actor is None or not actor.has_perm(SUPERVISE_PERMISSION):
        raise CasePermissionDenied(_("Only a supervisor can assign cases to others."))
    if assignee is not None and not can_work_cases(assignee):
        raise CaseInvalid(_("%(name)s cannot work on cases.") % {"name": _who(assignee)})
    locked = _locked(case)
    if locked.assignee_id == (assignee.pk if assignee is not None else None):
        return case
    how = "unassign" if assignee is None else ("reassign" if locked.assignee_id else "assign")
    return _set_assignee(case, locked=locked, assignee=assignee, actor=actor, role="agent", how=how)


@transaction.atomic
def agent_profile_set(
    *, actor: Staff, user, available: bool, languages: list[str], regions: list[str], max_open_cases: int
) -> AgentProfile:
    """A supervisor sets what an agent takes in automatic assignment: availability, the languages they read, the
    regions they cover (none: all) and how many open cases at once."""
    if actor is None or not actor.has_perm(SUPERVISE_PERMISSION):
        raise CasePermissionDenied(_("Only a supervisor can change the team's availability."))
    if not can_work_cases(user):
        raise CaseInvalid(_("%(name)s cannot work on cases.") % {"name": _who(user)})
    known = {code for code, _name in settings.LANGUAGES}
    if set(languages) - known:
        raise CaseInvalid(_("Choose languages the shop offers."))
    if set(regions) - set(Region.objects.filter(code__in=regions).values_list("code", flat=True)):
        raise CaseInvalid(_("Choose regions that exist."))
    if max_open_cases < 1:
        raise CaseInvalid(_("An agent takes at least one open case at once."))
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()  # one change per agent at a time
    profile, _created = AgentProfile.objects.get_or_create(user=user)
    profile.available = available
    profile.languages = sorted(set(languages))
    profile.regions = sorted(set(regions))
    profile.max_open_cases = max_open_cases
    profile.full_clean()
    profile.save()
    return profile


def agent_loads() -> dict[int, int]:
    """Open cases per assignee (user id), in one query."""
    rows = (
        ReturnCase.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=False)
        .values("assignee")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["assignee"]: row["n"] for row in rows}


def agent_pick(*, language: str, region: str = ""):
    """The available agent who reads ``language``, covers ``region`` (a region code; an agent with no regions
    covers them all) and has the most room; None when nobody fits."""
    user_model = get_user_model()
    profiles = list(
        AgentProfile.objects.filter(available=True, user__is_active=True)
        .select_related("user")
        .annotate(load=Count("user__assigned_cases", filter=Q(user__assigned_cases__status__in=OPEN_STATUSES)))
        .order_by("load", "user_id")
    )
    base = language.split("-")[0]
    for profile in profiles:
        languages = {str(code).lower() for code in profile.languages or []}
        if language.lower() not in languages and base.lower() not in languages:
            continue
        if region and profile.regions and region not in profile.regions:
            continue
        if profile.load >= profile.max_open_cases:
            continue
        if not can_work_cases(profile.user):
            continue
        # Lock the agent's row, then count again: two cases filed at once cannot both take the last free slot.
        user_model.objects.select_for_update().filter(pk=profile.user_id).exists()
        load = ReturnCase.objects.filter(assignee_id=profile.user_id, status__in=OPEN_STATUSES).count()
        if load < profile.max_open_cases:
            return profile.user
    return None


def case_region(case: ReturnCase) -> str:
    """The code of the region whose policy the case follows (frozen at filing), or of its country's region."""
    if case.policy_id is not None:
        return ReturnPolicy.objects.filter(pk=case.policy_id).values_list("region__code", flat=True).first() or ""
    return RegionCountry.objects.filter(country=case.country).values_list("region__code", flat=True).first() or ""


def cases_auto_assign_waiting(*, limit: int = 500) -> int:
    """Give the open cases nobody holds to available agents (oldest first), as at filing; returns how many got
    one. A supervisor runs it after changing who is available; the demo runs it after loading its cases."""
    assigned = 0
    waiting = ReturnCase.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=True).order_by("created_at", "id")
    for case in waiting[:limit]:
        if case_auto_assign(case=case) is not None:
            assigned += 1
    return assigned


def case_auto_assign(*, case: ReturnCase):
    """Give a newly filed case to an agent who reads the customer's language and has room.

    Returns the agent, or None when nobody fits: the case then waits in the "unassigned" view for a
    supervisor or a claim, and filing it never fails for that reason.
    """
    if case.assignee_id is not None or case.status not in OPEN_STATUSES:
        return case.assignee
    with transaction.atomic():
        agent = agent_pick(language=case.language, region=case_region(case))
        if agent is None:
            return None
        _set_assignee(case, locked=_locked(case), assignee=agent, actor=None, role="system", how="auto")
    return agent
