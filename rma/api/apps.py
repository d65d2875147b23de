"""App config for the public REST API (label ``api``): tokens, idempotency records and the /api/v1/ endpoints."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "rma.api"
    label = "api"
    verbose_name = _("REST API")
