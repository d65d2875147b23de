"""The customer's data export from the portal: asked for by a signed-in customer, downloaded from the
emailed link (docs/privacy.md)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rma.cases import selectors
from rma.portal.views import SESSION_KEY
from rma.privacy import services as privacy


@require_POST
def privacy_export_request(request):
    """Only a customer signed in with the code or the magic link (the portal's verification) may ask."""
    customer_id = request.session.get(SESSION_KEY)
    customer = selectors.customer_get(customer_id=customer_id) if customer_id else None
    if customer is None:
        messages.info(request, _("Please enter your order number and email address first."))
        return redirect("portal:lookup")
    try:
        privacy.export_request(customer=customer, actor=None)
    except privacy.ExportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("We are preparing a copy of your data. You will receive a download link at %(email)s.")
            % {"email": customer.email},
        )
    return redirect("portal:preferences")


def privacy_export_download(request, token):
    """The link from the email: works until it expires (the file is deleted then)."""
    export = privacy.export_for_link(token=token)
    if export is None:
        raise Http404(_("This link is invalid or has expired. You can ask for a new copy of your data."))
    return FileResponse(export.file.open("rb"), as_attachment=True, filename="my-data.zip")
