"""App config of the project package: its signal receivers."""

from django.apps import AppConfig


class ReturnsPortalConfig(AppConfig):
    name = "returns_portal"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .auth import auth_changed
        from .observability import outbox_collector_register

        outbox_collector_register()

        user_model = get_user_model()
        # Users, who is in which group, and what each group and user may do: cached users and permission
        # sets are stale after any change (a login saves the user too).
        for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(auth_changed, sender=through, dispatch_uid=f"auth:{through.__name__}")
        for model in (user_model, Group, Permission):
            post_save.connect(auth_changed, sender=model, dispatch_uid=f"auth:save:{model.__name__}")
            post_delete.connect(auth_changed, sender=model, dispatch_uid=f"auth:delete:{model.__name__}")
