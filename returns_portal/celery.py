"""The Celery application; tasks run in-process when no broker is configured (see settings)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_portal.settings.local")

app = Celery("returns_portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _task_log_context(**kwargs):
    from returns_portal.observability import task_started

    task_started(**kwargs)


@signals.task_postrun.connect
def _task_log_context_end(**kwargs):
    from returns_portal.observability import task_finished

    task_finished(**kwargs)


@signals.task_failure.connect
def _task_failed(**kwargs):
    from returns_portal.observability import task_failed

    task_failed(**kwargs)


@signals.task_retry.connect
def _task_retried(**kwargs):
    from returns_portal.observability import task_retried

    task_retried(**kwargs)


@signals.worker_init.connect
def _worker_metrics(**kwargs):
    """WORKER_METRICS_PORT: the worker serves its task failure counts (and the outbox's figures) for Prometheus.
    With the prefork pool, set PROMETHEUS_MULTIPROC_DIR too, so every pool process is counted."""
    port = os.environ.get("WORKER_METRICS_PORT")
    if port:
        from prometheus_client import start_http_server

        from returns_portal.observability import metrics_registry

        start_http_server(
            int(port), addr=os.environ.get("WORKER_METRICS_ADDR", "127.0.0.1"), registry=metrics_registry()
        )
