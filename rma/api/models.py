"""API tokens (stored hashed, with scopes) and the stored answers of POST requests sent with an Idempotency-Key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CASES_READ = "cases:read", _("Read cases and policy decisions")
    CASES_WRITE = "cases:write", _("Create cases and act on them")
    ORDERS_WRITE = "orders:write", _("Read and write orders")
    WEBHOOKS = "webhooks", _("Manage webhook subscriptions")


class ApiToken(models.Model):
    name = models.CharField(_("name"), max_length=100)
    # The staff user the token acts as: workflow actions need that user's permissions, as in the workspace.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("acts as")
    )
    # "rp_<prefix>_<secret>": the prefix finds the row, the SHA-256 of the whole token proves it. The token
    # itself is shown once, when it is made, and never stored.
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.name} (rp_{self.prefix}_…)"


class IdempotencyRecord(models.Model):
    """The answer to one POST sent with an ``Idempotency-Key``: the same key with the same request gets the same
    answer again, without doing the work twice. A row with no status is a request still being handled."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    status_code = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_unique_key")]

    def __str__(self):
        return f"{self.token_id}:{self.key}"
