"""Customers and orders as the shop knows them; return cases, their items, timeline, shipments, money."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from policies.models import ReturnPolicy
from policies.taxonomy import Category, Reason, ReturnMethod

# Crockford's base32 without I, L, O, U: easy to read aloud and type, 32**10 possible numbers.
RMA_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def rma_number_new() -> str:
    return "R" + "".join(secrets.choice(RMA_ALPHABET) for _ in range(10))


class Customer(models.Model):
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    country = models.CharField(_("country"), max_length=6)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)  # IANA name; empty: the shop's
    # A language the shop does not ship, as the shop sent it; the customer is served in English meanwhile.
    requested_language = models.CharField(max_length=16, blank=True)
    notify_sms = models.BooleanField(_("text messages"), default=True)
    # Unsubscribed from messages that are not needed to complete a return (confirmations, surveys).
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return f"{self.name} <{self.email}>"


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=40, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    currency = models.CharField(_("currency"), max_length=3)
    ordered_on = models.DateField(_("ordered on"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    ship_name = models.CharField(_("recipient"), max_length=200)
    ship_street = models.CharField(_("street"), max_length=200)
    ship_postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    ship_city = models.CharField(_("city"), max_length=100)
    ship_country = models.CharField(_("country"), max_length=6)
    # Whether the shop gave the customer the statutory withdrawal information (EU CRD Art. 6(1)(h)):
    # without it no deduction for diminished value is allowed (Art. 14(2)).
    withdrawal_info_given = models.BooleanField(default=True)

    class Meta:
        ordering = ["-ordered_on"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("product"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    # For customs documents on cross-border returns.
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    origin_country = models.CharField(_("country of origin"), max_length=2, blank=True)
    # The shop's product tags (e.g. "final-sale", "bulky"): policy override rules can match them.
    tags = models.JSONField(_("tags"), default=list, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orderline_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.order.number} · {self.name}"


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
    return not case.items.exclude(status=ReturnItem.Status.INSPECTED).exists()


class ReturnCase(ConcurrentTransitionMixin, models.Model):
    """One customer request about goods bought; its status moves only through the transitions below.

    Transitions change fields only. rma.services checks permissions, saves inside a transaction
    (the optimistic lock refuses a stale write), writes the CaseEvent and enqueues side effects.
    """

    rma_number = models.CharField(_("RMA number"), max_length=16, unique=True, default=rma_number_new)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind, default=CaseKind.RETURN)
    status = FSMField(_("status"), default=S.REQUESTED, choices=CaseStatus, protected=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    country = models.CharField(_("country"), max_length=6)
    policy = models.ForeignKey(ReturnPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    region_fallback = models.BooleanField(default=False)  # no region covers the country: the default was used
    needs_shipment = models.BooleanField(default=True)  # False for claims where nothing is sent back
    return_shipping_paid_by = models.CharField(max_length=12, blank=True)
    return_method = models.CharField(
        _("return method"), max_length=16, choices=ReturnMethod, default=ReturnMethod.MAIL_LABEL
    )
    # Kept back from the refund as quoted at filing (rma.services.quote): the customer's part of the label.
    shipping_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    auto_approved = models.BooleanField(default=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    info_request = models.TextField(_("information asked for"), blank=True)
    info_response = models.TextField(_("your answer"), blank=True)
    offer_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    offer_reason = models.CharField(max_length=32, blank=True)
    escalated_from = models.CharField(max_length=20, blank=True)
    # Why the shipping documents cannot be made yet (rma.documents errors as dicts); empty when fine.
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

    @property
    def currency(self) -> str:
        first = self.items.select_related("order_line__order").first()
        return first.order_line.order.currency if first else ""


class ReturnItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Not received yet")
        RECEIVED = "received", _("Received")
        INSPECTED = "inspected", _("Inspected")

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="items")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_items")
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=32, choices=Reason)
    resolution = models.CharField(_("what you would like"), max_length=16, choices=Resolution,
                                  default=Resolution.REFUND)  # fmt: skip
    exchange_wish = models.CharField(_("exchange for"), max_length=200, blank=True)
    problem = models.TextField(_("what is wrong"), blank=True)  # for faults: what happens, since when
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    eligible = models.BooleanField(default=False)
    basis = models.CharField(max_length=32, blank=True)
    deadline = models.DateField(null=True, blank=True)
    # The engine's decision at filing time, frozen: what the customer was told and why.
    decision = models.JSONField(default=dict)
    # The policy's restocking fee for this item as quoted at filing; kept back from the refund.
    restocking_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("returned item")
        verbose_name_plural = _("returned items")
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="returnitem_quantity_positive")]

    def __str__(self):
        return f"{self.case.rma_number} · {self.order_line.name} × {self.quantity}"

    @property
    def amount(self):
        return self.order_line.unit_price * self.quantity


def item_photo_upload_to(instance, filename):
    return f"claims/{instance.item.case.rma_number}/{filename}"


class ReturnItemPhoto(models.Model):
    """A photo the customer sent with an item (a damaged parcel, a fault), cleaned of its metadata."""

    item = models.ForeignKey(ReturnItem, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=item_photo_upload_to)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.image.name


class Inspection(models.Model):
    """What the warehouse found in one returned item (the diagnosis, for a warranty claim)."""

    class Grade(models.TextChoices):
        NEW = "new", _("As new")
        GOOD = "good", _("Good: light signs of handling")
        FAIR = "fair", _("Fair: visible wear")
        POOR = "poor", _("Poor: damaged or not resellable")

    class Disposition(models.TextChoices):
        RESTOCK = "restock", _("Restock")
        REFURBISH = "refurbish", _("Refurbish")
        RETURN_TO_VENDOR = "return_to_vendor", _("Return to vendor")
        LIQUIDATE = "liquidate", _("Liquidate")
        RECYCLE = "recycle", _("Recycle")

    item = models.OneToOneField(ReturnItem, on_delete=models.CASCADE, related_name="inspection")
    complete = models.BooleanField(_("complete, with all parts"), default=True)
    grade = models.CharField(_("condition"), max_length=8, choices=Grade)
    customer_fault = models.BooleanField(_("damage caused by the customer"), default=False)
    fault_found = models.BooleanField(_("the reported fault is confirmed"), default=False)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition)
    notes = models.TextField(_("notes"), blank=True)
    inspected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inspected_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.item} · {self.grade}"


def inspection_photo_upload_to(instance, filename):
    return f"inspections/{instance.inspection.item.case.rma_number}/{filename}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=inspection_photo_upload_to)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.image.name


class DeductionReason(models.TextChoices):
    DIMINISHED_VALUE = "diminished_value", _("Handled beyond what was needed to examine it")
    MISSING_PARTS = "missing_parts", _("Parts or accessories are missing")
    RESTOCKING_FEE = "restocking_fee", _("Restocking fee")
    RETURN_SHIPPING_FEE = "return_shipping_fee", _("Return shipping cost")


class Deduction(models.Model):
    """An amount kept back from a refund, with a reason the customer reads. Never edited; corrected by new rows."""

    item = models.ForeignKey(ReturnItem, on_delete=models.PROTECT, related_name="deductions")
    reason = models.CharField(_("reason"), max_length=24, choices=DeductionReason)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deduction_amount_positive")]

    def __str__(self):
        return f"{self.item} −{self.amount} ({self.reason})"


class CaseEvent(models.Model):
    """Append-only timeline of a case: transitions, notifications, documents."""

    class Kind(models.TextChoices):
        FILED = "filed", pgettext_lazy("event", "Return requested")
        TRANSITION = "transition", pgettext_lazy("event", "Status changed")
        LABEL = "label", pgettext_lazy("event", "Label created")
        NOTIFICATION = "notification", pgettext_lazy("event", "Notification sent")
        REFUND = "refund", pgettext_lazy("event", "Refund paid")
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


class LookupCode(models.Model):
    """A one-time code (and magic link) sent to the order's email before the portal opens the order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lookup_codes")
    email = models.EmailField()
    code_hash = models.CharField(max_length=128)
    link_nonce = models.CharField(max_length=32, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.order.number} → {self.email}"


