"""What each email and text message carries: the return-by date, the drop-off QR code inline, the amounts and
when the money comes, in the case's language and time zone (issue #18 item 9)."""

import datetime
import io
import itertools
from decimal import Decimal
from email import policy
from email.parser import BytesParser

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from policies.models import ReturnPolicy
from policies.taxonomy import ReturnMethod
from returns_portal.formatting import format_date, format_money
from rma.cases import presenters, services
from rma.cases.models import CaseKind, CaseStatus, Resolution
from rma.integrations.models import LocalSms
from rma.messaging.models import Notification
from tests.rma.factories import OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)
S = CaseStatus
LANGUAGES = ["it", "zh-hans", "ar"]


def _file(eu_policy, *, language="it", method="drop_off_qr", resolution="refund", phone="", time_zone=""):
    ReturnPolicy.objects.filter(pk=eu_policy.pk).update(
        return_methods=["mail_label", "drop_off_qr", "return_center"], refund_days=7
    )
    line = OrderLineFactory(order__customer__language=language, order__customer__phone=phone,
                            order__customer__time_zone=time_zone, unit_price=Decimal("80.00"))  # fmt: skip
    wish = "M" if resolution == "exchange" else ""
    return services.case_open(
        customer=line.order.customer, language=language, return_method=method,
        items=[services.ItemRequest(line, 1, "too_small", resolution=resolution, exchange_wish=wish)],
    )  # fmt: skip


