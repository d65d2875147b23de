"""The customer portal: find an order, file a return, follow the case, download the label."""

import base64
import io
import math

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from policies import selectors as policy_selectors
from returns_portal.client_address import client_address
from rma.access import services as access
from rma.access import tokens
from rma.access.throttles import Throttled
from rma.cases import presenters, selectors, services
from rma.cases.models import CaseStatus
from rma.logistics import documents, tracking
from rma.messaging import services as messaging
from rma.portal.forms import (
    CustomerMessageForm,
    OrderLookupForm,
    PreferencesForm,
    ProvideInfoForm,
    SurveyForm,
    VerifyCodeForm,
    WithdrawalForm,
    WithdrawalItemsForm,
)

SESSION_KEY = "portal_customer_id"
PENDING_KEY = "portal_pending_lookup"
# The cases this session opened from a link in an email: rma number -> customer id, nothing more.
CASE_GRANTS_KEY = "portal_case_grants"


def _throttled(request, template: str, context: dict, exc: Throttled):
    """HTTP 429: the same page with what was typed, saying when to try again (and Retry-After for machines)."""
    minutes = max(1, math.ceil(exc.retry_after / 60))
    message = ngettext(
        "Too many attempts. For your security, please try again in %(minutes)s minute.",
        "Too many attempts. For your security, please try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    form = context.get("form")
    if form is not None:
        form.add_error(None, message)
    context = {**context, "throttled_message": message}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _customer_id(request) -> int | None:
    return request.session.get(SESSION_KEY)


def _sign_in(request, customer) -> None:
    """Remember the customer on this session (a new session key), with their time zone."""
    request.session.cycle_key()
    request.session.pop(PENDING_KEY, None)
    request.session[SESSION_KEY] = customer.pk
    if customer.time_zone:
        request.session["portal_time_zone"] = customer.time_zone
    else:
        request.session.pop("portal_time_zone", None)


@require_http_methods(["GET", "POST"])
def lookup(request):
    form = OrderLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lookup = access.lookup_start(
                number=form.cleaned_data["order_number"],
                email=form.cleaned_data["email"],
                client=client_address(request),
                language=request.LANGUAGE_CODE,
            )
        except Throttled as exc:
            return _throttled(request, "rma/portal/lookup.html", {"form": form}, exc)
        except access.AccessDenied as exc:
            form.add_error(None, str(exc))
        else:
            request.session[PENDING_KEY] = lookup.pk
            if settings.PORTAL_DEMO_SHOW_CODE:
                messages.info(
                    request, _("Demo mode: the code sent by email is %(code)s.") % {"code": lookup.plain_code}
                )
            return redirect("portal:verify")
    cases = orders = []
    customer_id = _customer_id(request)
    if customer_id:
        cases = selectors.case_list_for_customer(customer=customer_id)
        orders = selectors.order_list_for_customer(customer=customer_id)
    return render(request, "rma/portal/lookup.html", {"form": form, "cases": cases, "orders": orders})


@require_POST
def sign_out(request):
    """Forget the customer on this browser (a shared computer)."""
    request.session.flush()
    messages.info(request, _("You are signed out."))
    return redirect("portal:lookup")


@require_http_methods(["GET", "POST"])
def verify(request):
    """Type the code from the email; a right code opens the order."""
    lookup_id = request.session.get(PENDING_KEY)
    if not lookup_id:
        messages.info(request, _("Please enter your order number and email address first."))
        return redirect("portal:lookup")
    form = VerifyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = access.lookup_code_verify(
                lookup_id=lookup_id, code=form.cleaned_data["code"], client=client_address(request)
            )
        except Throttled as exc:
            return _throttled(request, "rma/portal/verify.html", {"form": form}, exc)
        except access.AccessDenied as exc:
            form.add_error("code", str(exc))
        else:
            _sign_in(request, order.customer)
            return redirect("portal:order_return", number=order.number)
    return render(request, "rma/portal/verify.html", {"form": form})


def verify_link(request, token):
    """The one-time link from the email."""
    try:
        order = access.lookup_link_verify(token=token)
    except access.AccessDenied as exc:
        messages.error(request, str(exc))
        return redirect("portal:lookup")
    _sign_in(request, order.customer)
    return redirect("portal:order_return", number=order.number)


def _case_for_request(request, rma_number):
    """The case if this session may see it: signed in as its customer, or opened from a link to it alone."""
    for customer_id in (_customer_id(request), request.session.get(CASE_GRANTS_KEY, {}).get(rma_number)):
        case = selectors.case_get_for_customer(customer_id=customer_id, rma_number=rma_number) if customer_id else None
        if case is not None:
            return case
    raise Http404(_("No such return."))


def _grant_case(request, *, rma_number: str, customer_id: int) -> None:
    """Let this session see one case, and nothing else of the customer's account."""
    request.session.cycle_key()
    grants = dict(request.session.get(CASE_GRANTS_KEY, {}))
    grants[rma_number] = customer_id
    request.session[CASE_GRANTS_KEY] = grants


def _signed_link(request, rma_number, view):
    """Open one case from a link in an email, then show the page without the token in the URL."""
    data = tokens.case_link_read(request.GET["t"])
    case = (
        selectors.case_get_for_customer(customer_id=data["c"], rma_number=rma_number)
        if data is not None and data.get("rma") == rma_number
        else None
    )
    if case is None:
        messages.error(request, _("This link is invalid or has expired. Enter your order details to continue."))
        return redirect("portal:lookup")
    _grant_case(request, rma_number=rma_number, customer_id=case.customer_id)
    return redirect(reverse(view, kwargs={"rma_number": rma_number}))


def case_detail(request, rma_number):
    if request.GET.get("t"):
        return _signed_link(request, rma_number, "portal:case_detail")
    case = _case_for_request(request, rma_number)
    return _render_case(request, case)


def _dropoff_qr(case) -> str:
    """The drop-off QR code as an inline SVG data URI, once the label exists."""
    if not hasattr(case, "shipment"):
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(documents.dropoff_qr_svg(case.rma_number)).decode()


def _render_case(request, case, *, info_form=None, survey_form=None, message_form=None, status=200):
    presentation = presenters.present(presenters.case_facts(case, has_label=hasattr(case, "shipment")))
    return render(
        request,
        "rma/portal/case_detail.html",
        {
            "case": case,
            # Every sentence about labels, parcels, money and timing, and what is offered (rma.cases.presenters).
            "presentation": presentation,
            "items": case.items.all(),
            "events": case.events.all(),
            "shipment": getattr(case, "shipment", None),
            "refunds": case.refunds.all(),
            "exchange_order": getattr(case, "exchange_order", None),
            "label_problems": [str(documents.DocumentError.from_dict(p)) for p in case.document_problems],
            "dropoff_qr": _dropoff_qr(case),
            "tracking": tracking.parcel_tracking(case=case) if presentation.show_tracking else None,
            "quote": services.quote_for_case(case),
            "return_center": policy_selectors.return_center_for_country(country=case.country),
            "can_cancel": presentation.can_cancel,
            "info_form": info_form or (ProvideInfoForm() if case.status == CaseStatus.NEEDS_INFO else None),
            "thread": [m for m in case.messages.all() if not m.internal],
            "message_form": message_form or CustomerMessageForm(),
            "survey_form": survey_form
            or (SurveyForm() if case.status == CaseStatus.CLOSED and not hasattr(case, "survey") else None),
        },
        status=status,
    )


@require_POST
def case_provide_info(request, rma_number):
    case = _case_for_request(request, rma_number)
    form = ProvideInfoForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, info_form=form, status=400)
    try:
        services.case_provide_info(case=case, customer_id=case.customer_id, answer=form.cleaned_data["answer"])
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you. We have your answer and will get back to you."))
    return redirect("portal:case_detail", rma_number=rma_number)


