"""What goes into a data export: JSON documents, their files (photos, attachments) and a readable PDF
summary in the customer's language, packed into one ZIP file. Pure reading: nothing here writes."""

import datetime
import functools
import io
import json
import posixpath
import zipfile

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from returns_portal.formatting import format_date, format_datetime, format_money
from rma.cases.models import CaseStatus, ReturnCase, WithdrawalStatement
from rma.messaging.models import Message, Notification
from rma.orders.models import Customer

# The JSON documents of an export, in the order the summary lists them.
DOCUMENTS = (
    "profile", "orders", "cases", "messages", "photos", "withdrawals", "notifications", "store_credit",
)  # fmt: skip


STATUS_LABELS = dict(CaseStatus.choices)


@functools.cache
def _url_fetcher() -> URLFetcher:
    """The summary embeds nothing: no file or network access, whatever a customer typed into their data."""
    return URLFetcher(allowed_protocols={"data"})


def _iso(value):
    return value.isoformat() if value else None


def _profile(customer: Customer) -> dict:
    return {
        "email": customer.email,
        "name": customer.name,
        "language": customer.language,
        "country": customer.country,
        "phone": customer.phone,
        "time_zone": customer.time_zone,
        "text_messages": customer.notify_sms,
        "unsubscribed_at": _iso(customer.unsubscribed_at),
        "created_at": _iso(customer.created_at),
    }


def _orders(customer: Customer) -> list[dict]:
    return [
        {
            "number": order.number,
            "currency": order.currency,
            "ordered_on": _iso(order.ordered_on),
            "delivered_on": _iso(order.delivered_on),
            "ship_to": {
                "name": order.ship_name,
                "street": order.ship_street,
                "postcode": order.ship_postcode,
                "city": order.ship_city,
                "country": order.ship_country,
            },
            "lines": [
                {"sku": line.sku, "product": line.name, "quantity": line.quantity, "unit_price": line.unit_price}
                for line in order.lines.all()
            ],
        }
        for order in customer.orders.prefetch_related("lines").order_by("ordered_on", "pk")
    ]


def _case(case: ReturnCase) -> dict:
    shipment = getattr(case, "shipment", None)
    return {
        "rma_number": case.rma_number,
        "kind": case.kind,
        "status": case.status,
        "language": case.language,
        "country": case.country,
        "currency": case.currency,
        "created_at": _iso(case.created_at),
        "decided_at": _iso(case.decided_at),
        "received_at": _iso(case.received_at),
        "resolved_at": _iso(case.resolved_at),
        "closed_at": _iso(case.closed_at),
        "rejection_reason": case.rejection_reason,
        "information_asked_for": case.info_request,
        "your_answer": case.info_response,
        "items": [
            {
                "order": item.order_line.order.number,
                "product": item.order_line.name,
                "quantity": item.quantity,
                "reason": item.reason,
                "resolution": item.resolution,
                "exchange_for": item.exchange_wish,
                "what_is_wrong": item.problem,
                "status": item.status,
                "inspection": {
                    "condition": item.inspection.grade,
                    "complete": item.inspection.complete,
                    "notes": item.inspection.notes,
                    "inspected_at": _iso(item.inspection.inspected_at),
                }
                if hasattr(item, "inspection")
                else None,
                "deductions": [
                    {"reason": d.reason, "amount": d.amount, "created_at": _iso(d.created_at)}
                    for d in item.deductions.all()
                ],
            }
            for item in case.items.select_related("order_line__order", "inspection").prefetch_related("deductions")
        ],
        "refunds": [
            {
                "kind": r.kind,
                "amount": r.amount,
                "currency": r.currency,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "paid_at": _iso(r.paid_at),
            }  # fmt: skip
            for r in case.refunds.all()
        ],
        "compensations": [
            {
                "kind": c.kind,
                "amount": c.amount,
                "currency": c.currency,
                "code": c.code,
                "created_at": _iso(c.created_at),
            }
            for c in case.compensations.all()
        ],
        "exchange_order": {
            "number": case.exchange_order.number,
            "what_is_sent": case.exchange_order.description,
            "price_difference": case.exchange_order.price_difference,
            "currency": case.exchange_order.currency,
        }
        if hasattr(case, "exchange_order")
        else None,
        "shipment": {
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "created_at": _iso(shipment.created_at),
            "scans": [
                {"status": t.status, "location": t.location, "occurred_at": _iso(t.occurred_at)}
                for t in shipment.tracking_events.all()
            ],
        }
        if shipment
        else None,
        "survey": {"rating": case.survey.rating, "comment": case.survey.comment} if hasattr(case, "survey") else None,
        "timeline": [
            {"what": event.headline, "at": _iso(event.created_at)} for event in case.events.exclude(kind="note")
        ],
    }


def _photo_path(case: ReturnCase, name: str) -> str:
    return f"photos/{case.rma_number}/{posixpath.basename(name)}"


