"""Regions and their countries, versioned merchant return policies with rules and texts, return centres."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .taxonomy import (
    Category,
    InstantExchange,
    PolicyCondition,
    Reason,
    Resolution,
    ReturnMethod,
    ShippingPayer,
    WindowStart,
)


@deconstructible
class CodeListValidator:
    """A JSON list whose items are all codes of one set of choices."""

    def __init__(self, choices_name: str):
        self.choices_name = choices_name

    def __call__(self, value):
        choices = _CODE_SETS[self.choices_name]
        if not isinstance(value, list) or any(item not in choices.values for item in value):
            raise ValidationError(
                _("Choose only from: %(codes)s."), code="invalid_code", params={"codes": ", ".join(choices.values)}
            )

    def __eq__(self, other):
        return isinstance(other, CodeListValidator) and other.choices_name == self.choices_name


@deconstructible
class TextListValidator:
    """A JSON list of short strings (SKUs, tags)."""

    def __call__(self, value):
        if not isinstance(value, list) or any(not isinstance(item, str) or not item for item in value):
            raise ValidationError(_("Enter a list of codes."), code="invalid_list")

    def __eq__(self, other):
        return isinstance(other, TextListValidator)


_CODE_SETS = {
    "category": Category,
    "condition": PolicyCondition,
    "reason": Reason,
    "resolution": Resolution,
    "method": ReturnMethod,
}


def _refund_only():
    return [Resolution.REFUND.value]


def _mail_label_only():
    return [ReturnMethod.MAIL_LABEL.value]


class Region(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.name} ({self.code})"


class RegionCountry(models.Model):
    """A country (ISO 3166-1 alpha-2; US states as ``US-CA``) belongs to exactly one region."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(_("country"), max_length=6, unique=True)

    class Meta:
        ordering = ["country"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.country


class ReturnPolicy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="policies")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    window_days = models.PositiveSmallIntegerField(_("return window (days)"), default=30)
    window_start = models.CharField(
        _("return window counts from"), max_length=12, choices=WindowStart, default=WindowStart.DELIVERY
    )
    change_of_mind_allowed = models.BooleanField(_("change-of-mind returns allowed"), default=True)
    excluded_categories = models.JSONField(
        _("categories excluded from change-of-mind returns"),
        default=list,
        blank=True,
        validators=[CodeListValidator("category")],
    )
    conditions = models.JSONField(
        _("conditions for returns under the policy"),
        default=list,
        blank=True,
        validators=[CodeListValidator("condition")],
    )
    resolutions = models.JSONField(
        _("resolutions offered"), default=_refund_only, blank=True, validators=[CodeListValidator("resolution")]
    )
    store_credit_bonus_percent = models.PositiveSmallIntegerField(_("store credit bonus (%)"), default=0)
    # Exchanges from the catalogue (rma.cases.services.exchanges): another variant of the same product always;
    # another product, up to the returned item's value, only when this is set.
    exchange_other_products = models.BooleanField(_("exchange for another product up to the same value"), default=False)
    instant_exchange = models.CharField(
        _("instant exchange"), max_length=16, choices=InstantExchange, default=InstantExchange.OFF, blank=True
    )
    return_shipping_paid_by = models.CharField(
        _("return shipping paid by"), max_length=12, choices=ShippingPayer, default=ShippingPayer.CUSTOMER
    )
    customer_shipping_share_percent = models.PositiveSmallIntegerField(
        _("customer's share of return shipping when shared (%)"), default=50
    )
    currency = models.CharField(
        _("currency of the amounts"), max_length=3, blank=True, help_text=_("ISO 4217 code, such as EUR.")
    )
    free_return_min_order_value = models.DecimalField(
        _("free return shipping from an order value of"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    free_first_return = models.BooleanField(_("free return shipping for a customer's first return"), default=False)
    return_label_fee = models.DecimalField(
        _("return label fee (when the customer pays return shipping)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "In the policy's currency. Kept back from the refund, multiplied by the customer's share; "
            "not charged when the item is brought to a return centre."
        ),
    )
    restocking_fee_percent = models.DecimalField(_("restocking fee (%)"), max_digits=5, decimal_places=2, default=0)
    refund_days = models.PositiveSmallIntegerField(
        _("refund promised within (days after receiving the item)"), null=True, blank=True
    )
    warranty_months = models.PositiveSmallIntegerField(
        _("shop warranty (months from delivery)"), default=0, help_text=_("0 if the shop adds no warranty.")
    )
    return_methods = models.JSONField(
        _("return methods offered"), default=_mail_label_only, blank=True, validators=[CodeListValidator("method")]
    )
    auto_approve = models.BooleanField(_("approve eligible returns automatically"), default=True)
    auto_approve_faults = models.BooleanField(_("approve fault claims automatically"), default=True)
    auto_approve_max_value = models.DecimalField(
        _("approve automatically up to an item value of"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    auto_approve_max_previous_returns = models.PositiveSmallIntegerField(
        _("approve automatically up to this many earlier returns"), null=True, blank=True
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    # A draft published with a future effective date waits, checked and approved, until that day.
    scheduled = models.BooleanField(_("scheduled for publication"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    change_note = models.TextField(_("why this version"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "-version"]
        verbose_name = _("return policy")
        verbose_name_plural = _("return policies")
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="policy_unique_version"),
            models.UniqueConstraint(
                fields=["region"], condition=Q(status="published"), name="policy_one_published_per_region"
            ),
            models.CheckConstraint(condition=Q(window_days__lte=3650), name="policy_window_reasonable"),
            models.CheckConstraint(
                condition=Q(store_credit_bonus_percent__lte=100)
                & Q(customer_shipping_share_percent__lte=100)
                & Q(restocking_fee_percent__gte=0)
                & Q(restocking_fee_percent__lte=100),
                name="policy_percentages_in_range",
            ),
            models.CheckConstraint(
                condition=Q(return_label_fee__isnull=True) | (Q(return_label_fee__gte=0) & ~Q(currency="")),
                name="policy_label_fee_with_currency",
                violation_error_message=_("A return label fee needs the policy's currency and cannot be negative."),
            ),
            models.CheckConstraint(condition=Q(warranty_months__lte=120), name="policy_warranty_reasonable"),
        ]

    def __str__(self):
        return f"{self.region.code} v{self.version} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PolicyRule(models.Model):
    """An override of a policy for some claims; rules apply in ascending priority, the first to set an effect wins."""

    class AutoApprove(models.TextChoices):
        UNCHANGED = "", _("as the policy says")
        YES = "yes", _("approve automatically")
        NO = "no", _("never approve automatically")

    policy = models.ForeignKey(ReturnPolicy, on_delete=models.CASCADE, related_name="rules")
    priority = models.PositiveSmallIntegerField(_("priority"), help_text=_("1 is applied first."))
    name = models.CharField(_("name"), max_length=100)
    # Conditions: every one that is set must hold.
    categories = models.JSONField(_("categories"), default=list, blank=True, validators=[CodeListValidator("category")])
    skus = models.JSONField(_("SKUs"), default=list, blank=True, validators=[TextListValidator()])
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[TextListValidator()])
    reasons = models.JSONField(_("reasons"), default=list, blank=True, validators=[CodeListValidator("reason")])
    min_order_value = models.DecimalField(_("order value from"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_order_value = models.DecimalField(
        _("order value up to"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    min_previous_returns = models.PositiveSmallIntegerField(_("earlier returns from"), null=True, blank=True)
    max_previous_returns = models.PositiveSmallIntegerField(_("earlier returns up to"), null=True, blank=True)
    # Effects: None leaves the policy's value.
    window_days = models.PositiveSmallIntegerField(_("return window (days)"), null=True, blank=True)
    restocking_fee_percent = models.DecimalField(
        _("restocking fee (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    resolutions = models.JSONField(
        _("resolutions offered"), null=True, blank=True, validators=[CodeListValidator("resolution")]
    )
    auto_approve = models.CharField(
        _("automatic approval"), max_length=3, choices=AutoApprove, default=AutoApprove.UNCHANGED, blank=True
    )
    manual_review = models.BooleanField(_("always review by an agent"), default=False)

    class Meta:
        ordering = ["policy", "priority"]
        verbose_name = _("policy rule")
        verbose_name_plural = _("policy rules")
        constraints = [
            models.UniqueConstraint(fields=["policy", "priority"], name="policyrule_unique_priority"),
            models.CheckConstraint(
                condition=Q(restocking_fee_percent__isnull=True)
                | (Q(restocking_fee_percent__gte=0) & Q(restocking_fee_percent__lte=100)),
                name="policyrule_fee_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.priority}. {self.name}"


class PolicyText(models.Model):
    """The shop's own words about a policy version, in one language, shown on the public policy page."""

    policy = models.ForeignKey(ReturnPolicy, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    introduction = models.TextField(_("introduction"))

    class Meta:
        ordering = ["policy", "language"]
        verbose_name = _("policy text")
        verbose_name_plural = _("policy texts")
        constraints = [models.UniqueConstraint(fields=["policy", "language"], name="policytext_one_per_language")]

    def __str__(self):
        return f"{self.policy} · {self.language}"


class ReturnCenter(models.Model):
    """A warehouse or hub that takes returns, for the countries it serves."""

    name = models.CharField(_("name"), max_length=100)
    address = models.TextField(_("address"))
    country = models.CharField(_("country"), max_length=2)
    customs_territory = models.CharField(
        _("customs territory"),
        max_length=8,
        help_text=_("EU for a member state of the EU customs union, otherwise the country code."),
    )
    countries_served = models.JSONField(
        _("countries served"), default=list, blank=True, validators=[TextListValidator()]
    )
    is_fallback = models.BooleanField(_("takes returns from countries no other centre serves"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("return centre")
        verbose_name_plural = _("return centres")
        constraints = [
            models.UniqueConstraint(
                fields=["is_fallback"], condition=Q(is_fallback=True), name="returncenter_one_fallback"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.country})"
