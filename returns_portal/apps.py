"""App config of the project package: its signal receivers."""

from django.apps import AppConfig


class ReturnsPortalConfig(AppConfig):
    name = "returns_portal"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .auth import permissions_changed, user_changed

        user_model = get_user_model()
        # Who has which permission: any change drops the cached permission sets.
        for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(permissions_changed, sender=through, dispatch_uid=f"permissions:{through.__name__}")
        for model in (Group, Permission):
            post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"permissions:del:{model.__name__}")
        post_save.connect(permissions_changed, sender=Permission, dispatch_uid="permissions:save:Permission")
        # The signed-in user as cached for the next requests.
        post_save.connect(user_changed, sender=user_model, dispatch_uid="auth:user:save")
        post_delete.connect(user_changed, sender=user_model, dispatch_uid="auth:user:delete")