def _photos(cases: list[ReturnCase]) -> list[dict]:
    return [
        {"case": case.rma_number, "file": _photo_path(case, photo.image.name), "uploaded_at": _iso(photo.uploaded_at)}
        for case in cases
        for item in case.items.all()
        for photo in item.photos.all()
    ]


def _messages(customer: Customer) -> list[dict]:
    # The thread as the customer saw it: the team's internal notes are not the customer's data.
    rows = Message.objects.filter(case__customer=customer, internal=False).select_related("case")
    return [
        {
            "case": m.case.rma_number,
            "from": "you" if m.from_customer else "team",
            "body": m.body,
            "attachment": f"attachments/{m.case.rma_number}/{posixpath.basename(m.attachment.name)}"
            if m.attachment
            else None,
            "created_at": _iso(m.created_at),
        }
        for m in rows.order_by("created_at", "pk")
    ]


def _withdrawals(customer: Customer) -> list[dict]:
    rows = WithdrawalStatement.objects.filter(order__customer=customer).select_related("order", "case")
    return [
        {
            "order": s.order.number,
            "name": s.name,
            "email": s.email,
            "statement": s.content,
            "submitted_at": _iso(s.submitted_at),
            "acknowledged_at": _iso(s.acknowledged_at),
            "case": s.case.rma_number if s.case else None,
        }
        for s in rows.order_by("submitted_at", "pk")
    ]


def _notifications(customer: Customer) -> list[dict]:
    rows = Notification.objects.filter(case__customer=customer, status=Notification.Status.SENT).select_related("case")
    return [
        {
            "case": n.case.rma_number,
            "channel": n.channel,
            "to": n.recipient,
            "subject": n.subject,
            "text": n.body,
            "sent_at": _iso(n.sent_at),
        }
        for n in rows.order_by("sent_at", "pk")
    ]


def _store_credit(customer: Customer) -> list[dict]:
    return [
        {
            "code": account.code,
            "currency": account.currency,
            "entries": [
                {"kind": e.kind, "amount": e.amount, "created_at": _iso(e.created_at)} for e in account.entries.all()
            ],
        }
        for account in customer.credit_accounts.prefetch_related("entries")
    ]


def export_data(*, customer: Customer) -> dict[str, list | dict]:
    """Everything held about the customer, as JSON-ready documents named as in ``DOCUMENTS``."""
    cases = list(customer.cases.prefetch_related("items__photos").order_by("created_at", "pk"))
    with translation.override(customer.language):  # the timeline's sentences in the customer's language
        case_documents = [_case(case) for case in cases]
    return {
        "profile": _profile(customer),
        "orders": _orders(customer),
        "cases": case_documents,
        "messages": _messages(customer),
        "photos": _photos(cases),
        "withdrawals": _withdrawals(customer),
        "notifications": _notifications(customer),
        "store_credit": _store_credit(customer),
    }


def _files(customer: Customer):
    """(path in the ZIP, stored file) of every photo and attachment of the customer's cases."""
    for case in customer.cases.prefetch_related("items__photos"):
        for item in case.items.all():
            for photo in item.photos.all():
                yield _photo_path(case, photo.image.name), photo.image
    for message in Message.objects.filter(case__customer=customer, internal=False).exclude(attachment=""):
        yield f"attachments/{message.case.rma_number}/{posixpath.basename(message.attachment.name)}", message.attachment


def export_summary_pdf(*, customer: Customer, data: dict) -> bytes:
    """A readable summary of the export in the customer's language (the JSON files hold every detail)."""
    with translation.override(customer.language):
        html = render_to_string(
            "rma/privacy/summary_pdf.html",
            {
                "shop_name": settings.SHOP_NAME,
                "made": format_datetime(timezone.now(), "long"),
                "profile": data["profile"],
                "orders": [
                    {**order, "ordered": format_date(datetime.date.fromisoformat(order["ordered_on"]))}
                    for order in data["orders"]
                ],
                "cases": [
                    {
                        **case,
                        "status_label": STATUS_LABELS.get(case["status"], case["status"]),
                        "refund_lines": [format_money(r["amount"], r["currency"]) for r in case["refunds"]],
                    }
                    for case in data["cases"]
                ],
                "counts": {name: len(data[name]) for name in DOCUMENTS if isinstance(data[name], list)},
            },
        )
    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf()


def export_zip(*, customer: Customer) -> bytes:
    """The export file: one JSON file per document, the photos and attachments, and summary.pdf."""
    data = export_data(customer=customer)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in DOCUMENTS:
            text = json.dumps(data[name], cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            archive.writestr(f"{name}.json", text)
        for path, stored in _files(customer):
            with stored.open("rb") as handle:
                archive.writestr(path, handle.read())
        archive.writestr("summary.pdf", export_summary_pdf(customer=customer, data=data))
    return buffer.getvalue()
