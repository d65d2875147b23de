"""What the agent case page shows beyond the actions: the running SLA clock, the money summary, the
keyboard shortcuts and the canned-reply preview."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_timedelta
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from returns_portal.formatting import babel_locale
from rma.cases import selectors
from rma.cases.models import ReturnCase
from rma.messaging import services as messaging

# Keys that run the page's common actions (static/js/agent-case.js presses the control marked with the key).
# Single letters without a modifier, as in Gmail and Zendesk; none of them while the agent types in a field.
SHORTCUTS = {
    "claim": ("t", pgettext_lazy("shortcut", "Take this case")),
    "reply": ("r", pgettext_lazy("shortcut", "Write a reply to the customer")),
    "mark_received": ("v", pgettext_lazy("shortcut", "Mark the parcel as received")),
    "next": ("n", pgettext_lazy("shortcut", "Open my next case")),
    "help": ("?", pgettext_lazy("shortcut", "Show these shortcuts")),
}


def shortcut_attrs(name: str) -> str:
    """The attributes that bind a control to its shortcut key (none for an action without one)."""
    if name not in SHORTCUTS:
        return ""
    key = SHORTCUTS[name][0]
    return format_html('data-shortcut="{}" aria-keyshortcuts="{}"', key, key)


SLA_CLOCK_LABELS = {
    "decision": gettext_lazy("Decision due"),
    "refund": gettext_lazy("Refund due"),
}


@dataclass(frozen=True)
class SlaClock:
    """The clock running now (the decision until the case is decided, then the refund), as the queue sorts by."""

    label: str
    due: object  # an aware datetime
    state: str  # breached, due_today or ok (selectors.sla_state)
    remaining: str  # "in 3 hours" / "2 days ago", in the active language


def sla_clock(case: ReturnCase, *, now=None) -> SlaClock | None:
    """The running SLA clock of an open case, or None when none runs (approved and on its way, or closed)."""
    if not case.is_open:
        return None
    which, due = ("decision", case.decision_due_at) if case.decided_at is None else ("refund", case.refund_due_at)
    if due is None:
        return None
    now = now or timezone.now()
    local = timezone.localtime(now)
    end_of_today = local.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    return SlaClock(
        label=str(SLA_CLOCK_LABELS[which]),
        due=due,
        state=selectors.sla_state(due, now=now, end_of_today=end_of_today),
        remaining=format_timedelta(due - now, add_direction=True, threshold=1.1, locale=babel_locale()),
    )


def money_summary(case: ReturnCase, items) -> dict:
    """What the customer paid for the returned items, the fees kept at filing, the deductions after inspection
    (from the items already on the page: no query)."""
    paid = sum((item.amount for item in items), Decimal(0))
    restocking = sum((item.restocking_fee for item in items), Decimal(0))
    deductions = sum((d.amount for item in items for d in item.deductions.all()), Decimal(0))
    return {
        "paid": paid,
        "restocking_fee": restocking,
        "shipping_fee": case.shipping_fee,
        "deductions": deductions,
    }


@dataclass(frozen=True)
class ReplyPreview:
    """A canned reply as the customer would receive it: the text filled in, in the case's language."""

    reply: object
    text: str  # empty when the reply has no text the customer could read
    language: str
    language_name: str
    bidi: bool
    fallback: bool  # no text in the customer's own language: the one shown is the base or the site's language
    also: str  # what else sending it does (ask the customer, reject), or ""


def reply_preview(*, case: ReturnCase, reply) -> ReplyPreview:
    """What sending ``reply`` on this case would tell the customer (``messaging.canned_reply_apply`` sends it)."""
    texts = {t.language: t for t in reply.texts.all()}
    language = next(
        (code for code in (case.language, case.language.split("-")[0], settings.LANGUAGE_CODE) if code in texts), ""
    )
    text = messaging.canned_reply_fill(texts[language].body, case=case) if language else ""
    info = translation.get_language_info(language or case.language)
    also = {
        "request_info": _("Sending it also asks the customer for information: the case waits for the answer."),
        "reject": _("Sending it also rejects the return, with this text as the reason."),
    }.get(reply.transition, "")
    return ReplyPreview(
        reply=reply,
        text=text,
        language=language or case.language,
        language_name=info["name_translated"],
        bidi=info["bidi"],
        fallback=bool(language) and language != case.language,
        also=also,
    )
