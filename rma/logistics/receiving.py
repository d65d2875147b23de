"""The receiving station: a scanned code (RMA number, tracking number or drop-off QR value) receives its parcel."""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from policies.models import ReturnCenter
from rma.cases import services as case_services
from rma.cases.events import Staff
from rma.cases.models import CaseStatus, ReturnCase
from rma.cases.services.errors import CaseError
from rma.logistics import documents
from rma.logistics.models import Shipment

# What a parcel may be received from: its label is out, or the carrier has it.
RECEIVABLE = frozenset({CaseStatus.LABEL_ISSUED, CaseStatus.IN_TRANSIT})
# A keyboard-wedge scanner may send the code with stray spaces or control characters around it.
_NOISE = re.compile(r"[\x00-\x1f\x7f]")


class ScanRefused(CaseError):
    """A scan that changes nothing: the message says why, in the agent's language."""


class ScanUnknown(ScanRefused):
    """No parcel of this shop carries the code."""


class ScanWrongState(ScanRefused):
    """The parcel's case is not waiting for its parcel (already received, cancelled, escalated...)."""


class ScanWrongCentre(ScanRefused):
    """The parcel is addressed to another return centre than the one the station filters by."""


@dataclass(frozen=True)
class ScanResult:
    case: ReturnCase
    code: str


def scan_clean(code: str) -> str:
    return _NOISE.sub("", code or "").strip()


def case_id_for_code(code: str) -> int | None:
    """The case a scanned code points to: its RMA number, its parcel's tracking number, or the signed value of the
    label's drop-off QR code (checked here: a forged or altered code points nowhere). None if none does."""
    code = scan_clean(code)
    if not code:
        return None
    try:
        rma_number = documents.dropoff_code_verify(code)  # no age limit: the parcel reached the shop itself
    except documents.DropOffCodeInvalid:
        rma_number = None
    variants = {rma_number} if rma_number else {code, code.upper()}
    found = ReturnCase.objects.filter(rma_number__in=variants).values_list("id", flat=True).first()
    if found is None and rma_number is None:
        found = Shipment.objects.filter(tracking_number__in=variants).values_list("case_id", flat=True).first()
    return found


def parcel_receive_scan(*, code: str, actor: Staff, center: ReturnCenter | None = None) -> ScanResult:
    """Receive the parcel a scanned code points to, at the bench of ``center`` (any centre when None).

    The case's row is locked before its state is read, so two scans of one parcel (two benches, a double
    beep) receive it once: the second waits for the first and is then refused as already received.
    Nothing changes when the scan is refused.
    """
    cleaned = scan_clean(code)
    case_id = case_id_for_code(cleaned)
    if case_id is None:
        raise ScanUnknown(_("No parcel of ours has the code “%(code)s”. Nothing was changed.") % {"code": cleaned[:60]})
    with transaction.atomic():
        case = ReturnCase.objects.select_for_update().get(pk=case_id)
        if case.status not in RECEIVABLE:
            raise ScanWrongState(_wrong_state_message(case))
        shipment = Shipment.objects.filter(case=case).first()
        if center is not None and shipment is not None and shipment.return_center != center.name:
            raise ScanWrongCentre(
                _("Return %(rma)s goes to %(right)s, not to %(here)s. Nothing was changed.")
                % {"rma": case.rma_number, "right": shipment.return_center or "—", "here": center.name}
            )
        case_services.case_mark_received(case=case, actor=actor)
    return ScanResult(case=case, code=cleaned)


def _wrong_state_message(case: ReturnCase) -> str:
    if case.status in {CaseStatus.RECEIVED, CaseStatus.INSPECTED} or case.received_at:
        return _("Return %(rma)s was already received. Nothing was changed.") % {"rma": case.rma_number}
    return _("Return %(rma)s is “%(status)s”: its parcel cannot be received now. Nothing was changed.") % {
        "rma": case.rma_number,
        "status": case.get_status_display(),
    }
