"""The codes shared by policies and cases: product categories and return reasons, with their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    APPAREL = "apparel", _("Apparel")
    FOOTWEAR = "footwear", _("Footwear")
    ELECTRONICS = "electronics", _("Electronics")
    FURNITURE = "furniture", _("Furniture")
    COSMETICS = "cosmetics", _("Cosmetics")
    HOME = "home", _("Home and kitchen")
    BOOKS = "books", _("Books")
    PERSONALISED = "personalised", _("Personalised goods")
    PERISHABLE = "perishable", _("Perishable goods")
    HYGIENE_SEALED = "hygiene_sealed", _("Sealed hygiene goods")
    SEALED_MEDIA = "sealed_media", _("Sealed audio, video or software")
    DIGITAL_DOWNLOAD = "digital_download", _("Digital downloads")
    NEWSPAPER = "newspaper", _("Newspapers and magazines")


class Reason(models.TextChoices):
    CHANGE_OF_MIND = "change_of_mind", _("I changed my mind")
    TOO_SMALL = "too_small", _("Too small")
    TOO_LARGE = "too_large", _("Too large")
    DEFECTIVE = "defective", _("Faulty or stopped working")
    DAMAGED_IN_TRANSIT = "damaged_in_transit", _("Arrived damaged")
    WRONG_ITEM = "wrong_item", _("Wrong item sent")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")


# Reasons where the goods are fine and the customer simply does not want them.
CHANGE_OF_MIND_REASONS = frozenset({Reason.CHANGE_OF_MIND, Reason.TOO_SMALL, Reason.TOO_LARGE})
# Reasons where the goods do not conform to the contract: the shop is at fault.
FAULT_REASONS = frozenset({Reason.DEFECTIVE, Reason.DAMAGED_IN_TRANSIT, Reason.WRONG_ITEM, Reason.NOT_AS_DESCRIBED})


class ShippingPayer(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    MERCHANT = "merchant", _("Shop")
