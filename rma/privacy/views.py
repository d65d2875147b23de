"""The privacy pages for supervisors: find a customer, start an export, erase (with a reason and a
confirmation step), and download the staff access log as CSV."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rma.privacy import selectors, services
from rma.privacy.forms import AccessLogForm, CustomerSearchForm, ErasureForm
from rma.privacy.models import DataExport

PERMISSION = "privacy.manage_personal_data"
# Rows of the access log shown on a customer's page; the CSV file has every row.
ACCESS_ROWS_ON_PAGE = 20
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _customer_or_404(customer_id: int):
    customer = selectors.customer_get(customer_id=customer_id)
    if customer is None:
        raise Http404(_("No such customer."))
    return customer


@login_required
@permission_required(PERMISSION, raise_exception=True)
def privacy_home(request):
    form = CustomerSearchForm(request.GET or None)
    customers = selectors.customer_search(query=form.cleaned_data["q"]) if form.is_valid() else []
    return render(
        request,
        "rma/privacy/home.html",
        {"form": form, "customers": customers, "searched": form.is_bound, "log_form": AccessLogForm()},
    )


def _customer_page(request, customer, *, erasure_form=None, status=200):
    return render(
        request,
        "rma/privacy/customer.html",
        {
            "customer": customer,
            "exports": selectors.export_list_for_customer(customer=customer),
            "erasure": selectors.erasure_for_customer(customer=customer),
            "preview": services.erasure_preview(customer=customer),
            "erasure_form": erasure_form or ErasureForm(),
            "accesses": selectors.access_log(customer_id=customer.pk)[:ACCESS_ROWS_ON_PAGE],
        },
        status=status,
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
def customer_detail(request, customer_id):
    return _customer_page(request, _customer_or_404(customer_id))


@require_POST
@login_required
@permission_required(PERMISSION, raise_exception=True)
def customer_export(request, customer_id):
    customer = _customer_or_404(customer_id)
    try:
        services.export_request(customer=customer, actor=request.user)
    except services.ExportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The export is being prepared. The customer receives the link by email; you can also download it here."),
        )
    return redirect("agent:privacy:customer_detail", customer_id=customer.pk)


@require_http_methods(["POST"])
@login_required
@permission_required(PERMISSION, raise_exception=True)
def customer_erase(request, customer_id):
    """Two steps on one URL: the reason first (the confirmation page shows what goes and what stays),
    then the button named ``confirm`` erases."""
    customer = _customer_or_404(customer_id)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        return _customer_page(request, customer, erasure_form=form, status=400)
    preview = services.erasure_preview(customer=customer)
    if "confirm" not in request.POST or preview.refusal:
        return render(
            request,
            "rma/privacy/erase_confirm.html",
            {"customer": customer, "form": form, "preview": preview},
            status=409 if preview.refusal else 200,
        )
    try:
        services.customer_erase(customer=customer, actor=request.user, reason=form.cleaned_data["reason"])
    except services.ErasureRefused as exc:
        messages.error(request, str(exc))
        return redirect("agent:privacy:customer_detail", customer_id=customer.pk)
    messages.success(request, _("The customer's personal data has been erased. The refunds and invoices are kept."))
    return redirect("agent:privacy:customer_detail", customer_id=customer.pk)


@login_required
@permission_required(PERMISSION, raise_exception=True)
def export_download(request, export_id):
    export = selectors.export_get(export_id=export_id)
    if export is None or export.status != DataExport.Status.READY or not export.file:
        raise Http404(_("This export is not ready or has expired."))
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"customer-{export.customer_id}-data.zip")


def _csv_text(value: str) -> str:
    # A cell starting like a formula would run in a spreadsheet: quote it as text.
    return f"'{value}" if value.startswith(CSV_FORMULA_STARTS) else value


@login_required
@permission_required(PERMISSION, raise_exception=True)
def access_log_csv(request):
    """Who opened which customer's case and when, as CSV (for a customer, since a day, or everything)."""
    form = AccessLogForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("The filter is not valid."), status=400, content_type="text/plain; charset=utf-8")
    since = form.cleaned_data["since"]
    rows = selectors.access_log(
        customer_id=form.cleaned_data["customer"],
        since=timezone.make_aware(datetime.datetime.combine(since, datetime.time.min)) if since else None,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")  # a byte-order mark, so spreadsheet programs read the UTF-8 right
    writer = csv.writer(response)
    writer.writerow(["opened_at", "staff_user", "staff_name", "case", "customer_id"])
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                row.opened_at.isoformat(),
                _csv_text(row.user.get_username()),
                _csv_text(row.user.get_full_name()),
                row.case.rma_number,
                row.customer_id,
            ]
        )
    return response
