"""Celery tasks of logistics: the shipping documents of an approved case."""

from celery import shared_task

from rma.logistics import labels, sweeps


@shared_task(name="rma.tasks.label_render", acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def label_render(case_id: int) -> None:
    labels.label_issue(case_id=case_id)


@shared_task(acks_late=True)
def labels_sweep() -> dict:
    return {**sweeps.labels_sweep(), "redispatched": sweeps.labels_redispatch()}
