"""Case events: the only arrow out of the core. One frozen dataclass per domain event.

A service builds the event after its change and calls ``publish(event)`` inside its transaction.
``publish`` writes the event's timeline row (a ``CaseEvent``) when the event has one, then hands the
event to the subscribers that the satellites register in ``rma/apps.py`` (notifications, labels,
payments...). Subscribers write their outbox rows in that same transaction; anything that leaves the
database starts after the commit. The core never imports a subscriber.

An event's fields are its declared shape: those marked ``timeline=False`` are for subscribers only,
the others are what the timeline row's ``data`` holds. ``headline`` is what the timeline says about
the row in the reader's language; it is worked out when the page is shown, never stored.
"""

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from returns_portal import events as bus
from returns_portal.actors import Staff
from returns_portal.formatting import format_money
from rma.cases import presenters
from rma.cases.models import CaseEvent, ReturnCase, WithdrawalStatement


def subscribers_only(default=dataclasses.MISSING):
    """A field subscribers read that the timeline row does not keep."""
    return dataclasses.field(default=default, metadata={"timeline": False})


@dataclass(frozen=True, kw_only=True)
class CaseEventBase:
    case: ReturnCase = dataclasses.field(metadata={"timeline": False})
    actor: Staff | None = dataclasses.field(default=None, metadata={"timeline": False})  # None: customer or system
    role: str = dataclasses.field(default="system", metadata={"timeline": False})  # customer, agent, system

    kind: ClassVar[str | None] = None  # the timeline row it writes; None: it writes none
    columns: ClassVar[tuple[str, ...]] = ()  # fields stored in the row's own columns, not in ``data``

    def timeline_data(self) -> dict:
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.metadata.get("timeline", True) and f.name not in self.columns
        }

    @staticmethod
    def headline(row: CaseEvent) -> str:
        return ""

    # What staff read instead, where the headline speaks to the customer ("your parcel"); None: the headline.
    staff_headline: ClassVar = None


def publish(event: "CaseEventBase | WithdrawalSubmitted") -> CaseEvent | None:
    """Write the event's timeline row (if it has one) and call its subscribers. Call inside the change's
    transaction."""
    row = None
    if getattr(event, "kind", None) is not None:
        actor = event.actor if event.actor is not None and event.actor.is_authenticated else None
        row = CaseEvent.objects.create(
            case=event.case,
            kind=event.kind,
            actor=actor,
            actor_role=event.role,
            data=event.timeline_data(),
            **{name: getattr(event, name) for name in event.columns},
        )
    bus.publish(event)
    return row


def _money(row: CaseEvent) -> str:
    amount = row.data.get("amount")
    return "" if amount in (None, "") else format_money(amount, row.data.get("currency"))


# -- the workflow ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StatusChanged(CaseEventBase):
    from_status: str
    to_status: str
    kind = CaseEvent.Kind.TRANSITION
    columns = ("from_status", "to_status")

    @staticmethod
    def headline(row):
        return _("Status: %(status)s") % {"status": row.get_to_status_display()}

    @staticmethod
    def staff_headline(row):
        return _("Status: %(status)s") % {"status": presenters.status_label_for_staff(row.to_status)}


@dataclass(frozen=True, kw_only=True)
class CaseFiled(CaseEventBase):
    to_status: str
    kind_of_case: str
    kind = CaseEvent.Kind.FILED
    columns = ("to_status",)

    @staticmethod
    def headline(row):
        return _("Return requested")


@dataclass(frozen=True, kw_only=True)
class CaseApproved(CaseEventBase):
    """Approved by an agent or automatically at filing; logistics makes the label when goods come back."""

    automatic: bool = subscribers_only(False)  # at filing, by the policy


