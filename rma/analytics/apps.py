"""App config for return analytics (label ``analytics``)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "rma.analytics"
    label = "analytics"
    verbose_name = _("Return analytics")

    def ready(self):
        from rma.access import roles
        from rma.access.roles import roles_ensure_on_migrate
        from rma.analytics import subscribers

        roles.roles_grant(roles.SUPERVISOR, "analytics.view_dashboard")
        roles.roles_grant(roles.POLICY_ADMIN, "analytics.view_dashboard")

        # The dashboard permission exists only once this app has migrated: give it to the roles then.
        post_migrate.connect(roles_ensure_on_migrate, sender=self)
        subscribers.register()
