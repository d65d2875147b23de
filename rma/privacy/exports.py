"""Data exports: the durable request, the build of the ZIP file with no lock held, and the emailed,
expiring link to it (docs/privacy.md)."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from returns_portal import outbox
from returns_portal.actors import Staff
from returns_portal.formatting import format_datetime
from rma.orders.models import Customer
from rma.privacy.archive import export_zip
from rma.privacy.errors import ExportBusy, ExportRefused
from rma.privacy.models import DataExport, Erasure

EXPORT_LINK_SALT = "rma.privacy.export-link"
EXPORT_SUBJECT = gettext_lazy("Your data from %(shop_name)s is ready")
# Well over the time a build and an SMTP send take, so a live run always finishes inside it.
BUILD_LEASE = datetime.timedelta(minutes=10)


def export_request(*, customer: Customer, actor: Staff | None) -> DataExport:
    """Ask for a customer's data: the customer from the portal (``actor=None``, already verified by the
    portal's sign-in) or a supervisor for any customer. An export still being prepared is reused."""
    if actor is not None and not actor.has_perm("privacy.manage_personal_data"):
        raise ExportRefused(_("You may not export customers' data."))
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if Erasure.objects.filter(customer=customer).exists():
            raise ExportRefused(_("This customer's data has been erased: there is nothing to export."))
        waiting = DataExport.objects.filter(customer=customer, status=DataExport.Status.PENDING).first()
        if waiting is not None:
            return waiting
        # A customer's export costs a PDF and a ZIP of every photo: one at a time while its link works.
        current = DataExport.objects.filter(
            customer=customer, status=DataExport.Status.READY, expires_at__gt=timezone.now()
        ).first()
        if actor is None and current is not None:
            raise ExportRefused(
                _("We sent you a link to your data on %(sent)s. It works until %(expires)s.")
                % {
                    "sent": format_datetime(current.ready_at, "short"),
                    "expires": format_datetime(current.expires_at, "short"),
                }
            )
        export = DataExport.objects.create(customer=customer, requested_by=actor, language=customer.language)
        from rma.privacy.tasks import export_build  # the task module imports this one

        outbox.dispatch_on_commit(export_build, export.pk)
    return export


def export_link_token(export: DataExport) -> str:
    return signing.dumps({"e": export.pk, "k": export.link_key}, salt=EXPORT_LINK_SALT)


def export_url(export: DataExport) -> str:
    """The absolute link in the email, in the customer's language (the portal's URL name is its contract)."""
    with translation.override(export.language):
        path = reverse("portal:privacy_export_download", kwargs={"token": export_link_token(export)})
    return f"{settings.SITE_URL}{path}"


def export_for_link(*, token: str, now: datetime.datetime | None = None) -> DataExport | None:
    """The ready, unexpired export a link opens; None for a bad, old or replaced link."""
    now = now or timezone.now()
    max_age = settings.PRIVACY_EXPORT_LINK_HOURS * 3600
    try:
        data = signing.loads(token, salt=EXPORT_LINK_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    export = DataExport.objects.filter(
        pk=data.get("e"), link_key=data.get("k"), status=DataExport.Status.READY, expires_at__gt=now
    ).first()
    return export if export is not None and export.file else None


def _claim(export_id: int) -> DataExport | None:
    with transaction.atomic():
        export = DataExport.objects.select_for_update().get(pk=export_id)
        now = timezone.now()
        done = export.status == DataExport.Status.READY and export.emailed_at is not None
        if done or export.status in (DataExport.Status.FAILED, DataExport.Status.EXPIRED):
            return None
        if export.lease_until and export.lease_until > now:
            raise ExportBusy((export.lease_until - now).total_seconds())
        export.lease_until = now + BUILD_LEASE
        export.attempts += 1
        export.save(update_fields=["lease_until", "attempts"])
    return export


def _release(export_id: int, error: BaseException) -> None:
    export = DataExport.objects.get(pk=export_id)
    out_of_attempts = export.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    DataExport.objects.filter(pk=export_id).update(
        lease_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        status=DataExport.Status.FAILED if out_of_attempts else export.status,
    )


def _email(export: DataExport) -> None:
    customer = export.customer
    with translation.override(export.language):
        subject = str(EXPORT_SUBJECT) % {"shop_name": settings.SHOP_NAME}
        text = render_to_string(
            "rma/privacy/export_email.txt",
            {
                "customer": customer,
                "url": export_url(export),
                "expires": format_datetime(export.expires_at, "long"),
                "shop_name": settings.SHOP_NAME,
            },
        )
    # Always to the address on file: whoever started the export, only the customer receives the link.
    EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [customer.email]).send()


def export_build(*, export_id: int) -> DataExport:
    """Build the ZIP file and email its link, once. The row is locked only to take it and to record each
    step; the reading, rendering, storing and sending run in between, with no lock held."""
    export = _claim(export_id)
    if export is None:
        return DataExport.objects.get(pk=export_id)
    try:
        if export.status == DataExport.Status.PENDING:
            content = export_zip(customer=export.customer)
            name = f"data-{timezone.localdate():%Y-%m-%d}.zip"
            export.file.save(name, ContentFile(content), save=False)
            now = timezone.now()
            expires = now + datetime.timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
            DataExport.objects.filter(pk=export_id).update(
                file=export.file.name, status=DataExport.Status.READY, ready_at=now, expires_at=expires
            )
            export.refresh_from_db()
        _email(export)
    except Exception as exc:
        # Recorded for the team and retried by the task (or the sweep); the exception still propagates.
        _release(export_id, exc)
        raise
    DataExport.objects.filter(pk=export_id).update(emailed_at=timezone.now(), lease_until=None, last_error="")
    return DataExport.objects.get(pk=export_id)
