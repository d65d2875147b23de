"""Celery tasks of privacy: building one data export, its redispatch sweep, and the nightly retention run."""

from celery import shared_task

from rma.privacy import exports, retention, sweeps
from rma.privacy.errors import ExportBusy


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def export_build(self, export_id: int) -> None:
    try:
        exports.export_build(export_id=export_id)
    except ExportBusy as busy:
        # Another worker is building it (or died doing so): look again when its lease ends.
        raise self.retry(countdown=busy.seconds + 1, max_retries=None) from None


@shared_task(acks_late=True)
def exports_redispatch() -> int:
    return sweeps.exports_redispatch()


@shared_task(acks_late=True)
def retention_apply() -> dict:
    return retention.retention_apply()
