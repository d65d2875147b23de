"""Which notification each case event sets off, declared once per event; the outbox rows are written in
the event's transaction and sent after the commit."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from returns_portal import events as bus
from returns_portal import outbox
from rma.cases import events
from rma.cases.models import WithdrawalStatement
from rma.messaging.models import Notification
from rma.messaging.notifications import attacher_register, notification_queue
from rma.messaging.services import notification_retry
from rma.messaging.withdrawal import withdrawal_acknowledgement_retry, withdrawal_case_attachments


def _events_so_far(event) -> str:
    """For events that may happen more than once on a case (a second question, a new offer)."""
    return str(event.case.events.count())


@dataclass(frozen=True)
class Notify:
    notice: str  # a key of rma.messaging.notices.NOTICES
    occurrence: Callable[[events.CaseEventBase], str] = lambda event: ""
    params: Callable[[events.CaseEventBase], dict] = lambda event: {}
    when: Callable[[events.CaseEventBase], bool] = lambda event: True


NOTIFY: dict[type[events.CaseEventBase], Notify] = {
    events.CaseFiled: Notify("filed"),
    # Approved at filing: the customer hears from us next with the label (or what delays it).
    events.CaseApproved: Notify("approved", when=lambda e: not e.automatic),
    events.CaseRejected: Notify("rejected"),
    events.InfoRequested: Notify("needs_info", occurrence=_events_so_far),
    events.LabelDelayed: Notify("label_delayed", occurrence=_events_so_far, params=lambda e: {"problems": e.problems}),
    events.LabelIssued: Notify("label_ready"),
    events.ShipReminderDue: Notify("ship_reminder"),
    events.ParcelInTransit: Notify("in_transit"),
    events.ParcelReceived: Notify("received"),
    events.InspectionCompleted: Notify("inspected", params=lambda e: {"deductions": e.deductions}),
    events.OfferMade: Notify("offer", occurrence=_events_so_far),
    events.RefundPaid: Notify(
        "refunded",
        occurrence=lambda e: e.idempotency_key,
        params=lambda e: {"amount": e.amount, "currency": e.currency},
    ),
    events.StoreCreditIssued: Notify(
        "credited", params=lambda e: {"amount": e.amount, "currency": e.currency, "code": e.code}
    ),
    events.ExchangeSent: Notify("exchanged", params=lambda e: {"number": e.number}),
    events.ReplacementSent: Notify("replaced", params=lambda e: {"number": e.number}),
    events.CaseRepaired: Notify("repaired", params=lambda e: {"note": e.note}),
    events.RefundDeadlineMoved: Notify("deadline_changed", occurrence=lambda e: e.previous),
    events.CaseClosed: Notify("closed"),
    # Only what the agents write reaches the customer by email; the customer's own messages do not.
    events.MessagePosted: Notify(
        "message",
        occurrence=lambda e: str(e.message_id),
        params=lambda e: {"message": e.body[:1000]},
        when=lambda e: e.role == "agent",
    ),
}


def on_case_event(event: events.CaseEventBase) -> None:
    notify = NOTIFY[type(event)]
    if notify.when(event):
        notification_queue(
            case=event.case, event=notify.notice, occurrence=notify.occurrence(event), params=notify.params(event)
        )


def on_withdrawal(event: events.WithdrawalSubmitted) -> None:
    from rma.messaging.tasks import withdrawal_acknowledgement_send  # the task module imports this one

    outbox.dispatch_on_commit(withdrawal_acknowledgement_send, event.statement.pk)


def _notifications_pending():
    return Notification.objects.filter(
        Q(status__in=[Notification.Status.QUEUED, Notification.Status.SENDING])
        | Q(status=Notification.Status.FAILED, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
    )


def register() -> None:
    outbox.kind_register(
        outbox.Kind(
            name="notification", label=_("Emails and text messages"), pending=_notifications_pending,
            since="created_at",
            parked=lambda: Notification.objects.filter(
                status=Notification.Status.FAILED, attempts__gte=settings.OUTBOX_MAX_ATTEMPTS
            ),
            retry=lambda *, row_id, actor: notification_retry(notification_id=row_id, actor=actor),
        )
    )  # fmt: skip
    outbox.kind_register(
        outbox.Kind(
            name="withdrawal_acknowledgement", label=_("Withdrawal acknowledgements"), since="submitted_at",
            pending=lambda: WithdrawalStatement.objects.filter(
                acknowledged_at__isnull=True, acknowledgement_parked_at__isnull=True
            ),
            parked=lambda: WithdrawalStatement.objects.filter(
                acknowledged_at__isnull=True, acknowledgement_parked_at__isnull=False
            ),
            retry=lambda *, row_id, actor: withdrawal_acknowledgement_retry(statement_id=row_id, actor=actor),
            fields={"attempts": "acknowledgement_attempts", "last_error": "acknowledgement_error"},
        )
    )  # fmt: skip
    attacher_register("filed", withdrawal_case_attachments)
    for event_type in NOTIFY:
        bus.subscribe(event_type, on_case_event)
    bus.subscribe(events.WithdrawalSubmitted, on_withdrawal)
