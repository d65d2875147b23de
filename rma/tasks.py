"""Every Celery task of the ``rma`` app, gathered so that the worker's autodiscovery finds them.

The tasks live with the package that owns the work (``rma.cases.tasks``, ``rma.logistics.tasks``,
``rma.messaging.tasks``, ``rma.integrations.tasks``); nothing imports them from here.
"""

from rma.cases.tasks import sla_sweep
from rma.integrations.tasks import exchange_settle, refund_execute
from rma.logistics.tasks import label_render
from rma.messaging.tasks import notification_send

__all__ = ["exchange_settle", "label_render", "notification_send", "refund_execute", "sla_sweep"]