class WithdrawalStatement(models.Model):
    """A withdrawal made with the EU withdrawal function (CRD Art. 11a), kept as it was submitted."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="withdrawals")
    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    language = models.CharField(max_length=10)
    content = models.TextField()  # the statement as the customer confirmed it
    submitted_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.order.number} {self.submitted_at:%Y-%m-%d %H:%M}"


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


class AgentProfile(models.Model):
    """What an agent can take: the languages they read, and how many open cases at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile")
    languages = models.JSONField(default=list, blank=True)  # Django language codes, e.g. ["en", "zh-hans"]
    max_open_cases = models.PositiveIntegerField(default=40)
    available = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.user} ({', '.join(self.languages)})"


class CannedReply(models.Model):
    """A macro: a reply with placeholders, one text per language, optionally applying a transition."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    transition = models.CharField(_("also do"), max_length=32, blank=True)  # e.g. "request_info"
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self):
        return self.name


class CannedReplyText(models.Model):
    reply = models.ForeignKey(CannedReply, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    body = models.TextField(_("text"), help_text=_("Placeholders: {customer_name}, {rma_number}, {shop_name}"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reply", "language"], name="one_text_per_language")]

    def __str__(self):
        return f"{self.reply.name} [{self.language}]"


def label_upload_to(instance, filename):
    return f"labels/{instance.case.rma_number}/{filename}"


class Shipment(models.Model):
    """The parcel going back to the shop. One per case: the database refuses a second label."""

    case = models.OneToOneField(ReturnCase, on_delete=models.CASCADE, related_name="shipment")
    carrier = models.CharField(max_length=40)
    tracking_number = models.CharField(max_length=64, unique=True)
    label_pdf = models.FileField(upload_to=label_upload_to)
    packing_slip_pdf = models.FileField(upload_to=label_upload_to, blank=True)
    customs_pdf = models.FileField(upload_to=label_upload_to, blank=True)  # CN23, across a customs border
    invoice_pdf = models.FileField(upload_to=label_upload_to, blank=True)
    return_center = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self):
        return self.tracking_number


class TrackingEvent(models.Model):
    """A carrier's scan of a return parcel, as received by the signed webhook; each carrier event once."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="tracking_events")
    event_id = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=32)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"{self.shipment.tracking_number} {self.status}"


