"""Every notification the customer can get, declared once: its subject, its text, who may stop it, SMS or not.

Subjects and texts are translated at send time in the customer's language; ``%(name)s`` placeholders
are filled by ``rma.messaging.notifications.render_message``.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Notice:
    subject: Promise
    body: Promise
    essential: bool  # needed to complete the return: sent even to a customer who unsubscribed
    sms: bool = False  # short enough for a text message, and worth one


NOTICES = {
    "filed": Notice(
        subject=_("We have received your return request %(rma)s"),
        body=_(
            "Thank you. We have received your request to return the items below. We will let you know as "
            "soon as it is approved."
        ),
        essential=False,
    ),
    "approved": Notice(
        subject=_("Your return %(rma)s is approved"),
        body=_("Your return is approved. We are preparing your return label and will send it to you shortly."),
        essential=True,
    ),
    "rejected": Notice(
        subject=_("Your return %(rma)s could not be accepted"),
        body=_("We are sorry, we could not accept your return. Reason: %(reason)s"),
        essential=True,
    ),
    "needs_info": Notice(
        subject=_("We need a little more information about your return %(rma)s"),
        body=_("To decide on your return we need your answer to this question: %(question)s"),
        essential=True,
        sms=True,
    ),
    "label_ready": Notice(
        subject=_("Your return label for %(rma)s is ready"),
        body=_(
            "Your return label is ready. Print it, stick it on the parcel and hand the parcel to "
            "%(carrier)s. Tracking number: %(tracking)s."
        ),
        essential=True,
        sms=True,
    ),
    "label_delayed": Notice(
        subject=_("Your return label for %(rma)s is delayed"),
        body=_(
            "We cannot make your return label yet: %(problems)s Our team is correcting this and will send the "
            "label as soon as possible."
        ),
        essential=True,
    ),
    "in_transit": Notice(
        subject=_("Your parcel for return %(rma)s is on its way to us"),
        body=_("The carrier has your parcel and it is on its way to our returns centre."),
        essential=False,
    ),
    "ship_reminder": Notice(
        subject=_("Reminder: your return %(rma)s is waiting to be sent"),
        body=_(
            "Your return label is ready but the parcel has not been handed to %(carrier)s yet. Please send it "
            "soon: the label is valid for a limited time."
        ),
        essential=True,
    ),
    "message": Notice(
        subject=_("A message about your return %(rma)s"),
        body=_("Our team wrote to you: “%(message)s” You can reply on your return's page."),
        essential=True,
        sms=True,
    ),
    "received": Notice(
        subject=_("We have received your parcel for return %(rma)s"),
        body=_("Your parcel has arrived at our returns centre. We will refund you shortly."),
        essential=False,
    ),
    "inspected": Notice(
        subject=_("We have checked the items of your return %(rma)s"),
        body=_("We have checked the items you sent back.%(deductions)s The next step follows shortly."),
        essential=False,
    ),
    "offer": Notice(
        subject=_("An offer for your return %(rma)s"),
        body=_(
            "After checking the items we can offer you a refund of %(offer)s. Please accept or refuse the offer "
            "on your return's page."
        ),
        essential=True,
        sms=True,
    ),
    "refunded": Notice(
        subject=_("Your refund for return %(rma)s has been paid"),
        body=_(
            "We have refunded %(amount)s to your original payment method. Depending on your bank, it "
            "can take a few days to appear."
        ),
        essential=True,
        sms=True,
    ),
    "credited": Notice(
        subject=_("Your store credit for return %(rma)s is ready"),
        body=_("We have added %(amount)s of store credit to your account. Your store credit code is %(code)s."),
        essential=True,
        sms=True,
    ),
    "exchanged": Notice(
        subject=_("Your exchange for return %(rma)s is on its way"),
        body=_("Your exchange order %(number)s has been created and will be sent to you shortly."),
        essential=True,
    ),
    "repaired": Notice(
        subject=_("Your item from return %(rma)s has been repaired"),
        body=_("Your item has been repaired and will be sent back to you shortly."),
        essential=True,
    ),
    "replaced": Notice(
        subject=_("Your replacement for return %(rma)s is on its way"),
        body=_("Your replacement order %(number)s has been created and will be sent to you shortly."),
        essential=True,
    ),
    "deadline_changed": Notice(
        subject=_("A date for your return %(rma)s has changed"),
        body=_(
            "Your parcel has not reached us yet. As the law allows, we will refund you as soon as it arrives, "
            "or when you send us proof that you have sent it."
        ),
        essential=True,
        sms=True,
    ),
    "closed": Notice(
        subject=_("Your return %(rma)s is complete"),
        body=_(
            "Your return is complete. Thank you for shopping with us. Tell us how it went: you can rate our "
            "service on your return's page."
        ),
        essential=False,
    ),
}
EVENTS = frozenset(NOTICES)
