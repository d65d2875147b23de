"""Writes to policies: drafts, their rules and texts, publishing (which retires the version before)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from returns_portal.actors import Staff

from .explain import render_step
from .floor import floor_violations
from .models import PolicyRule, PolicyText, Region, ReturnCenter, ReturnPolicy
from .selectors import POLICY_TERM_FIELDS, RULE_TERM_FIELDS, customs_territory, policy_snapshot, region_countries


class PolicyError(Exception):
    """Base error of the policies app; its message is translated and safe to show."""


class PolicyNotEditable(PolicyError):
    """A published or retired version is never changed: a new draft replaces it."""


def _not_editable() -> PolicyNotEditable:
    return PolicyNotEditable(_("Only a draft can be changed; published versions are never edited."))


def policy_floor_errors(*, policy: ReturnPolicy, rules=None) -> dict[str, list[str]]:
    """The legal floor violations of a policy (with ``rules`` instead of its saved ones), by form field."""
    snapshot = policy_snapshot(policy, rules=rules)
    errors: dict[str, list[str]] = {}
    for violation in floor_violations(snapshot, region_countries(region=policy.region)):
        errors.setdefault(violation.field, []).append(render_step(violation.step))
    return errors


def _next_version(region: Region) -> int:
    last = ReturnPolicy.objects.filter(region=region).order_by("-version").first()
    return (last.version + 1) if last else 1


def policy_create_draft(*, region: Region, actor: Staff | None = None, **fields) -> ReturnPolicy:
    policy = ReturnPolicy(region=region, version=_next_version(region), **fields)
    policy.full_clean()
    policy.save()
    return policy


def policy_save_draft(*, policy: ReturnPolicy, actor: Staff) -> ReturnPolicy:
    """Save a draft edited in a form: a new one gets the region's next version number."""
    if policy.pk is None:
        policy.version = _next_version(policy.region)
        policy.status = ReturnPolicy.Status.DRAFT
    elif not ReturnPolicy.objects.filter(pk=policy.pk, status=ReturnPolicy.Status.DRAFT).exists():
        raise _not_editable()
    policy.full_clean()
    policy.save()
    return policy


def policy_update_draft(*, policy: ReturnPolicy, actor: Staff, **fields) -> ReturnPolicy:
    if not ReturnPolicy.objects.filter(pk=policy.pk, status=ReturnPolicy.Status.DRAFT).exists():
        raise _not_editable()
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def policy_copy_as_draft(*, policy: ReturnPolicy, actor: Staff) -> ReturnPolicy:
    """A new draft with the terms, rules and texts of ``policy``: how a published version is changed."""
    draft = policy_create_draft(
        region=policy.region, actor=actor, **{name: getattr(policy, name) for name in POLICY_TERM_FIELDS}
    )
    for rule in policy.rules.all():
        PolicyRule.objects.create(
            policy=draft, priority=rule.priority, **{name: getattr(rule, name) for name in RULE_TERM_FIELDS}
        )
    for text in policy.texts.all():
        PolicyText.objects.create(policy=draft, language=text.language, introduction=text.introduction)
    return draft


def policy_rule_create(*, policy: ReturnPolicy, actor: Staff, **fields) -> PolicyRule:
    if policy.status != ReturnPolicy.Status.DRAFT:
        raise _not_editable()
    rule = PolicyRule(policy=policy, **fields)
    rule.full_clean()
    rule.save()
    return rule


def policy_text_set(*, policy: ReturnPolicy, actor: Staff, language: str, introduction: str) -> PolicyText:
    if policy.status != ReturnPolicy.Status.DRAFT:
        raise _not_editable()
    text = PolicyText.objects.filter(policy=policy, language=language).first() or PolicyText(
        policy=policy, language=language
    )
    text.introduction = introduction
    text.full_clean()
    text.save()
    return text


@transaction.atomic
def policy_publish(*, policy: ReturnPolicy, actor: Staff, note: str = "", today=None) -> ReturnPolicy:
    """Publish a draft after checking it against the law of every country of its region.

    A draft whose effective date is still to come is checked now and scheduled: ``policies_publish_due``
    (Celery beat, hourly) publishes it on that day. Until then the current version stays in force.
    """
    today = today or timezone.localdate()
    policy = ReturnPolicy.objects.select_for_update().select_related("region").get(pk=policy.pk)
    if policy.status != ReturnPolicy.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published; published versions are never edited."))
    errors = policy_floor_errors(policy=policy)
    if errors:
        raise ValidationError([message for messages in errors.values() for message in messages])
    if note:
        policy.change_note = note
    policy.published_by = actor
    if policy.effective_from and policy.effective_from > today:
        policy.scheduled = True
        policy.full_clean()
        policy.save()
        return policy
    return _publish_now(policy, today=today)


def _publish_now(policy: ReturnPolicy, *, today) -> ReturnPolicy:
    ReturnPolicy.objects.filter(region=policy.region, status=ReturnPolicy.Status.PUBLISHED).update(
        status=ReturnPolicy.Status.RETIRED
    )
    policy.status = ReturnPolicy.Status.PUBLISHED
    policy.scheduled = False
    policy.published_at = timezone.now()
    policy.effective_from = policy.effective_from or today
    policy.full_clean()
    policy.save()
    return policy


def policies_publish_due(*, today=None) -> list[ReturnPolicy]:
    """Publish the scheduled drafts whose effective date has come (the latest per region wins)."""
    today = today or timezone.localdate()
    published = []
    due = ReturnPolicy.objects.filter(status=ReturnPolicy.Status.DRAFT, scheduled=True, effective_from__lte=today)
    for policy_id in due.order_by("region_id", "effective_from", "version").values_list("id", flat=True):
        with transaction.atomic():
            policy = ReturnPolicy.objects.select_for_update().select_related("region").get(pk=policy_id)
            if policy.status == ReturnPolicy.Status.DRAFT and policy.scheduled:
                published.append(_publish_now(policy, today=today))
    return published


def return_center_create(*, actor: Staff | None = None, **fields) -> ReturnCenter:
    fields.setdefault("customs_territory", customs_territory(fields.get("country", "")))
    center = ReturnCenter(**fields)
    center.full_clean()
    center.save()
    return center