class Refund(models.Model):
    """Money back to the customer's original payment method; the idempotency key is a database constraint."""

    class Kind(models.TextChoices):
        REFUND = "refund", _("Refund")
        PRICE_REDUCTION = "price_reduction", _("Price reduction")
        EXCHANGE_DIFFERENCE = "exchange_difference", _("Price difference of an exchange")
        GOODWILL = "goodwill", _("Goodwill refund")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")

    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, related_name="refunds")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.REFUND)
    idempotency_key = models.CharField(max_length=80, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    provider = models.CharField(max_length=40)
    provider_reference = models.CharField(max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"{self.case.rma_number} {self.amount} {self.currency}"


def store_credit_code_new() -> str:
    return "SC-" + "".join(secrets.choice(RMA_ALPHABET) for _ in range(12))


class StoreCreditAccount(models.Model):
    """A customer's store credit in one currency; the balance is the sum of its ledger entries."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="credit_accounts")
    currency = models.CharField(max_length=3)
    code = models.CharField(max_length=20, unique=True, default=store_credit_code_new)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "currency"], name="one_credit_account_per_currency")]

    def __str__(self):
        return self.code


class StoreCreditEntry(models.Model):
    """One movement on a store credit account; entries are never changed, corrections are new entries."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Store credit for a return")
        BONUS = "bonus", _("Bonus for choosing store credit")
        VOUCHER = "voucher", _("Goodwill voucher")
        REDEMPTION = "redemption", _("Used in an order")

    account = models.ForeignKey(StoreCreditAccount, on_delete=models.PROTECT, related_name="entries")
    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, null=True, blank=True, related_name="credits")
    kind = models.CharField(max_length=12, choices=Kind)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.account.code} {self.amount}"


class ExchangeOrder(models.Model):
    """The replacement sent for an exchange or a replacement; a price difference is charged or refunded."""

    case = models.OneToOneField(ReturnCase, on_delete=models.PROTECT, related_name="exchange_order")
    number = models.CharField(max_length=40, unique=True)
    description = models.TextField(_("what is sent"))
    price_difference = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    payment_reference = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.number


class Compensation(models.Model):
    """A goodwill gesture beyond what is owed, within the limit of the person who grants it."""

    class Kind(models.TextChoices):
        VOUCHER = "voucher", _("Discount voucher")
        FREE_SHIPPING = "free_shipping", _("Free shipping on the next order")
        PARTIAL_REFUND = "partial_refund", _("Partial refund")

    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, related_name="compensations")
    kind = models.CharField(max_length=16, choices=Kind)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    code = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="compensation_amount_not_negative")]

    def __str__(self):
        return f"{self.case.rma_number} {self.kind} {self.amount}"


class LocalSms(models.Model):
    """The local SMS gateway's record (the default adapter): what would have been texted."""

    idempotency_key = models.CharField(max_length=120, unique=True)
    phone = models.CharField(max_length=32)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.phone}: {self.body[:40]}"


class LocalPayment(models.Model):
    """The local payment provider's own ledger (the default adapter): refunds paid and charges taken."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=8, default="refund")  # refund or charge
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.reference} {self.kind} {self.amount} {self.currency}"


class Notification(models.Model):
    """Outbox row written with the state change; a task sends it. One per case and event."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
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