def _parsed(eu_policy_email):
    return BytesParser(policy=policy.default).parsebytes(eu_policy_email.message().as_bytes())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_drop_off_email_carries_the_qr_code_inline_and_the_return_by_date(eu_policy, language):
    case = _file(eu_policy, language=language)
    label_mail = Notification.objects.get(case=case, event="label_ready", channel="email")
    sent = next(m for m in mail.outbox if m.subject == label_mail.subject)
    parsed = _parsed(sent)
    html = parsed.get_body(preferencelist=("html",)).get_content()
    images = [part for part in parsed.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    cid = images[0]["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html  # the HTML shows the attached image itself, not a link
    assert images[0].get_content_disposition() == "inline"
    # A real, square PNG QR code, large enough to scan from a phone screen.
    picture = Image.open(io.BytesIO(images[0].get_content()))
    assert picture.format == "PNG" and picture.width == picture.height >= 150
    assert parsed.get_body(preferencelist=("html",)).get_content_type() == "text/html"
    assert any(part.get_content_type() == "multipart/related" for part in parsed.walk())
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    made = case.shipment.created_at
    ends = timezone.localtime(made + datetime.timedelta(days=settings.LABEL_VALID_DAYS), datetime.UTC)
    return_by = ends.date() - datetime.timedelta(days=1)  # Italy's zone: the label is made in the day
    with translation.override(language):
        date = format_date(return_by, "long")
        refund = format_money(Decimal("80.00") - case.shipping_fee, "EUR")
        assert date in text and date in html
        assert refund in text  # what comes back, in the customer's format
        assert gettext("Print it, stick it on the parcel") not in text
    assert "/label/" not in text  # no "download your label" for a QR return


def test_a_mail_label_email_has_no_qr_and_says_when_the_label_stops_working(eu_policy):
    case = _file(eu_policy, method="mail_label")
    label_mail = Notification.objects.get(case=case, event="label_ready", channel="email")
    parsed = _parsed(next(m for m in mail.outbox if m.subject == label_mail.subject))
    assert not [part for part in parsed.walk() if part.get_content_type() == "image/png"]
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    with translation.override("it"):
        assert gettext("Send the parcel by %(date)s: after that day the label no longer works.").split("%")[0] in text


def test_the_text_message_carries_the_return_by_date(eu_policy):
    case = _file(eu_policy, phone="+393331234567")
    sms = LocalSms.objects.filter(phone="+393331234567").order_by("id").last()
    assert case.rma_number in sms.body and "?t=" in sms.body
    with translation.override("it"):
        assert gettext("Send the parcel by %(date)s: after that day the QR code no longer works.").split("%")[0] in (
            sms.body
        )


def test_dates_follow_the_customers_time_zone(eu_policy):
    """A label made at 23:30 UTC is already the next day in Tokyo: the date said is Tokyo's."""
    case = _file(eu_policy, time_zone="Asia/Tokyo")
    shipment = case.shipment
    type(shipment).objects.filter(pk=shipment.pk).update(
        created_at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)
    )
    from rma.messaging.notifications import message_data

    data = message_data(Notification.objects.get(case=case, event="label_ready", channel="email"))
    with translation.override("it"):
        tokyo = format_date(datetime.date(2026, 12, 2) + datetime.timedelta(days=settings.LABEL_VALID_DAYS - 1), "long")
    assert any(tokyo in fact for fact in data.facts) and data.time_zone == "Asia/Tokyo"


def facts(status, method, resolutions, kind=CaseKind.RETURN, **extra):
    return presenters.CaseFacts(status=status, kind=kind, method=method, needs_shipment=True,
                                resolutions=frozenset(resolutions), has_label=True, currency="EUR",
                                return_by=datetime.date(2026, 12, 30), promised_refund_days=7, **extra)  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_email_facts_by_state_kind_and_method(language):
    with translation.override(language):
        refund_words = gettext("You get %(amount)s back to your original payment method within %(days)s days after "
                               "we receive your items.").split("%(amount)s")[1].split("%(days)s")[0]  # fmt: skip
        for status, method, kind in itertools.product(S.values, ReturnMethod.values, CaseKind.values):
            for resolutions, amounts in (
                ({Resolution.REFUND}, {"refund_amount": Decimal("75.10")}),
                ({Resolution.STORE_CREDIT}, {"credit_amount": Decimal("88.00")}),
                ({Resolution.EXCHANGE}, {}),
                ({Resolution.REPAIR}, {}),
            ):
                shown = facts(status, method, resolutions, kind, **amounts)
                label = presenters.email_facts("label_ready", shown)
                said = " ".join(label)
                date = format_date(datetime.date(2026, 12, 30), "long")
                # The return-by date only while the label or QR code is offered.
                assert (date in said) == (status == S.LABEL_ISSUED), (status, method)
                # Money is promised only while the return is open, and only the money asked for.
                refund = format_money(Decimal("75.10"), "EUR")
                credit = format_money(Decimal("88.00"), "EUR")
                open_ = status in presenters.OPEN_STATUSES and status != S.AWAITING_CUSTOMER
                assert (refund in said) == (open_ and Resolution.REFUND in resolutions), (status, resolutions)
                assert (credit in said) == (open_ and Resolution.STORE_CREDIT in resolutions)
                if Resolution.REFUND not in resolutions:
                    assert refund_words not in said
                # The QR code travels in the email exactly when showing it is the next step.
                qr = presenters.email_qr("label_ready", shown)
                assert qr == (status == S.LABEL_ISSUED and method != ReturnMethod.MAIL_LABEL)
                received = presenters.email_body("received", facts(S.RECEIVED, method, resolutions, kind))
                if resolutions != {Resolution.REFUND}:
                    assert received and gettext("We will refund you") not in str(received)
                filed = presenters.email_body("filed", facts(S.APPROVED, method, resolutions, kind, auto_approved=True))
                assert filed and "as soon as it is approved" not in str(filed)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_instantly_approved_return_is_not_told_it_will_hear_when_approved(eu_policy, language):
    case = _file(eu_policy, language=language, method="mail_label")
    assert case.auto_approved
    filed = Notification.objects.get(case=case, event="filed", channel="email")
    with translation.override(language):
        assert gettext("We will let you know as soon as it is approved.") not in filed.body
        assert format_money(Decimal("80.00") - case.shipping_fee, "EUR") in filed.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_received_email_of_an_exchange_promises_the_item_not_money(eu_policy, language, agent):
    case = _file(eu_policy, language=language, method="mail_label", resolution="exchange")
    case.refresh_from_db()
    assert case.status == "label_issued", case.document_problems
    services.case_mark_received(case=case, actor=agent)
    received = Notification.objects.get(case=case, event="received", channel="email")
    with translation.override(language):
        refund = gettext("Your parcel has arrived at our returns centre. We will refund you shortly.")
        assert refund not in received.body
        assert gettext("Your parcel has arrived at our returns centre. We will send you your item shortly.") in (
            received.body
        )
