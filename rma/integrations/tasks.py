"""Celery tasks of the integrations: paying refunds and charging exchange differences. Ids in, services called."""

from celery import shared_task

from rma.integrations import payments, sweeps
from rma.integrations.ports import ProviderError


@shared_task(
    name="rma.tasks.refund_execute", acks_late=True, autoretry_for=(ProviderError,), retry_backoff=True, max_retries=8
)
def refund_execute(refund_id: int) -> None:
    payments.refund_pay(refund_id=refund_id)


@shared_task(
    name="rma.tasks.exchange_settle", acks_late=True, autoretry_for=(ProviderError,), retry_backoff=True, max_retries=8
)
def exchange_settle(exchange_id: int) -> None:
    payments.exchange_charge(exchange_id=exchange_id)


@shared_task(
    name="rma.tasks.exchange_hold", acks_late=True, autoretry_for=(ProviderError,), retry_backoff=True, max_retries=8
)
def exchange_hold(exchange_id: int) -> None:
    payments.exchange_hold_place(exchange_id=exchange_id)


@shared_task(
    name="rma.tasks.exchange_hold_void", acks_late=True, autoretry_for=(ProviderError,), retry_backoff=True,
    max_retries=8,
)  # fmt: skip
def exchange_hold_void(exchange_id: int) -> None:
    payments.exchange_hold_void(exchange_id=exchange_id)


@shared_task(acks_late=True)
def payments_redispatch() -> dict:
    return sweeps.payments_redispatch()
