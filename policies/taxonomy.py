"""The codes shared by policies and cases: product categories, reasons, conditions, resolutions, with labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


# Goods used up quickly (Brazil's CDC Art. 26 distinguishes "não duráveis" from "duráveis").
NON_DURABLE_CATEGORIES = frozenset(
    {Category.PERISHABLE, Category.COSMETICS, Category.HYGIENE_SEALED, Category.NEWSPAPER}
)
# Clothing and consumables, which California's Song-Beverly Act leaves out of "consumer goods" (§ 1791(a)).
SONG_BEVERLY_EXCLUDED = frozenset({Category.APPAREL, Category.FOOTWEAR, Category.COSMETICS, Category.PERISHABLE})


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


class Condition(models.TextChoices):
    """The state the customer says the item is in when it goes back."""

    UNOPENED = "unopened", _("unopened")
    OPENED = "opened", _("opened")
    UNSEALED = "unsealed", _("unsealed")
    USED = "used", _("used")
    DAMAGED = "damaged", _("damaged")


# An item the customer has opened: a sealed-goods exception applies (CRD Art. 16(e), (i)).
OPENED_CONDITIONS = frozenset({Condition.OPENED, Condition.UNSEALED, Condition.USED, Condition.DAMAGED})


class PolicyCondition(models.TextChoices):
    """What a merchant policy asks of an item returned under the policy (not under the statute)."""

    UNUSED = "unused", _("unused")
    TAGS_ATTACHED = "tags_attached", _("with tags attached")
    ORIGINAL_PACKAGING = "original_packaging", _("in the original packaging")
    SEALED = "sealed", _("still sealed")


# The claim conditions that break each policy condition; tags and packaging are checked at inspection.
POLICY_CONDITION_BROKEN_BY = {
    PolicyCondition.UNUSED: frozenset({Condition.USED, Condition.DAMAGED}),
    PolicyCondition.TAGS_ATTACHED: frozenset(),
    PolicyCondition.ORIGINAL_PACKAGING: frozenset(),
    PolicyCondition.SEALED: OPENED_CONDITIONS,
}


class ShippingPayer(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    MERCHANT = "merchant", _("Shop")
    SHARED = "shared", _("Shared between you and the shop")


class Resolution(models.TextChoices):
    REFUND = "refund", _("a refund to the original payment method")
    STORE_CREDIT = "store_credit", _("store credit")
    EXCHANGE = "exchange", _("an exchange")
    REPAIR = "repair", _("a repair")
    REPLACEMENT = "replacement", _("a replacement")
    PRICE_REDUCTION = "price_reduction", _("a price reduction")


class InstantExchange(models.TextChoices):
    """Whether an exchange ships before the returned item is back, and who carries the risk meanwhile."""

    OFF = "", _("No: the new item ships once the returned one is received")
    AUTHORISATION = "authorisation", _("Yes, holding an authorisation for the new item's price on the customer's card")
    MERCHANT_RISK = "merchant_risk", _("Yes, the shop takes the risk that the item never comes back")


RESOLUTION_ORDER = {code: index for index, code in enumerate(Resolution.values)}


class ReturnMethod(models.TextChoices):
    MAIL_LABEL = "mail_label", _("a prepaid postal label")
    DROP_OFF_QR = "drop_off_qr", _("a drop-off point with a QR code")
    RETURN_CENTER = "return_center", _("a return centre")


class WindowStart(models.TextChoices):
    DELIVERY = "delivery", _("delivery")
    ORDER = "order", pgettext_lazy("the date of", "order")


class Basis(models.TextChoices):
    STATUTORY_WITHDRAWAL = "statutory_withdrawal", _("legal right of withdrawal")
    LEGAL_GUARANTEE = "legal_guarantee", _("legal guarantee")
    SHORT_TERM_REJECT = "short_term_reject", _("short-term right to reject")
    MERCHANT_POLICY = "merchant_policy", _("the shop's return policy")
    COMMERCIAL_WARRANTY = "commercial_warranty", _("the shop's warranty")
    NONE = "none", _("none")


class RefundClock(models.TextChoices):
    """The event a refund deadline counts from."""

    WITHDRAWAL_NOTICE = "withdrawal_notice", _("the day the shop is told of the withdrawal")
    GOODS_RECEIVED_OR_PROOF = (
        "goods_received_or_proof_of_sending",
        _("the day the shop receives the goods back or proof of sending, whichever is earlier"),
    )
    GOODS_RECEIVED = "goods_received", _("the day the shop receives the goods back")
    REJECTION_AGREED = "rejection_agreed", _("the day the shop agrees the goods were rightly rejected")
