"""Celery beat task: bring the analytics summary tables up to date (the sweeps queue)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def analytics_refresh() -> dict:
    return services.analytics_refresh()
