"""First-line help shown before a customer sends a faulty item back: many faults go away with these."""

from django.utils.translation import gettext_lazy as _

from policies.taxonomy import Category

TIPS = {
    Category.ELECTRONICS: [
        _("Charge it for several hours with the original charger, then switch it on again."),
        _("Restart it: hold the power button for 10 to 20 seconds."),
        _("Check for a software update in the settings."),
    ],
    Category.APPAREL: [
        _("Check the size chart: a size up or down is often the answer, and an exchange is free of risk."),
    ],
    Category.FOOTWEAR: [
        _("New leather often loosens after a few hours of wear indoors."),
    ],
    Category.HOME: [
        _("Check that every part in the assembly instructions is used and tightened."),
    ],
    Category.FURNITURE: [
        _("Check that every part in the assembly instructions is used and tightened."),
    ],
    Category.COSMETICS: [
        _("Test a small amount on the inside of your wrist; stop using it if your skin reacts."),
    ],
}


def tips_for(category: str) -> list:
    return TIPS.get(category, [])
