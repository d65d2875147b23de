"""Writes of the privacy app. Import from here: ``from rma.privacy import services``."""

from returns_portal.actors import Staff
from rma.cases.models import ReturnCase
from rma.privacy.erasure import ErasurePreview, customer_erase, erased_email, erasure_preview
from rma.privacy.errors import ErasureRefused, ExportBusy, ExportRefused, PrivacyError
from rma.privacy.exports import export_build, export_for_link, export_request, export_url
from rma.privacy.models import CaseAccess
from rma.privacy.retention import retention_apply


def case_access_record(*, case: ReturnCase, actor: Staff) -> CaseAccess:
    """A staff member opened this case's page: who, which customer's case, when (the access log)."""
    return CaseAccess.objects.create(user=actor, case=case, customer_id=case.customer_id)


__all__ = [
    "ErasurePreview",
    "ErasureRefused",
    "ExportBusy",
    "ExportRefused",
    "PrivacyError",
    "case_access_record",
    "customer_erase",
    "erased_email",
    "erasure_preview",
    "export_build",
    "export_for_link",
    "export_request",
    "export_url",
    "retention_apply",
]
