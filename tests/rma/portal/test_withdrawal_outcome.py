"""A withdrawal says what it covers (issue #18 item 3): items the law excludes are listed with the legal reason,
a late withdrawal is told plainly with the period's end and the legal guarantee, times are the customer's, and
the return opened for what was validly withdrawn is confirmed with the acknowledgement PDF."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from returns_portal.formatting import format_date
from rma.cases import services
from rma.cases.models import WithdrawalStatement
from rma.messaging.withdrawal import withdrawal_ack_pdf
from tests.rma.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _order(days_ago=3, **customer):
    order = OrderFactory(delivered_on=timezone.localdate() - datetime.timedelta(days=days_ago),
                         **{f"customer__{k}": v for k, v in customer.items()})  # fmt: skip
    OrderLineFactory(order=order, name="Wool jacket", quantity=1, category="apparel")
    OrderLineFactory(order=order, name="Engraved mug", quantity=1, category="personalised")
    return order


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_excluded_items_are_listed_with_the_legal_reason_and_the_rest_opens_a_return(eu_policy, client):
    order = _order()
    statement = services.withdrawal_submit(order=order, name="Maria", email=order.customer.email, language="en")
    ack = next(m for m in mail.outbox if "Acknowledgement of your withdrawal" in m.subject)
    assert "Your withdrawal covers:\n- Wool jacket × 1" in ack.body
    assert "Engraved mug: The legal right of withdrawal does not cover this kind of item" in ack.body
    reference = services.withdrawal_assess(statement=statement).excluded[0].reference
    assert "Art." in reference and f"({reference})" in ack.body  # Italy's Codice del Consumo, where it applies
    pdf = _pdf_text(ack.attachments[0].content)
    assert "Engraved mug" in pdf and reference in pdf

    link = re.search(r"(/en/withdraw/items/[^/\s]+/)", ack.body).group(1)
    page = client.get(link).content.decode()
    assert "Wool jacket (up to 1)" in page and "Engraved mug: The legal right of withdrawal" in page
    mail.outbox.clear()
    assert client.post(link, {f"qty_{order.lines.get(name='Wool jacket').pk}": "1"}).status_code == 302
    statement.refresh_from_db()
    case = statement.case
    assert [i.order_line.name for i in case.items.all()] == ["Wool jacket"]
    # The "filed" email says a return was opened for the withdrawal and carries the acknowledgement again,
    # now with the return number.
    filed = next(m for m in mail.outbox if case.rma_number in m.subject)
    assert "We have opened return" in filed.body and "withdrew from" in filed.body
    (name, content, mimetype) = filed.attachments[0]
    assert name == f"withdrawal-{order.number}.pdf" and mimetype == "application/pdf"
    assert f"Your return number is {case.rma_number}" in _pdf_text(content)


@pytest.mark.parametrize("language", ["ja", "ar", "it"])
def test_a_late_withdrawal_is_told_with_the_period_end_and_the_guarantee(eu_policy, language):
    order = _order(days_ago=60, language=language)
    OrderLineFactory(order=order, name="Kettle", quantity=1, category="electronics")
    statement = services.withdrawal_submit(order=order, name="Yuki", email=order.customer.email, language=language)
    assessment = services.withdrawal_assess(statement=statement)
    assert assessment.all_late and not assessment.choices
    ended = order.delivered_on + datetime.timedelta(days=14)
    assert assessment.period_ended_on >= ended and assessment.guarantee_until > timezone.localdate()
    ack = next(m for m in mail.outbox if order.number in m.subject)
    with translation.override(language):
        sentence = gettext(
            "The withdrawal period for this order ended on %(date)s, and you withdrew on %(made)s. The legal right "
            "of withdrawal therefore no longer applies, and no return was opened."
        ) % {"date": format_date(assessment.period_ended_on, "long"), "made": format_date(timezone.localdate(), "long")}
        guarantee = format_date(assessment.guarantee_until, "long")
        assert sentence in ack.body and guarantee in ack.body
        assert f"/{language}/" in ack.body  # the returns page to report a fault, in the customer's language
        assert "/withdraw/items/" not in ack.body  # nothing to choose: no link that leads nowhere
    assert not statement.case and not services.withdrawal_choices(statement=statement)


def test_a_timely_withdrawal_stays_valid_when_its_link_is_opened_after_the_period(eu_policy):
    order = _order(days_ago=13)
    statement = services.withdrawal_submit(order=order, name="Maria", email=order.customer.email, language="en")
    # Opened three weeks later: the law counts the day of the withdrawal, not the day of the click.
    WithdrawalStatement.objects.filter(pk=statement.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=21)
    )
    earlier = order.delivered_on - datetime.timedelta(days=21)
    OrderFactory._meta.model.objects.filter(pk=order.pk).update(delivered_on=earlier)
    statement.refresh_from_db()
    assert [c.line.name for c in services.withdrawal_choices(statement=statement)] == ["Wool jacket"]
    case = services.withdrawal_case_open(statement=statement)
    assert case.items.get().order_line.name == "Wool jacket"


def test_the_acknowledgement_gives_the_time_in_the_customers_zone(eu_policy):
    order = _order(time_zone="Asia/Tokyo")
    statement = services.withdrawal_submit(order=order, name="Maria", email=order.customer.email, language="en")
    WithdrawalStatement.objects.filter(pk=statement.pk).update(
        submitted_at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)
    )
    statement.refresh_from_db()
    text = _pdf_text(withdrawal_ack_pdf(statement))
    assert "December 2, 2026" in text and "8:30:00" in text  # 08:30 on the 2nd in Tokyo, not 23:30 UTC
    italian = _order()  # no zone stored: the country's (Rome, UTC+1 in December)
    statement = services.withdrawal_submit(order=italian, name="Anna", email=italian.customer.email, language="en")
    WithdrawalStatement.objects.filter(pk=statement.pk).update(
        submitted_at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)
    )
    statement.refresh_from_db()
    assert "December 2, 2026" in _pdf_text(withdrawal_ack_pdf(statement))


def test_the_done_page_promises_no_return_number(client, eu_policy):
    client.post("/en/withdraw/", {"name": "Maria Rossi", "order_number": "X-1", "email": "x@example.com"})
    done = client.post("/en/withdraw/confirm/").content.decode()
    assert "return number" not in done and "says which items the withdrawal covers" in done
