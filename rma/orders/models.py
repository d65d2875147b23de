"""Customers and orders as the shop knows them (imported from the shop, never edited by a case)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from policies.taxonomy import Category


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
    # The product's picture, shown on the return form (an https URL; its host must be in PRODUCT_IMAGE_ORIGINS).
    image_url = models.URLField(_("image URL"), max_length=500, blank=True)

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
