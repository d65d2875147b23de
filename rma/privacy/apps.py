"""App config for privacy (label ``privacy``): exports, erasures and the staff access log."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "rma.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from django.db.models import Q

        from returns_portal import outbox
        from rma.access import roles
        from rma.access.roles import roles_ensure_on_migrate
        from rma.privacy.models import DataExport

        # The export's outbox row, for the metrics' backlog (it has no case, so it is not on "Stuck work").
        outbox.kind_register(
            outbox.Kind(
                name="data_export", label=_("Data exports"), since="created_at",
                pending=lambda: DataExport.objects.filter(
                    Q(status=DataExport.Status.PENDING) | Q(status=DataExport.Status.READY, emailed_at__isnull=True)
                ),
            )
        )  # fmt: skip

        # Supervisors answer data protection requests; agents only leave traces in the access log.
        roles.roles_grant(roles.SUPERVISOR, "privacy.manage_personal_data")
        # The permission exists only once this app has migrated: give it to the role then.
        post_migrate.connect(roles_ensure_on_migrate, sender=self)
