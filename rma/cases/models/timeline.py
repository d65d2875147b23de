"""The case's append-only timeline and the customer's rating of a closed case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .case import CaseStatus, ReturnCase


class CaseEvent(models.Model):
    """Append-only timeline of a case: transitions, notifications, documents."""

    class Kind(models.TextChoices):
        FILED = "filed", pgettext_lazy("event", "Return requested")
        TRANSITION = "transition", pgettext_lazy("event", "Status changed")
        LABEL = "label", pgettext_lazy("event", "Label created")
        NOTIFICATION = "notification", pgettext_lazy("event", "Notification sent")
        REFUND = "refund", pgettext_lazy("event", "Refund paid")
        STUCK = "stuck", pgettext_lazy("event", "Stuck work")
        INSPECTION = "inspection", pgettext_lazy("event", "Item inspected")
        DEDUCTION = "deduction", pgettext_lazy("event", "Deduction")
        CREDIT = "credit", pgettext_lazy("event", "Store credit issued")
        EXCHANGE = "exchange", pgettext_lazy("event", "Exchange order created")
        COMPENSATION = "compensation", pgettext_lazy("event", "Goodwill gesture")
        DEADLINE = "deadline", pgettext_lazy("event", "Deadline changed")
        SLA = "sla", pgettext_lazy("event", "Deadline missed")
        LABEL_PROBLEM = "label_problem", pgettext_lazy("event", "Label delayed")
        TRACKING = "tracking", pgettext_lazy("event", "Parcel scanned")
        ASSIGNMENT = "assignment", pgettext_lazy("event", "Assigned")
        MESSAGE = "message", pgettext_lazy("event", "Message to the customer")
        NOTE = "note", pgettext_lazy("event", "Internal note")
        APPROVAL = "approval", pgettext_lazy("event", "Awaiting approval")
        APPROVAL_DECIDED = "approval_decided", pgettext_lazy("event", "Approval decided")
        ADDRESS = "address", pgettext_lazy("event", "Address corrected")
        ADMIN_EDIT = "admin_edit", pgettext_lazy("event", "Changed in the admin")

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind)
    from_status = models.CharField(max_length=20, choices=CaseStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=16)  # customer, agent, system
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case.rma_number} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def headline(self) -> str:
        """What the timeline says about this row, in the active language (declared by its case event)."""
        from rma.cases.events import headline  # the events module imports this one

        return headline(self)

    @property
    def staff_headline(self) -> str:
        """The same for staff: in their words where the customer's do not fit ("waiting for your answer")."""
        from rma.cases.events import staff_headline  # the events module imports this one

        return staff_headline(self)


class SurveyResponse(models.Model):
    """The customer's rating of a closed case (1 to 5) and a comment: one per case."""

    case = models.OneToOneField(ReturnCase, on_delete=models.CASCADE, related_name="survey")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)  # analytics reads new answers by time

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="rating_1_to_5")]

    def __str__(self):
        return f"{self.case.rma_number}: {self.rating}"
