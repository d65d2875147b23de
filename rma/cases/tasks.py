"""Celery tasks of the core: the SLA sweep."""

from celery import shared_task

from rma.cases import services


@shared_task(name="rma.tasks.sla_sweep", acks_late=True)
def sla_sweep() -> dict:
    return services.sla_sweep()
