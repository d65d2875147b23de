"""Reads of the conversation: a case's thread with its authors, and the canned replies agents can use."""

from rma.cases.models import ReturnCase
from rma.messaging.models import CannedReply, Message


def case_thread(*, case: ReturnCase) -> list[Message]:
    """The case's messages and internal notes, oldest first, with their authors (one query)."""
    return list(Message.objects.filter(case=case).select_related("author").order_by("created_at", "id"))


def canned_replies_active():
    return CannedReply.objects.filter(active=True).prefetch_related("texts")
