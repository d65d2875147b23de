"""App config for return cases."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RmaConfig(AppConfig):
    name = "rma"
    verbose_name = _("Returns")

    def ready(self):
        from .roles import roles_ensure_on_migrate

        post_migrate.connect(roles_ensure_on_migrate, sender=self)
