"""The agent side of a case's thread: messages to the customer, internal notes and canned replies (macros)."""

import re

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from returns_portal import outbox
from rma.cases import events
from rma.cases.events import Staff
from rma.cases.models import ReturnCase
from rma.cases.services import sla
from rma.cases.services.cases import case_reject, case_request_info
from rma.cases.services.errors import CaseConflict, CaseInvalid, CasePermissionDenied
from rma.cases.services.workflow import holder_check
from rma.messaging.models import CannedReply, CannedReplyTransition, Message, Notification

MESSAGE_PERMISSION = "rma.process_case"
MAX_MESSAGE_LENGTH = 4000
PLACEHOLDER = re.compile(r"\{(customer_name|rma_number|shop_name)\}")
# Transitions a canned reply may apply, each given the reply's text: the service and its text argument.
# One entry per CannedReplyTransition (a test holds them together).
MACRO_TRANSITIONS = {
    CannedReplyTransition.REQUEST_INFO: (case_request_info, "question"),
    CannedReplyTransition.REJECT: (case_reject, "reason"),
}


def _check_author(author: Staff | None) -> None:
    if author is None or not author.is_active or not author.has_perm(MESSAGE_PERMISSION):
        raise CasePermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def message_post(*, case: ReturnCase, author: Staff, body: str, internal: bool, attachment=None) -> Message:
    """An agent writes to the customer (``internal=False``) or leaves a note for colleagues. Writing to the customer
    of a case another agent holds needs the case taken over first; a note does not.

    ``attachment`` is a file already cleaned by ``rma.cases.photos.staff_attachment_clean``; on a message to
    the customer both sides see it, on a note only the staff."""
    _check_author(author)
    if not internal:
        holder_check(case, actor=author, transition="message")
    body = (body or "").strip()
    if not body:
        raise CaseInvalid(_("Write a message first."))
    if len(body) > MAX_MESSAGE_LENGTH:
        raise CaseInvalid(_("A message can have at most %(count)s characters.") % {"count": MAX_MESSAGE_LENGTH})
    message = Message(
        case=case, author=author, internal=internal, body=body, language="" if internal else case.language
    )
    if attachment is not None:
        message.attachment = attachment
    message.full_clean()
    message.save()
    if not internal and case.first_responded_at is None:
        sla.sla_mark_response(case)
        ReturnCase.objects.filter(pk=case.pk).update(first_responded_at=case.first_responded_at)
    if internal:
        events.publish(events.NotePosted(case=case, actor=author, role="agent", message_id=message.pk))
    else:
        events.publish(events.MessagePosted(case=case, actor=author, role="agent", message_id=message.pk, body=body))
    return message


def message_post_customer(*, case: ReturnCase, customer_id: int, body: str, attachment=None) -> Message:
    """The customer writes to the agents from the case page; the case stays where it is."""
    if case.customer_id != customer_id:
        raise CaseInvalid(_("No such return."))
    body = (body or "").strip()
    if not body:
        raise CaseInvalid(_("Write a message first."))
    if len(body) > MAX_MESSAGE_LENGTH:
        raise CaseInvalid(_("A message can have at most %(count)s characters.") % {"count": MAX_MESSAGE_LENGTH})
    message = Message(case=case, author=None, internal=False, body=body, language=case.language)
    if attachment is not None:
        message.attachment = attachment
    message.full_clean()
    message.save()
    events.publish(events.MessagePosted(case=case, role="customer", message_id=message.pk, body=body))
    return message


def canned_reply_fill(text: str, *, case: ReturnCase) -> str:
    """Replace the known placeholders; braces that are not placeholders stay as they are."""
    values = {
        "customer_name": case.customer.name,
        "rma_number": case.rma_number,
        "shop_name": getattr(settings, "SHOP_NAME", ""),
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def canned_reply_text(*, reply: CannedReply, language: str) -> str | None:
    """The reply's text in ``language``, else in its base language, else in the site's default; None if none."""
    texts = {t.language: t.body for t in reply.texts.all()}
    for candidate in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if candidate in texts:
            return texts[candidate]
    return None


def canned_reply_apply(*, case: ReturnCase, actor: Staff, reply: CannedReply) -> ReturnCase:
    """Send a macro in the customer's language, filled in; apply its transition when it has one.

    With a transition the text goes with it (the question of ``request_info``, the reason of a rejection)
    and the customer is told by that transition's notification; otherwise it is posted as a message.
    """
    _check_author(actor)
    holder_check(case, actor=actor, transition="canned")
    if not reply.active:
        raise CaseInvalid(_("This canned reply is no longer in use."))
    text = canned_reply_text(reply=reply, language=case.language)
    if text is None:
        raise CaseInvalid(
            _("The canned reply “%(name)s” has no text in %(language)s yet.")
            % {"name": reply.name, "language": case.get_language_display()}
        )
    body = canned_reply_fill(text, case=case)
    if reply.transition:
        if reply.transition not in MACRO_TRANSITIONS:
            raise CaseInvalid(_("The canned reply “%(name)s” names an unknown action.") % {"name": reply.name})
        service, argument = MACRO_TRANSITIONS[reply.transition]
        return service(case=case, actor=actor, **{argument: body})
    message_post(case=case, author=actor, body=body, internal=False)
    return case


def notification_retry(*, notification_id: int, actor: Staff) -> Notification:
    """A supervisor queues again a notification that used all its tries (after fixing an address, say)."""
    from rma.messaging.tasks import notification_send  # the task module imports the notifications module

    if not actor.has_perm("rma.supervise_case"):
        raise CasePermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status != Notification.Status.FAILED:
            raise CaseConflict(_("This message is not waiting for a decision any more."))
        notification.status = Notification.Status.QUEUED
        notification.attempts = 0
        notification.next_attempt_at = None
        notification.save(update_fields=["status", "attempts", "next_attempt_at"])
        outbox.dispatch_on_commit(notification_send, notification.id)
    return notification
