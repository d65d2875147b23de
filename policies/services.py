"""Writes to policies: publishing a version retires the one before it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Region, ReturnPolicy


class PolicyError(Exception):
    """Base error of the policies app."""


def policy_create_draft(*, region: Region, actor=None, **fields) -> ReturnPolicy:
    last = ReturnPolicy.objects.filter(region=region).order_by("-version").first()
    policy = ReturnPolicy(region=region, version=(last.version + 1) if last else 1, **fields)
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def policy_publish(*, policy: ReturnPolicy, actor, note: str = "") -> ReturnPolicy:
    policy = ReturnPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != ReturnPolicy.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published; published versions are never edited."))
    ReturnPolicy.objects.filter(region=policy.region, status=ReturnPolicy.Status.PUBLISHED).update(
        status=ReturnPolicy.Status.RETIRED
    )
    policy.status = ReturnPolicy.Status.PUBLISHED
    policy.published_at = timezone.now()
    policy.published_by = actor
    policy.effective_from = policy.effective_from or timezone.localdate()
    if note:
        policy.change_note = note
    policy.full_clean()
    policy.save()
    return policy
