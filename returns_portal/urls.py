"""Top-level URLs: the localized customer portal, the agent workspace, admin, health check."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from rma.api.api import api
from rma.logistics import webhooks

from .observability import metrics
from .views import healthz, readyz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("agent/", include("rma.workspace.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("webhooks/tracking/", webhooks.tracking, name="webhook_tracking"),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("policies/", include("policies.urls")),
    path("", include("rma.portal.urls")),
)
