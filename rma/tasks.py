"""Every Celery task of the ``rma`` app, gathered so that the worker's autodiscovery finds them.

The tasks live with the package that owns the work (``rma.cases.tasks``, ``rma.logistics.tasks``,
``rma.messaging.tasks``, ``rma.integrations.tasks``); nothing imports them from here. The tasks that
existed before the packages did keep their old names (``rma.tasks.label_render``...), so messages already
queued under those names still run after an upgrade.
"""

from rma.cases.tasks import pending_photos_purge, sla_sweep
from rma.integrations.tasks import exchange_settle, payments_redispatch, refund_execute
from rma.logistics.tasks import label_render, labels_sweep
from rma.messaging.tasks import notification_send, notifications_redispatch, withdrawal_acknowledgement_send

__all__ = [
    "exchange_settle",
    "label_render",
    "labels_sweep",
    "notification_send",
    "notifications_redispatch",
    "payments_redispatch",
    "pending_photos_purge",
    "refund_execute",
    "sla_sweep",
    "withdrawal_acknowledgement_send",
]
