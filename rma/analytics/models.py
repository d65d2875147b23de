"""Summary tables of return analytics, rebuilt day by day (month by month for products) from the cases.

Every row is derived data: ``services.analytics_refresh`` rewrites the rows of the months a changed case
was filed in (and the order days of new order lines). Sales and reasons also have day rows, for trends
of up to half a year; their month rows (``grain``) are the sums of the day rows. These tables store
countries, not regions, so moving a country to another region changes them at once.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from policies.taxonomy import Category, Reason


class Outcome(models.TextChoices):
    """How a case ended (or that it has not yet): the resolution mix of the dashboard."""

    REFUND = "refund", _("Refund")
    STORE_CREDIT = "store_credit", _("Store credit")
    EXCHANGE = "exchange", _("Exchange")
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Label expired")
    OPEN = "open", _("Still open")


class Stage(models.TextChoices):
    DECISION = "decision", _("Request to decision")
    RECEIPT = "receipt", _("Decision to receipt")
    REFUND = "refund", _("Receipt to refund or resolution")
    TOTAL = "total", _("Request to resolution")


class Grain(models.TextChoices):
    DAY = "d", _("day")
    MONTH = "m", _("month")


class Watermark(models.Model):
    """Where the last refresh stopped: a point in time for cases, the last order line id for sales."""

    name = models.CharField(max_length=16, unique=True)
    changed_since = models.DateTimeField(null=True, blank=True)
    last_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name}: {self.changed_since or self.last_id}"


class SalesRecount(models.Model):
    """An order day whose sales must be counted again: an order of that day was re-imported or edited
    (its lines replaced, or its date moved away from this day). The next refresh recounts the day."""

    day = models.DateField(unique=True)

    def __str__(self):
        return self.day.isoformat()


class SalesDay(models.Model):
    """Units sold per order day, shipping country and category (the denominator of the return rate)."""

    grain = models.CharField(max_length=1, choices=Grain, default=Grain.DAY)
    day = models.DateField()  # the day, or the first day of the month for a month's row
    country = models.CharField(max_length=6)
    category = models.CharField(max_length=32, choices=Category)
    units = models.PositiveBigIntegerField(default=0)
    lines = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grain", "day", "country", "category"], name="salesday_unique")]
        indexes = [models.Index(fields=["grain", "day", "category"], name="salesday_day_category")]

    def __str__(self):
        return f"{self.day} {self.country} {self.category}: {self.units}"


class ReasonDay(models.Model):
    """Units returned per filing day, country, the item's category and the reason given."""

    grain = models.CharField(max_length=1, choices=Grain, default=Grain.DAY)
    day = models.DateField()  # the day, or the first day of the month for a month's row
    country = models.CharField(max_length=6)
    category = models.CharField(max_length=32, choices=Category)
    reason = models.CharField(max_length=32, choices=Reason)
    units = models.PositiveBigIntegerField(default=0)
    items = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grain", "day", "country", "category", "reason"], name="reasonday_unique")
        ]
        indexes = [models.Index(fields=["grain", "day", "category"], name="reasonday_day_category")]

    def __str__(self):
        return f"{self.day} {self.country} {self.category} {self.reason}: {self.units}"


