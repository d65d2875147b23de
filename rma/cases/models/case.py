"""The return case: its statuses, the workflow transitions and the queue's sort key."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from policies.models import ReturnPolicy
from policies.taxonomy import InstantExchange, ReturnMethod
from rma.orders.models import Customer

# Crockford's base32 without I, L, O, U: easy to read aloud and type, 32**10 possible numbers.
RMA_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def rma_number_new() -> str:
    return "R" + "".join(secrets.choice(RMA_ALPHABET) for _ in range(10))


class CaseStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    NEEDS_INFO = "needs_info", _("Waiting for your information")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LABEL_ISSUED = "label_issued", _("Label issued")
    IN_TRANSIT = "in_transit", _("On its way back")
    RECEIVED = "received", _("Received")
    INSPECTED = "inspected", _("Inspected")
    AWAITING_CUSTOMER = "awaiting_customer", _("Waiting for your answer")
    REFUNDED = "refunded", _("Refunded")
    CREDITED = "credited", _("Store credit issued")
    EXCHANGED = "exchanged", _("Exchanged")
    REPAIRED = "repaired", _("Repaired")
    REPLACED = "replaced", _("Replaced")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    ESCALATED = "escalated", _("Escalated")


class CaseKind(models.TextChoices):
    RETURN = "return", _("Return")
    EXCHANGE = "exchange", _("Exchange")
    WARRANTY = "warranty", _("Warranty claim")
    DELIVERY = "delivery", _("Delivery claim")


class Resolution(models.TextChoices):
    """What the customer wishes for an item. The codes are those of ``policies.taxonomy.Resolution``
    (which the policy offers); the labels here are the customer's choices on the return form."""

    REFUND = "refund", _("Refund to the original payment method")
    STORE_CREDIT = "store_credit", _("Store credit")
    EXCHANGE = "exchange", _("Exchange for another size, colour or product")
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")


S = CaseStatus
OPEN_STATUSES = [
    S.REQUESTED, S.NEEDS_INFO, S.APPROVED, S.LABEL_ISSUED, S.IN_TRANSIT, S.RECEIVED, S.INSPECTED,
    S.AWAITING_CUSTOMER, S.ESCALATED,
]  # fmt: skip
RESOLVED_STATUSES = [S.REFUNDED, S.CREDITED, S.EXCHANGED, S.REPAIRED, S.REPLACED]
FINAL_STATUSES = [S.CLOSED, S.CANCELLED]
# The parcel has not left yet: the customer may still cancel.
BEFORE_SHIPPING = [S.REQUESTED, S.NEEDS_INFO, S.APPROVED, S.LABEL_ISSUED]
# Where money can be settled: after inspection, or at approval when nothing is sent back.
SETTLEABLE = [S.INSPECTED, S.APPROVED]
ESCALATABLE = [S.REQUESTED, S.NEEDS_INFO, S.APPROVED, S.LABEL_ISSUED, S.IN_TRANSIT, S.RECEIVED, S.INSPECTED,
               S.AWAITING_CUSTOMER]  # fmt: skip


# The SLA clock running now, which the agent queue sorts by: the decision clock until the case is
# decided, then the refund clock (set when the goods arrive). NULL while no clock runs.
SLA_DUE = models.Case(
    models.When(decided_at__isnull=True, then=models.F("decision_due_at")), default=models.F("refund_due_at")
)
# The queue's sort key: the running SLA clock, cases without one last (a far-future stand-in instead of
# NULL, so a keyset page starts with one index range condition).
NO_SLA_DUE = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
QUEUE_SORT = Coalesce(SLA_DUE, models.Value(NO_SLA_DUE), output_field=models.DateTimeField())


def _settleable(case) -> bool:
    """Money may move after inspection, or straight after approval when nothing comes back."""
    return case.status == S.INSPECTED or (case.status == S.APPROVED and not case.needs_shipment)


def _ships_back(case) -> bool:
    return case.needs_shipment


def _all_items_inspected(case) -> bool:
    from .items import ReturnItem  # items.py imports this module for its foreign key

    return not case.items.exclude(status=ReturnItem.Status.INSPECTED).exists()


