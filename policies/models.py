"""Regions, their countries, versioned merchant return policies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .taxonomy import ShippingPayer


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
    change_of_mind_allowed = models.BooleanField(_("change-of-mind returns allowed"), default=True)
    return_shipping_paid_by = models.CharField(
        _("return shipping paid by"), max_length=12, choices=ShippingPayer, default=ShippingPayer.CUSTOMER
    )
    auto_approve = models.BooleanField(_("approve eligible returns automatically"), default=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
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
        ]

    def __str__(self):
        return f"{self.region.code} v{self.version} ({self.get_status_display()})"
