"""The customer-agent thread, canned replies, and the notification outbox."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rma.cases import photos
from rma.cases.models import ReturnCase


class Message(models.Model):
    """The thread between the customer and the agents; internal notes are messages the customer never sees."""

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: the customer wrote it
    internal = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    language = models.CharField(max_length=10, blank=True)
    attachment = models.FileField(upload_to="messages/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(internal=False) | Q(author__isnull=False), name="notes_have_an_author")
        ]

    def __str__(self):
        return f"{self.case.rma_number} {'note' if self.internal else 'message'} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def from_customer(self) -> bool:
        return self.author_id is None

    @property
    def attachment_is_image(self) -> bool:
        """A photo (shown inline on both sides), not a document (only ever downloaded)."""
        return bool(self.attachment) and photos.attachment_is_image(self.attachment.name)


class CannedReplyTransition(models.TextChoices):
    """What a canned reply may do besides sending its text; each has its service in ``MACRO_TRANSITIONS``."""

    NONE = "", _("nothing else: send the text as a message")
    REQUEST_INFO = "request_info", _("ask the customer for information (the text is the question)")
    REJECT = "reject", _("reject the return (the text is the reason)")


class CannedReply(models.Model):
    """A macro: a reply with placeholders, one text per language, optionally applying a transition."""

    Transition = CannedReplyTransition

    name = models.CharField(_("name"), max_length=100, unique=True)
    transition = models.CharField(
        _("also do"), max_length=32, blank=True, choices=CannedReplyTransition, default=CannedReplyTransition.NONE
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        constraints = [
            models.CheckConstraint(
                condition=Q(transition__in=CannedReplyTransition.values), name="cannedreply_known_transition"
            )
        ]

    def __str__(self):
        return self.name


class CannedReplyText(models.Model):
    """A canned reply's words in one language; the agent's case page sends the customer's."""

    reply = models.ForeignKey(CannedReply, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    body = models.TextField(_("text"), help_text=_("Placeholders: {customer_name}, {rma_number}, {shop_name}"))

    class Meta:
        ordering = ["reply", "language"]
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        constraints = [models.UniqueConstraint(fields=["reply", "language"], name="one_text_per_language")]

    def __str__(self):
        return f"{self.reply.name} [{self.language}]"


class Notification(models.Model):
    """Outbox row written with the state change; a task sends it. One per case and event."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")  # taken by a worker (until next_attempt_at, if that worker died)
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=32)
    # One message per key: the event for one-off events, the event and its occurrence for repeatable ones.
    idempotency_key = models.CharField(max_length=120, unique=True)
    params = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=8, default="email")
    language = models.CharField(max_length=10)
    recipient = models.CharField(max_length=254)
    status = models.CharField(max_length=8, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.case.rma_number} {self.event} → {self.recipient}"