class ReturnCase(ConcurrentTransitionMixin, models.Model):
    """One customer request about goods bought; its status moves only through the transitions below.

    Transitions change fields only. rma.cases.services checks permissions, saves inside a transaction
    (the optimistic lock refuses a stale write) and publishes the case event (rma.cases.events), which
    writes the timeline row; the satellites subscribed to it queue the side effects.
    """

    rma_number = models.CharField(_("RMA number"), max_length=16, unique=True, default=rma_number_new)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind, default=CaseKind.RETURN)
    status = FSMField(_("status"), default=S.REQUESTED, choices=CaseStatus, protected=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    country = models.CharField(_("country"), max_length=6)
    # The currency of the orders it returns (a case never mixes currencies); every amount of the case is in it.
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    policy = models.ForeignKey(ReturnPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    region_fallback = models.BooleanField(default=False)  # no region covers the country: the default was used
    needs_shipment = models.BooleanField(default=True)  # False for claims where nothing is sent back
    return_shipping_paid_by = models.CharField(max_length=12, blank=True)
    return_method = models.CharField(
        _("return method"), max_length=16, choices=ReturnMethod, default=ReturnMethod.MAIL_LABEL
    )
    # Kept back from the refund as quoted at filing (rma.cases.services.quote): the customer's part of the label.
    shipping_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    auto_approved = models.BooleanField(default=False)
    # Returned by the recipient of a gift (the case's customer), with the order's gift code: store credit or an
    # exchange only, never money to the buyer's card, and the buyer is never told (rma.cases.services.gift).
    gift = models.BooleanField(_("gift return"), default=False)
    # An exchange shipped before the returned item is back, and how the shop covers it (the policy's
    # ``instant_exchange`` at filing): holding an authorisation, or taking the risk itself. Empty otherwise.
    instant_exchange = models.CharField(
        _("instant exchange"), max_length=16, choices=InstantExchange, default=InstantExchange.OFF, blank=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    info_request = models.TextField(_("information asked for"), blank=True)
    info_response = models.TextField(_("your answer"), blank=True)
    offer_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    offer_reason = models.CharField(max_length=32, blank=True)
    escalated_from = models.CharField(max_length=20, blank=True)
    # The address the parcel leaves from, as staff corrected it (rma.cases.services.address): name, street,
    # postcode, city, country, phone. Empty: the shipping address of the order of the case's first item.
    return_address = models.JSONField(default=dict, blank=True)
    # Why the shipping documents cannot be made yet (rma.logistics.documents errors as dicts); empty when fine.
    document_problems = models.JSONField(default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_cases"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    # SLA clocks (set by rma.sla) and the statutory refund due date from the policy decision.
    first_response_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decision_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    refund_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    statutory_refund_due_on = models.DateField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("return case")
        verbose_name_plural = _("return cases")
        permissions = [
            ("decide_case", _("Can approve or reject return cases")),
            ("process_case", _("Can process return cases")),
            ("refund_case", _("Can refund return cases")),
            ("supervise_case", _("Can supervise return cases")),
            ("correct_address", _("Can correct a case's return address")),
        ]
        indexes = [
            # The agent queue: open cases in SLA order, read page by page with a keyset (agent workspace).
            # The trailing columns let the saved views and filters be checked inside the index.
            models.Index(
                QUEUE_SORT,
                "id",
                "status",
                "assignee",
                "kind",
                "language",
                "country",
                name="case_queue_open_due",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            # Load per agent (automatic assignment, supervisor view) and the "mine" view.
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            # Handling times over a recent period (supervisor view).
            models.Index(fields=["decided_at"], name="case_decided_at"),
        ]

    def __str__(self):
        return self.rma_number

    @cached_property
    def refund_unpaid(self) -> bool:
        """Refunded by the team, but the provider has not confirmed every payment yet: the customer is told the
        refund is on its way, not that it is paid. List selectors annotate it (``refund_unpaid_annotation``)."""
        return self.status == S.REFUNDED and self.refunds.exclude(status="paid").exists()

    @transition(field=status, source=S.REQUESTED, target=S.APPROVED, permission="rma.decide_case")
    def approve(self):
        pass

    @transition(field=status, source=[S.REQUESTED, S.NEEDS_INFO], target=S.REJECTED, permission="rma.decide_case")
    def reject(self, reason: str):
        self.rejection_reason = reason

    @transition(field=status, source=S.REQUESTED, target=S.NEEDS_INFO, permission="rma.decide_case")
    def request_info(self, question: str):
        self.info_request = question
        self.info_response = ""

    @transition(field=status, source=S.NEEDS_INFO, target=S.REQUESTED, custom={"customer": True})
    def provide_info(self, answer: str):
        self.info_response = answer

    @transition(field=status, source=S.APPROVED, target=S.LABEL_ISSUED, conditions=[_ships_back],
                custom={"system": True})  # fmt: skip
    def issue_label(self):
        pass

    @transition(field=status, source=S.LABEL_ISSUED, target=S.IN_TRANSIT, permission="rma.process_case")
    def mark_in_transit(self):
        pass

    @transition(field=status, source=[S.LABEL_ISSUED, S.IN_TRANSIT], target=S.RECEIVED,
                permission="rma.process_case")  # fmt: skip
    def mark_received(self):
        pass

    @transition(field=status, source=S.LABEL_ISSUED, target=S.EXPIRED, custom={"system": True})
    def expire(self):
        pass

    @transition(field=status, source=S.RECEIVED, target=S.INSPECTED, conditions=[_all_items_inspected],
                permission="rma.process_case", custom={"system": True})  # fmt: skip
    def complete_inspection(self):
        pass

    @transition(field=status, source=S.INSPECTED, target=S.AWAITING_CUSTOMER, permission="rma.process_case",
                custom={"form": True})  # fmt: skip
    def offer_partial_refund(self, amount, reason: str):
        self.offer_amount, self.offer_reason = amount, reason

    @transition(field=status, source=S.AWAITING_CUSTOMER, target=S.INSPECTED, custom={"customer": True})
    def accept_offer(self):
        pass

    @transition(field=status, source=S.AWAITING_CUSTOMER, target=S.ESCALATED, custom={"customer": True})
    def refuse_offer(self):
        self.escalated_from = S.INSPECTED
        self.offer_amount = None

    @transition(field=status, source=SETTLEABLE, target=S.REFUNDED, conditions=[_settleable],
                permission="rma.refund_case")  # fmt: skip
    def refund(self):
        pass

    @transition(field=status, source=SETTLEABLE, target=S.CREDITED, conditions=[_settleable],
                permission="rma.refund_case")  # fmt: skip
    def credit(self):
        pass

    @transition(field=status, source=SETTLEABLE, target=S.EXCHANGED, conditions=[_settleable],
                permission="rma.refund_case", custom={"form": True})  # fmt: skip
    def exchange(self):
        pass

    @transition(field=status, source=SETTLEABLE, target=S.REPAIRED, conditions=[_settleable],
                permission="rma.refund_case")  # fmt: skip
    def mark_repaired(self):
        pass

    @transition(field=status, source=SETTLEABLE, target=S.REPLACED, conditions=[_settleable],
                permission="rma.refund_case")  # fmt: skip
    def replace(self):
        pass

    @transition(field=status, source=[*RESOLVED_STATUSES, S.REJECTED, S.EXPIRED], target=S.CLOSED,
                permission="rma.process_case")  # fmt: skip
    def close(self):
        pass

    @transition(field=status, source=BEFORE_SHIPPING, target=S.CANCELLED, permission="rma.process_case")
    def cancel(self):
        pass

    @transition(field=status, source=ESCALATABLE, target=S.ESCALATED, permission="rma.process_case")
    def escalate(self):
        self.escalated_from = self.status

    @transition(field=status, source=S.ESCALATED, target=RETURN_VALUE(*ESCALATABLE),
                permission="rma.supervise_case")  # fmt: skip
    def deescalate(self):
        back, self.escalated_from = self.escalated_from or S.REQUESTED, ""
        return back

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
