"""What the customer is told, offered and may download about a case, decided once from its facts.

Every sentence about labels, parcels, money and timing on the customer's case page and in the emails
derived from the case comes from ``present`` (page) or ``email_body`` (emails), a pure function of a
``CaseFacts``: the status, kind, return method, the resolutions asked for, and a few recorded facts.
Nothing here reads the database or the clock; ``case_facts`` gathers the facts from a case once.

"Refund on its way" stays decided by ``ReturnCase.refund_unpaid`` (docs/reliability.md); it is one of
the facts.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from policies.taxonomy import Basis, ReturnMethod
from returns_portal.formatting import format_date, format_money
from rma.cases.models import OPEN_STATUSES, CaseStatus, Resolution

S = CaseStatus

# The model's status labels speak to the customer ("Waiting for your answer"); staff read these instead.
STAFF_STATUS_LABELS = {
    S.NEEDS_INFO: _("Waiting for the customer's information"),
    S.AWAITING_CUSTOMER: _("Waiting for the customer's answer"),
}


def status_label_for_staff(status: str) -> str:
    """A status as the workspace names it, in the active language."""
    label = STAFF_STATUS_LABELS.get(status)
    return str(label) if label is not None else str(dict(CaseStatus.choices).get(status, status))


def status_choices_for_staff() -> list[tuple[str, str]]:
    """Every status with its staff label, in the workflow's order (for the queue's filter and rows)."""
    return [(value, STAFF_STATUS_LABELS.get(value, label)) for value, label in CaseStatus.choices]


MONEY = frozenset({Resolution.REFUND, Resolution.STORE_CREDIT})
# The customer gets an item back rather than money.
GOODS = frozenset({Resolution.EXCHANGE, Resolution.REPAIR, Resolution.REPLACEMENT})
# The return is over without the parcel being (or staying) wanted: labels and documents answer 410.
DEAD = frozenset({S.CANCELLED, S.REJECTED, S.EXPIRED, S.CLOSED})


@dataclass(frozen=True)
class CaseFacts:
    """The plain facts every sentence depends on."""

    status: str
    kind: str
    method: str
    needs_shipment: bool
    resolutions: frozenset = frozenset()
    # Resolutions of items whose basis is the legal guarantee: a repair or replacement there is free.
    guarantee_resolutions: frozenset = frozenset()
    has_label: bool = False  # logistics has made the shipment (label, QR, documents)
    refund_unpaid: bool = False  # ReturnCase.refund_unpaid
    has_refunds: bool = False
    auto_approved: bool = False
    escalated_from: str = ""
    offer_amount: Decimal | None = None
    currency: str = ""
    statutory_refund_due_on: datetime.date | None = None


@dataclass(frozen=True)
class CasePresentation:
    """What the case page shows: sentences, which interactive block, which offers and downloads."""

    sentences: tuple  # "What happens next", in order
    block: str = ""  # the interactive part under them: needs_info, return_center, offer, rejected, survey
    documents_offered: bool = False  # label, packing slip, customs links and the QR code on the page
    primary: str = ""  # the main button: "label" (print it) or "qr" (show it), or none
    show_tracking: bool = False  # carrier and tracking number
    can_cancel: bool = False
    label_pending: bool = False  # the label is still to come: its delays are worth telling
    # The summary card
    show_method: bool = True  # "Sent back through …" and the return-shipping line
    goods_notes: tuple = ()
    money_timing: str = ""  # overrides the quote's "when the money arrives" when set
    extra: tuple = field(default=())  # muted sentences after the main ones (the law's latest refund date)


def case_facts(case, *, has_label: bool) -> CaseFacts:
    """The facts of one case; ``has_label`` comes from logistics, which the core does not import."""
    items = list(case.items.all())
    return CaseFacts(
        status=case.status,
        kind=case.kind,
        method=case.return_method,
        needs_shipment=case.needs_shipment,
        resolutions=frozenset(i.resolution for i in items),
        guarantee_resolutions=frozenset(i.resolution for i in items if i.basis == Basis.LEGAL_GUARANTEE),
        has_label=has_label,
        refund_unpaid=case.refund_unpaid,
        has_refunds=case.refunds.exists(),
        auto_approved=case.auto_approved,
        escalated_from=case.escalated_from,
        offer_amount=case.offer_amount,
        currency=case.currency,
        statutory_refund_due_on=case.statutory_refund_due_on,
    )


def documents_downloadable(facts: CaseFacts) -> bool:
    """Whether the label and the shipping documents may still be downloaded (else they answer 410)."""
    return facts.has_label and facts.status in OPEN_STATUSES


def documents_gone(facts: CaseFacts) -> bool:
    """The return is over (cancelled, rejected, expired, settled or closed): its documents answer 410."""
    return facts.status not in OPEN_STATUSES


def _qr_method(facts: CaseFacts) -> bool:
    return facts.method in (ReturnMethod.DROP_OFF_QR, ReturnMethod.RETURN_CENTER)


def _in_transit_sentence(facts: CaseFacts):
    r = facts.resolutions
    if r and r <= {Resolution.REFUND}:
        return _("Your parcel is on its way to us. We will refund you once it has arrived.")
    if r and r <= {Resolution.STORE_CREDIT}:
        return _("Your parcel is on its way to us. We will issue your store credit once it has arrived.")
    if r and r <= GOODS:
        return _("Your parcel is on its way to us. We will send you your item once it has arrived.")
    return _("Your parcel is on its way to us. We will settle your return once it has arrived.")


def _next_step(facts: CaseFacts) -> tuple[tuple, str]:
    """The "What happens next" sentences and the interactive block that goes with them."""
    status = facts.status
    if status == S.REQUESTED:
        return (_("We are checking your request and will email you as soon as it is approved."),), ""
    if status == S.NEEDS_INFO:
        return (_("We need your answer to decide on your return:"),), "needs_info"
    if status == S.APPROVED and not facts.needs_shipment:
        return (_("Your claim is approved. You do not need to send anything back; we are settling it now."),), ""
    if status == S.APPROVED and _qr_method(facts):
        return (
            _(
                "Your return is approved. Your QR code is being prepared; this page and your email will have it "
                "in a moment."
            ),
        ), ""
    if status == S.APPROVED:
        return (
            _(
                "Your return is approved. Your return label is being prepared; this page and your email will have "
                "it in a moment."
            ),
        ), ""
    if status == S.LABEL_ISSUED and facts.method == ReturnMethod.DROP_OFF_QR:
        return (
            _(
                "Pack the items with the packing slip, take the parcel to a drop-off point and show the QR code "
                "below: they print the label for you."
            ),
        ), ""
    if status == S.LABEL_ISSUED and facts.method == ReturnMethod.RETURN_CENTER:
        return (
            _("Pack the items with the packing slip and bring the parcel to our return centre:"),
            _("Show the QR code below at the desk; you do not need to print the label."),
        ), "return_center"
    if status == S.LABEL_ISSUED:
        return (_("Print the label, stick it on the parcel and hand the parcel to the carrier."),), ""
    if status == S.IN_TRANSIT:
        return (_in_transit_sentence(facts),), ""
    if status in (S.RECEIVED, S.INSPECTED):
        return (_("We have received your parcel and are checking the items. The next step follows shortly."),), ""
    if status == S.AWAITING_CUSTOMER:
        amount = format_money(facts.offer_amount or 0, facts.currency)
        return (
            _("After checking the items we can offer you a refund of %(amount)s. Do you accept?") % {"amount": amount},
        ), "offer"
    if status == S.ESCALATED:
        return (_("A supervisor is looking at your return and will get back to you."),), ""
    if status == S.REFUNDED and facts.refund_unpaid:
        return (
            _(
                "Your refund is on its way: we have sent it to the payment provider and will email you as soon as "
                "it is paid."
            ),
        ), ""
    if status == S.REFUNDED:
        return (_("Your refund has been paid."),), ""
    if status == S.CREDITED:
        return (_("Your store credit has been issued; the code is in your email."),), ""
    if status in (S.EXCHANGED, S.REPLACED):
        return (_("Your replacement is on its way."),), ""
    if status == S.REPAIRED:
        return (_("Your item has been repaired and is on its way back to you."),), ""
    if status == S.CLOSED:
        return (_("This return is complete."),), "survey"
    if status == S.REJECTED:
        return (_("We could not accept this return."),), "rejected"
    if status == S.CANCELLED:
        if facts.has_label:
            return (
                _("You cancelled this return."),
                _("Its return label and QR code are no longer valid: please do not send the parcel."),
            ), ""
        return (_("You cancelled this return."),), ""
    if status == S.EXPIRED:
        return (
            _("The return label was not used in time, so this return has expired."),
            _("Please do not send the parcel with the old label."),
        ), ""
    return (), ""


def _goods_notes(facts: CaseFacts) -> tuple:
    """What an exchange, repair or replacement costs and when it comes, without promising a price difference
    where there is none (a repair or replacement under the legal guarantee is free)."""
    notes = []
    priced_exchange = Resolution.EXCHANGE in facts.resolutions - facts.guarantee_resolutions
    if priced_exchange:
        notes.append(
            _("Exchange: we send you the new item once we have yours; a price difference is charged or refunded.")
            if facts.needs_shipment
            else _("Exchange: we send you the new item; a price difference is charged or refunded.")
        )
    free = facts.guarantee_resolutions & GOODS
    paid = (facts.resolutions & {Resolution.REPAIR, Resolution.REPLACEMENT}) - free
    if free:
        notes.append(
            _(
                "Repair or replacement under the legal guarantee: free of charge; we send you the item once we "
                "have yours."
            )
            if facts.needs_shipment
            else _("Repair or replacement under the legal guarantee: free of charge; we send you the item.")
        )
    if paid:
        notes.append(
            _("Repair or replacement: we send you the item once we have yours.")
            if facts.needs_shipment
            else _("Repair or replacement: we send you the item.")
        )
    return tuple(notes)


def present(facts: CaseFacts) -> CasePresentation:
    """The customer's case page for these facts."""
    sentences, block = _next_step(facts)
    offered = (
        facts.has_label
        and facts.needs_shipment
        and (facts.status == S.LABEL_ISSUED or (facts.status == S.ESCALATED and facts.escalated_from == S.LABEL_ISSUED))
    )
    extra = ()
    if (
        facts.statutory_refund_due_on
        and not facts.has_refunds
        and Resolution.REFUND in facts.resolutions
        and facts.status in OPEN_STATUSES
    ):
        extra = (
            _("By law we refund you by %(date)s at the latest.")
            % {"date": format_date(facts.statutory_refund_due_on, "long")},
        )
    return CasePresentation(
        sentences=tuple(str(s) for s in sentences),
        block=block,
        documents_offered=offered,
        primary=("qr" if _qr_method(facts) else "label") if offered else "",
        show_tracking=facts.has_label and facts.needs_shipment and facts.status in OPEN_STATUSES,
        label_pending=facts.status == S.APPROVED and facts.needs_shipment and not facts.has_label,
        can_cancel=facts.status in (S.REQUESTED, S.NEEDS_INFO, S.APPROVED, S.LABEL_ISSUED),
        show_method=facts.needs_shipment,
        goods_notes=tuple(str(n) for n in _goods_notes(facts)),
        money_timing=""
        if facts.needs_shipment
        else str(_("When the money arrives: as soon as we have settled your claim; nothing needs to be sent back.")),
        extra=tuple(str(s) for s in extra),
    )


