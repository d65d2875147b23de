"""Celery tasks of the core: paying refunds and exchange differences, the SLA sweep. Ids in, services called."""

from celery import shared_task

from rma.cases import services
from rma.integrations.adapters import ProviderError


@shared_task(acks_late=True, autoretry_for=(ProviderError,), retry_backoff=True, max_retries=8)
def refund_execute(refund_id: int) -> None:
    services.refund_pay(refund_id=refund_id)


@shared_task(acks_late=True, autoretry_for=(ProviderError,), retry_backoff=True, max_retries=8)
def exchange_settle(exchange_id: int) -> None:
    services.exchange_charge(exchange_id=exchange_id)


@shared_task(acks_late=True)
def sla_sweep() -> dict:
    return services.sla_sweep()
