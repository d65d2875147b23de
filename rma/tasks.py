"""Celery tasks: thin, idempotent wrappers around services; they take ids only."""

from celery import shared_task

from . import notifications, services
from .adapters import ProviderError


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def label_render(case_id: int) -> None:
    services.case_issue_label(case_id=case_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def notification_send(notification_id: int) -> None:
    notifications.notification_deliver(notification_id=notification_id)


@shared_task(acks_late=True, autoretry_for=(ProviderError,), retry_backoff=True, max_retries=8)
def refund_execute(refund_id: int) -> None:
    services.refund_pay(refund_id=refund_id)


@shared_task(acks_late=True, autoretry_for=(ProviderError,), retry_backoff=True, max_retries=8)
def exchange_settle(exchange_id: int) -> None:
    services.exchange_charge(exchange_id=exchange_id)


@shared_task(acks_late=True)
def sla_sweep() -> dict:
    return services.sla_sweep()
