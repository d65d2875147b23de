"""App config for return cases."""

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class RmaConfig(AppConfig):
    name = "rma"
    verbose_name = _("Returns")

    def ready(self):
        # The composition root: the satellites subscribe to the core's case events here (the core imports
        # none of them), and what one satellite stored is made readable to another.
        from rma.integrations import subscribers as integrations
        from rma.logistics import subscribers as logistics
        from rma.logistics.documents import dropoff_qr_png, problems_describe
        from rma.messaging import notifications
        from rma.messaging import subscribers as messaging

        messaging.register()
        logistics.register()
        integrations.register()
        notifications.describer_register("problems", problems_describe)
        notifications.qr_drawer_register(lambda case: dropoff_qr_png(case.rma_number))

        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from policies.models import Region, RegionCountry, ReturnPolicy
        from rma.access.roles import roles_ensure_on_migrate
        from rma.cases.models import ReturnCase, ReturnItem
        from rma.cases.selectors import pickers_forget, queue_changed
        from rma.logistics.models import Shipment
        from rma.orders.models import Customer, Order, OrderLine

        post_migrate.connect(roles_ensure_on_migrate, sender=self)
        # What the queue shows or filters by: its rendered pages and fragments start afresh after any change.
        for model in (ReturnCase, ReturnItem, Shipment, Customer, Order, OrderLine, RegionCountry, ReturnPolicy):
            post_save.connect(queue_changed, sender=model, dispatch_uid=f"queue:save:{model.__name__}")
            post_delete.connect(queue_changed, sender=model, dispatch_uid=f"queue:delete:{model.__name__}")
        # The queue's cached pickers: regions and agents (their names, who may work cases).
        user_model = get_user_model()
        for model in (Region, user_model, Group):
            post_save.connect(pickers_forget, sender=model, dispatch_uid=f"pickers:save:{model.__name__}")
            post_delete.connect(pickers_forget, sender=model, dispatch_uid=f"pickers:delete:{model.__name__}")
        for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(pickers_forget, sender=through, dispatch_uid=f"pickers:{through.__name__}")
