"""App config for outbound webhooks (label ``webhooks``): endpoints, deliveries and their outbox."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "rma.webhooks"
    label = "webhooks"
    verbose_name = _("Outbound webhooks")

    def ready(self):
        from rma.webhooks import subscribers

        subscribers.register()
