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


class Product(models.Model):
    """A product of the shop's catalogue; what is sold and stocked are its variants."""

    handle = models.CharField(_("product ID"), max_length=64, unique=True)  # the shop's own product id
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category, blank=True)
    # An http(s) address, or a path on this site (/static/...); other hosts need PRODUCT_IMAGE_ORIGINS (CSP).
    image_url = models.CharField(_("image URL"), max_length=500, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name


class Variant(models.Model):
    """One sellable version of a product (a size, a colour). ``stock`` is what the shop has on hand, as
    imported; ``reserved`` is the part promised to exchanges filed and not yet shipped (rma.cases.services
    .exchanges changes it under this row's lock). What can still be offered is ``stock - reserved``."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    options = models.JSONField(_("options"), default=dict, blank=True)  # {"size": "M", "colour": "blue"}
    image_url = models.CharField(_("image URL"), max_length=500, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    reserved = models.PositiveIntegerField(_("reserved for exchanges"), default=0)

    class Meta:
        ordering = ["product", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="variant_price_not_negative"),
            # Never more promised than there is: the available count cannot go below zero.
            models.CheckConstraint(condition=Q(reserved__lte=models.F("stock")), name="variant_reserved_within_stock"),
        ]

    def __str__(self):
        return f"{self.product.name} · {self.options_label}" if self.options else self.product.name

    @property
    def available(self) -> int:
        return max(self.stock - self.reserved, 0)

    @property
    def options_label(self) -> str:
        """The option values as the shop wrote them ("M · Blu"): shop data, shown as it is."""
        return " · ".join(str(value) for value in self.options.values())

    @property
    def image(self) -> str:
        return self.image_url or self.product.image_url


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
    # The catalogue's variant with this SKU, linked at order import and at catalogue import (rma.orders.catalog).
    variant = models.ForeignKey(
        Variant, on_delete=models.SET_NULL, null=True, blank=True, related_name="order_lines", verbose_name=_("variant")
    )
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