@dataclass(frozen=True, kw_only=True)
class CaseRejected(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class InfoRequested(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class InfoProvided(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class CaseCancelled(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class CaseEscalated(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class CaseDeescalated(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class CaseClosed(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class CaseExpired(CaseEventBase):
    """The label was not used within its validity."""


@dataclass(frozen=True, kw_only=True)
class CaseAssigned(CaseEventBase):
    how: str  # claim, takeover, assign, reassign, unassign, auto
    assignee_id: int | None
    assignee: str
    previous_id: int | None
    previous: str
    kind = CaseEvent.Kind.ASSIGNMENT


# -- the parcel ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AddressCorrected(CaseEventBase):
    """Staff corrected the address the parcel leaves from (the label is made from it)."""

    before: dict
    after: dict
    kind = CaseEvent.Kind.ADDRESS

    @staticmethod
    def headline(row):
        after = row.data.get("after") or {}
        return _("Return address corrected: %(address)s") % {
            "address": ", ".join(str(after[k]) for k in ("name", "street", "postcode", "city", "country")
                                 if after.get(k))
        }  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class LabelDelayed(CaseEventBase):
    problems: list  # rma.logistics.documents errors as dicts
    kind = CaseEvent.Kind.LABEL_PROBLEM

    @staticmethod
    def headline(row):
        return _("The label could not be made yet")


@dataclass(frozen=True, kw_only=True)
class LabelIssued(CaseEventBase):
    tracking_number: str
    carrier: str
    cross_border: bool
    kind = CaseEvent.Kind.LABEL

    @staticmethod
    def headline(row):
        return _("Return label created (%(carrier)s, tracking number %(tracking)s)") % {
            "carrier": row.data.get("carrier", ""),
            "tracking": row.data.get("tracking_number", ""),
        }


@dataclass(frozen=True, kw_only=True)
class ShipReminderDue(CaseEventBase):
    """The label has waited a few days and the parcel is not on its way yet."""


# What the carrier's scan statuses mean, for the timeline and the customer's tracking (rma.logistics.tracking).
# A status not listed here is shown as a plain carrier update, never as its code.
CARRIER_SCAN_LABELS = {
    "picked_up": pgettext_lazy("parcel", "Picked up by the carrier"),
    "in_transit": pgettext_lazy("parcel", "On its way"),
    "out_for_delivery": pgettext_lazy("parcel", "Out for delivery to our warehouse"),
    "delivered": pgettext_lazy("parcel", "Delivered to our warehouse"),
    "exception": pgettext_lazy("parcel", "Delayed: the carrier reports a problem"),
}
CARRIER_SCAN_OTHER = pgettext_lazy("parcel", "Update from the carrier")


def carrier_scan_label(status: str) -> str:
    return str(CARRIER_SCAN_LABELS.get(status, CARRIER_SCAN_OTHER))


@dataclass(frozen=True, kw_only=True)
class ParcelScanned(CaseEventBase):
    status: str
    location: str
    kind = CaseEvent.Kind.TRACKING

    @staticmethod
    def headline(row):
        status = carrier_scan_label(row.data.get("status", ""))
        if not row.data.get("location"):
            return _("Parcel scanned by the carrier: %(status)s") % {"status": status}
        return _("Parcel scanned by the carrier: %(status)s (%(location)s)") % {
            "status": status,
            "location": row.data["location"],
        }


@dataclass(frozen=True, kw_only=True)
class ParcelInTransit(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class ParcelReceived(CaseEventBase):
    pass


# -- inspection and offers -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DeductionMade(CaseEventBase):
    item: str
    reason: str
    amount: str
    currency: str
    kind = CaseEvent.Kind.DEDUCTION

    @staticmethod
    def headline(row):
        return _("Deduction of %(amount)s for %(item)s") % {"amount": _money(row), "item": row.data.get("item", "")}


@dataclass(frozen=True, kw_only=True)
class ItemInspected(CaseEventBase):
    item: str
    grade: str
    disposition: str
    kind = CaseEvent.Kind.INSPECTION

    @staticmethod
    def headline(row):
        return _("%(item)s inspected") % {"item": row.data.get("item", "")}


@dataclass(frozen=True, kw_only=True)
class InspectionCompleted(CaseEventBase):
    deductions: list = subscribers_only()  # amount, currency, item, reason of every deduction on the case


@dataclass(frozen=True, kw_only=True)
class OfferMade(CaseEventBase):
    pass


@dataclass(frozen=True, kw_only=True)
class OfferAnswered(CaseEventBase):
    accepted: bool = subscribers_only()


# -- money -----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RefundRequested(CaseEventBase):
    """A pending refund row exists; the payment integration pays it after the commit."""

    refund_id: int = subscribers_only()


@dataclass(frozen=True, kw_only=True)
class RefundPaid(CaseEventBase):
    amount: str
    currency: str
    reference: str
    refund_kind: str
    idempotency_key: str = subscribers_only()
    kind = CaseEvent.Kind.REFUND

    @staticmethod
    def headline(row):
        return _("Refund of %(amount)s paid") % {"amount": _money(row)}


def _work(row: CaseEvent) -> str:
    work = row.data.get("work")
    if work == "exchange_charge":
        return _("The charge of the exchange's price difference (%(amount)s)") % {"amount": _money(row)}
    if work == "refund":
        return _("The refund of %(amount)s") % {"amount": _money(row)}
    return _("Making the shipping documents")


@dataclass(frozen=True, kw_only=True)
class WorkParked(CaseEventBase):
    """A side effect that stopped retrying (a declined payment, out of tries): a supervisor decides (staff only)."""

    work: str  # refund, exchange_charge or label
    attempts: int
    error: str
    amount: str = ""
    currency: str = ""
    kind = CaseEvent.Kind.STUCK

    @staticmethod
    def headline(row):
        return _("%(work)s failed after %(attempts)s tries and waits for a supervisor: %(error)s") % {
            "work": _work(row), "attempts": row.data.get("attempts"), "error": row.data.get("error", ""),
        }  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class WorkRetried(CaseEventBase):
    work: str
    amount: str = ""
    currency: str = ""
    kind = CaseEvent.Kind.STUCK

    @staticmethod
    def headline(row):
        return _("%(work)s was queued again by a supervisor") % {"work": _work(row)}


@dataclass(frozen=True, kw_only=True)
class StoreCreditIssued(CaseEventBase):
    amount: str
    currency: str
    code: str
    kind = CaseEvent.Kind.CREDIT

    @staticmethod
    def headline(row):
        return _("Store credit of %(amount)s issued") % {"amount": _money(row)}


def _replacement_headline(row) -> str:
    return _("Replacement order %(number)s created") % {"number": row.data.get("number", "")}


@dataclass(frozen=True, kw_only=True)
class ExchangeSent(CaseEventBase):
    number: str
    difference: str
    currency: str
    exchange_id: int = subscribers_only()
    kind = CaseEvent.Kind.EXCHANGE
    headline = staticmethod(_replacement_headline)


@dataclass(frozen=True, kw_only=True)
class ReplacementSent(CaseEventBase):
    number: str
    difference: str
    currency: str
    kind = CaseEvent.Kind.EXCHANGE
    headline = staticmethod(_replacement_headline)


@dataclass(frozen=True, kw_only=True)
class ExchangeHoldDue(CaseEventBase):
    """An instant exchange shipped against an authorisation: the payment integration places the hold."""

    exchange_id: int = subscribers_only()


@dataclass(frozen=True, kw_only=True)
class ExchangeHoldReleaseDue(CaseEventBase):
    """The returned item of an instant exchange is back: the payment integration voids the hold."""

    exchange_id: int = subscribers_only()


@dataclass(frozen=True, kw_only=True)
class ExchangeChargeDue(CaseEventBase):
    """An exchange costs more than what came back: the payment integration charges the difference."""

    exchange_id: int = subscribers_only()


@dataclass(frozen=True, kw_only=True)
class CaseRepaired(CaseEventBase):
    note: str = subscribers_only()


@dataclass(frozen=True, kw_only=True)
class CompensationGranted(CaseEventBase):
    compensation: str
    amount: str
    currency: str
    code: str
    kind = CaseEvent.Kind.COMPENSATION

    @staticmethod
    def headline(row):
        return _("Goodwill gesture granted")


@dataclass(frozen=True, kw_only=True)
class ApprovalRequested(CaseEventBase):
    """An agent asked for more than their limit: the case waits for a supervisor (rma.cases.services.approvals)."""

    request_kind: str
    amount: str
    currency: str
    approval_id: int
    kind = CaseEvent.Kind.APPROVAL

    @staticmethod
    def headline(row):
        return _("Awaiting approval")


@dataclass(frozen=True, kw_only=True)
class ApprovalDecided(CaseEventBase):
    request_kind: str
    amount: str
    currency: str
    approved: bool
    reason: str  # the supervisor's; the customer's page shows only the headline
    approval_id: int
    kind = CaseEvent.Kind.APPROVAL_DECIDED

    @staticmethod
    def headline(row):
        return _("Approved by a supervisor") if row.data.get("approved") else _("Declined by a supervisor")


@dataclass(frozen=True, kw_only=True)
class CaseEditedInAdmin(CaseEventBase):
    """Someone changed the case's fields in the Django admin: each field with its value before and after."""

    changes: dict  # field name: [before, after], as text
    kind = CaseEvent.Kind.ADMIN_EDIT

    @staticmethod
    def headline(row):
        changes = row.data.get("changes") or {}
        return _("Changed in the admin: %(changes)s") % {
            "changes": "; ".join(
                f"{name}: {before or '—'} → {after or '—'}" for name, (before, after) in changes.items()
            )
        }


# -- deadlines -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SlaMissed(CaseEventBase):
    clock: str  # decision or refund
    kind = CaseEvent.Kind.SLA

    @staticmethod
    def headline(row):
        return _("Deadline missed: escalated to a supervisor")


@dataclass(frozen=True, kw_only=True)
class RefundDeadlineMoved(CaseEventBase):
    previous: str  # ISO date
    now: str = "on_receipt"
    kind = CaseEvent.Kind.DEADLINE

    @staticmethod
    def headline(row):
        return _("Refund date moved: we refund as soon as your parcel arrives")

    @staticmethod
    def staff_headline(row):
        return _("Refund date moved: the refund is due as soon as the parcel arrives")


# -- conversation and messages sent ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MessagePosted(CaseEventBase):
    """A message in the thread: from an agent (``actor``) or from the customer (``role="customer"``)."""

    message_id: int
    body: str = subscribers_only("")
    kind = CaseEvent.Kind.MESSAGE


@dataclass(frozen=True, kw_only=True)
class NotePosted(CaseEventBase):
    message_id: int
    kind = CaseEvent.Kind.NOTE


@dataclass(frozen=True, kw_only=True)
class NotificationSent(CaseEventBase):
    event: str
    channel: str
    recipient: str
    kind = CaseEvent.Kind.NOTIFICATION

    @staticmethod
    def headline(row):
        if row.data.get("channel") == "sms":
            return _("Text message sent to %(recipient)s") % {"recipient": row.data.get("recipient", "")}
        return _("Email sent to %(recipient)s") % {"recipient": row.data.get("recipient", "")}


@dataclass(frozen=True, kw_only=True)
class WithdrawalSubmitted:
    """A withdrawal was made with the EU withdrawal function. It may have opened no case (the period had
    ended, or nothing was covered); the statement row waits for its acknowledgement either way."""

    statement: WithdrawalStatement


def _timeline_kinds() -> dict[str, type[CaseEventBase]]:
    found: dict[str, type[CaseEventBase]] = {}
    pending = list(CaseEventBase.__subclasses__())
    while pending:
        cls = pending.pop(0)
        pending.extend(cls.__subclasses__())
        if cls.kind is not None:
            found.setdefault(cls.kind, cls)
    return found


# Every timeline kind and the event that declares it: what a row says is looked up here.
TIMELINE_KINDS = _timeline_kinds()


def headline(row: CaseEvent) -> str:
    """What a timeline row says, in the active language."""
    event = TIMELINE_KINDS.get(row.kind)
    return event.headline(row) if event is not None else ""


def staff_headline(row: CaseEvent) -> str:
    """What a timeline row says to staff, in the active language: in staff's words where they differ."""
    event = TIMELINE_KINDS.get(row.kind)
    if event is None:
        return ""
    return (event.staff_headline or event.headline)(row)