@require_POST
def case_message(request, rma_number):
    case = _case_for_request(request, rma_number)
    form = CustomerMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_case(request, case, message_form=form, status=400)
    try:
        messaging.message_post_customer(case=case, customer_id=case.customer_id, body=form.cleaned_data["body"],
                                       attachment=form.cleaned_data.get("attachment"))  # fmt: skip
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your message has been sent. We will answer by email."))
    return redirect("portal:case_detail", rma_number=rma_number)


def case_message_file(request, rma_number, pk):
    """A photo or document attached to a message of the thread (by the customer or the team), for the
    case's customer only; never a file of an internal note."""
    case = _case_for_request(request, rma_number)
    message = case.messages.filter(pk=pk, internal=False).exclude(attachment="").first()
    if message is None:
        raise Http404(_("No such file."))
    # A PDF is only ever downloaded, never shown inside the portal's origin.
    return FileResponse(message.attachment.open("rb"), as_attachment=not message.attachment_is_image)


@require_POST
def case_survey(request, rma_number):
    case = _case_for_request(request, rma_number)
    form = SurveyForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, survey_form=form, status=400)
    try:
        services.survey_submit(case=case, customer_id=case.customer_id, rating=form.cleaned_data["rating"],
                               comment=form.cleaned_data["comment"])  # fmt: skip
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("portal:case_detail", rma_number=rma_number)