class CaseMonth(models.Model):
    """Cases per filing month, country, category (of the first item), currency and outcome, with their
    clocks, satisfaction and money. Money is in ``currency``: amounts in different currencies are never
    added together. Months, not days: at a million cases day rows were nearly as many as the cases."""

    month = models.DateField()  # the first day of the month
    country = models.CharField(max_length=6)
    category = models.CharField(max_length=32, choices=Category)
    currency = models.CharField(max_length=3)
    outcome = models.CharField(max_length=16, choices=Outcome)
    cases = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    repeat_cases = models.PositiveIntegerField(default=0)
    # SLA clocks: how many cases the clock has stopped (or run out) for, and how many of those were on time.
    first_response_measured = models.PositiveIntegerField(default=0)
    first_response_on_time = models.PositiveIntegerField(default=0)
    decision_measured = models.PositiveIntegerField(default=0)
    decision_on_time = models.PositiveIntegerField(default=0)
    refund_measured = models.PositiveIntegerField(default=0)
    refund_on_time = models.PositiveIntegerField(default=0)
    # Satisfaction survey: one counter per rating.
    rating_1 = models.PositiveIntegerField(default=0)
    rating_2 = models.PositiveIntegerField(default=0)
    rating_3 = models.PositiveIntegerField(default=0)
    rating_4 = models.PositiveIntegerField(default=0)
    rating_5 = models.PositiveIntegerField(default=0)
    # Money, in ``currency``.
    refunded = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    credited = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    credit_bonus = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    kept_exchange = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    fees = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    deductions = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    goodwill = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    labels = models.PositiveIntegerField(default=0)
    labels_priced = models.PositiveIntegerField(default=0)
    label_cost = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "country", "category", "currency", "outcome"], name="casemonth_unique"
            )
        ]
        indexes = [models.Index(fields=["month", "category"], name="casemonth_month_category")]
        permissions = [("view_dashboard", _("Can see the return analytics dashboard"))]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.country} {self.category} {self.currency} {self.outcome}: {self.cases}"


class DurationMonth(models.Model):
    """How many cases (by filing month) took how long at each stage, as a histogram (``bucket`` indexes
    rules.DURATION_EDGES)."""

    month = models.DateField()
    country = models.CharField(max_length=6)
    category = models.CharField(max_length=32, choices=Category)
    stage = models.CharField(max_length=10, choices=Stage)
    bucket = models.PositiveSmallIntegerField()
    cases = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "country", "category", "stage", "bucket"], name="durationmonth_unique"
            )
        ]
        indexes = [models.Index(fields=["month", "category"], name="durationmonth_month_category")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.stage} #{self.bucket}: {self.cases}"


class ProductSalesMonth(models.Model):
    """Units sold per product, month (of the order), region and category.

    Products are summed per region, not per country, to keep the table small; the region is the one the
    order's country belonged to at the refresh (``analytics_refresh --full`` after moving countries).
    Region ``*`` holds every region together."""

    month = models.DateField()  # the first day of the month
    region = models.CharField(max_length=16)
    category = models.CharField(max_length=32, choices=Category)
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    units = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "region", "category", "sku"], name="productsales_unique")
        ]
        indexes = [models.Index(fields=["region", "month", "category"], name="productsales_region_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.sku} {self.region}: {self.units}"


class ProductReturnMonth(models.Model):
    """Units returned per product, month (of filing), region and category, with one column per reason
    (the codes of ``policies.taxonomy.Reason``: a new reason needs a new column)."""

    month = models.DateField()
    region = models.CharField(max_length=16)
    category = models.CharField(max_length=32, choices=Category)
    sku = models.CharField(max_length=64)
    units = models.PositiveBigIntegerField(default=0)
    change_of_mind = models.PositiveBigIntegerField(default=0)
    too_small = models.PositiveBigIntegerField(default=0)
    too_large = models.PositiveBigIntegerField(default=0)
    defective = models.PositiveBigIntegerField(default=0)
    damaged_in_transit = models.PositiveBigIntegerField(default=0)
    wrong_item = models.PositiveBigIntegerField(default=0)
    not_as_described = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "region", "category", "sku"], name="productreturn_unique")
        ]
        indexes = [models.Index(fields=["region", "month", "category"], name="productreturn_region_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.sku} {self.region}: {self.units}"


class LabelRate(models.Model):
    """What one return label costs the shop with a carrier, in a currency, from a date (dated rows, never
    edited in place: a new price is a new row)."""

    carrier = models.CharField(_("carrier"), max_length=40)
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(_("price of one label"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        ordering = ["carrier", "currency", "-valid_from"]
        verbose_name = _("label price")
        verbose_name_plural = _("label prices")
        constraints = [
            models.UniqueConstraint(fields=["carrier", "currency", "valid_from"], name="labelrate_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="labelrate_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.carrier} {self.amount} {self.currency} ({self.valid_from})"