def email_label_link(facts: CaseFacts) -> bool:
    """Emails carry the "download your label" button only where printing the label is the next step."""
    return present(facts).primary == "label"


def email_body(event: str, facts: CaseFacts):
    """The body of the email for ``event`` where the case's facts change it, else None (the notice's own).

    Placeholders are those of ``rma.messaging.notices`` (``%(carrier)s``, ``%(tracking)s``…).
    """
    r = facts.resolutions
    if event == "filed" and facts.auto_approved:
        return _(
            "Thank you. We have received your request to return the items below, and it is already approved. "
            "The next step follows in a separate message."
        )
    if event == "approved" and not facts.needs_shipment:
        return _("Your claim is approved. You do not need to send anything back; we are settling it now.")
    if event == "approved" and _qr_method(facts):
        return _("Your return is approved. We are preparing your QR code and will send it to you shortly.")
    if event == "label_ready" and facts.method == ReturnMethod.DROP_OFF_QR:
        return _(
            "Your return is ready to send. Pack the items, take the parcel to a %(carrier)s drop-off point and "
            "show the QR code on your return's page: they print the label for you. Tracking number: %(tracking)s."
        )
    if event == "label_ready" and facts.method == ReturnMethod.RETURN_CENTER:
        return _(
            "Your return is ready. Pack the items, bring the parcel to our return centre and show the QR code on "
            "your return's page at the desk. Tracking number: %(tracking)s."
        )
    if event == "ship_reminder" and _qr_method(facts):
        return _(
            "Your return is ready but your parcel has not been sent yet. Please send it soon: the QR code on your "
            "return's page is valid for a limited time."
        )
    if event == "received" and r and not r <= {Resolution.REFUND}:
        if r <= {Resolution.STORE_CREDIT}:
            return _("Your parcel has arrived at our returns centre. We will issue your store credit shortly.")
        if r <= GOODS:
            return _("Your parcel has arrived at our returns centre. We will send you your item shortly.")
        return _("Your parcel has arrived at our returns centre. We will settle your return shortly.")
    return None