@require_POST
def case_answer_offer(request, rma_number):
    case = _case_for_request(request, rma_number)
    accept = request.POST.get("answer") == "accept"
    try:
        services.case_answer_offer(case=case, customer_id=case.customer_id, accept=accept)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        if accept:
            messages.success(request, _("You accepted the offer. We will pay it shortly."))
        else:
            messages.info(request, _("You refused the offer. A supervisor will look at your return."))
    return redirect("portal:case_detail", rma_number=rma_number)


DOCUMENT_FIELDS = {
    "label": "label_pdf",
    "label-4x6": "label_4x6_pdf",
    "packing-slip": "packing_slip_pdf",
    "cn23": "customs_pdf",
    "invoice": "invoice_pdf",
}


def case_label(request, rma_number):
    if request.GET.get("t"):
        return _signed_link(request, rma_number, "portal:case_label")
    return case_document(request, rma_number, "label")


def case_document(request, rma_number, kind):
    """One of the case's shipping documents, for its customer only."""
    case = _case_for_request(request, rma_number)
    shipment = getattr(case, "shipment", None)
    if presenters.documents_gone(presenters.case_facts(case, has_label=shipment is not None)):
        # The return is over: a label or QR that still worked would invite a parcel nobody expects.
        return HttpResponse(_("This return is closed: its label and documents are no longer valid."), status=410,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    if kind == "label-4x6" and shipment is not None and not shipment.label_4x6_pdf:
        # Shipments from before the 4×6 label was stored with the others: made from the same data.
        pdf = documents.render_label(
            documents.shipment_data_from_case(
                case=case, return_center=policy_selectors.return_center_for_country(country=case.country),
                tracking_number=shipment.tracking_number, carrier_name=shipment.carrier,
            ),
            fmt=documents.PageFormat.THERMAL_4X6,
        )  # fmt: skip
        return FileResponse(io.BytesIO(pdf), content_type="application/pdf", as_attachment=True,
                            filename=f"label-4x6-{case.rma_number}.pdf")  # fmt: skip
    field = DOCUMENT_FIELDS.get(kind)
    document = getattr(shipment, field, None) if shipment and field else None
    if not document:
        raise Http404(_("This document is not ready yet."))
    return FileResponse(document.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=f"{kind}-{case.rma_number}.pdf")  # fmt: skip


@require_POST
def case_cancel(request, rma_number):
    case = _case_for_request(request, rma_number)
    try:
        services.case_cancel(case=case, actor=None, customer_id=case.customer_id)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your return has been cancelled."))
    return redirect("portal:case_detail", rma_number=rma_number)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """From the link in an email: confirm, then stop the messages a customer does not need."""
    customer = selectors.customer_get(customer_id=tokens.unsubscribe_read(token) or 0)
    if customer is None:
        messages.error(request, _("This link is invalid or has expired. Enter your order details to continue."))
        return redirect("portal:lookup")
    if request.method == "POST":
        services.customer_preferences_set(customer=customer, unsubscribed=True, notify_sms=customer.notify_sms)
        return render(request, "rma/portal/unsubscribe.html", {"done": True})
    return render(request, "rma/portal/unsubscribe.html", {"done": False})


@require_http_methods(["GET", "POST"])
def preferences(request):
    customer_id = _customer_id(request)
    customer = selectors.customer_get(customer_id=customer_id) if customer_id else None
    if customer is None:
        messages.info(request, _("Please enter your order number and email address first."))
        return redirect("portal:lookup")
    form = PreferencesForm(
        request.POST or None,
        initial={"notify_sms": customer.notify_sms, "non_essential": customer.unsubscribed_at is None},
    )
    if request.method == "POST" and form.is_valid():
        services.customer_preferences_set(
            customer=customer,
            unsubscribed=not form.cleaned_data["non_essential"],
            notify_sms=form.cleaned_data["notify_sms"],
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect("portal:preferences")
    return render(request, "rma/portal/preferences.html", {"form": form, "customer": customer})


WITHDRAW_KEY = "portal_withdrawal"


@require_http_methods(["GET", "POST"])
def withdraw(request):
    """EU withdrawal function, step 1: who withdraws from which order (CRD Art. 11a)."""
    form = WithdrawalForm(request.POST or None, initial=request.session.get(WITHDRAW_KEY))
    if request.method == "POST" and form.is_valid():
        request.session[WITHDRAW_KEY] = form.cleaned_data
        return redirect("portal:withdraw_confirm")
    return render(request, "rma/portal/withdraw.html", {"form": form})


@require_http_methods(["GET", "POST"])
def withdraw_confirm(request):
    """Step 2: the statement as it will be sent, and the button that confirms it; nothing about the order."""
    data = request.session.get(WITHDRAW_KEY)
    if not data:
        return redirect("portal:withdraw")
    context = {
        "data": data,
        "statement": services.withdrawal_statement_text(number=data["order_number"], name=data["name"]),
    }
    if request.method == "POST":
        try:
            services.withdrawal_request(number=data["order_number"], name=data["name"], email=data["email"],
                                        client=client_address(request), language=request.LANGUAGE_CODE)  # fmt: skip
        except Throttled as exc:
            # What was typed stays in the session and on the page, for the next try.
            return _throttled(request, "rma/portal/withdraw_confirm.html", context, exc)
        request.session.pop(WITHDRAW_KEY, None)
        # The same answer whether or not the details matched an order: nothing is revealed, nothing opened.
        return render(request, "rma/portal/withdraw_done.html", {"email": data["email"]})
    return render(request, "rma/portal/withdraw_confirm.html", context)


@require_http_methods(["GET", "POST"])
def withdraw_items(request, token):
    """Step 3, from the link in the acknowledgement only: choose the items and open the return."""
    statement_id = tokens.withdrawal_link_read(token)
    statement = selectors.withdrawal_statement_get(statement_id=statement_id) if statement_id else None
    if statement is None:
        messages.error(request, _("This link is invalid or has expired. Enter your order details to continue."))
        return redirect("portal:lookup")
    if statement.case_id is not None:
        _grant_case(request, rma_number=statement.case.rma_number, customer_id=statement.case.customer_id)
        return redirect("portal:case_detail", rma_number=statement.case.rma_number)
    choices = services.withdrawal_choices(statement=statement)
    form = WithdrawalItemsForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.withdrawal_case_open(statement=statement, quantities=form.cleaned_data["quantities"])
        except services.CaseInvalid as exc:
            form.add_error(None, str(exc))
        else:
            _grant_case(request, rma_number=case.rma_number, customer_id=case.customer_id)
            messages.success(request, _("Your return %(rma)s has been filed.") % {"rma": case.rma_number})
            return redirect("portal:case_detail", rma_number=case.rma_number)
    return render(request, "rma/portal/withdraw_items.html",
                  {"statement": statement, "form": form, "choices": choices})  # fmt: skip
