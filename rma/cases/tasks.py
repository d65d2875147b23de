"""Celery tasks of the core: the SLA sweep and the purge of photos of requests never filed."""

from celery import shared_task

from rma.cases import services


@shared_task(name="rma.tasks.sla_sweep", acks_late=True)
def sla_sweep() -> dict:
    return services.sla_sweep()


@shared_task(name="rma.tasks.pending_photos_purge", acks_late=True)
def pending_photos_purge() -> int:
    return services.pending_photos_purge()
