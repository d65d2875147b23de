"""URLs of the agent workspace."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from rma.workspace import home, mfa, receiving, supervision
from rma.workspace import views as agent

app_name = "agent"
urlpatterns = [
    path("login/", home.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mfa/setup/", mfa.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", mfa.mfa_verify, name="mfa_verify"),
    path("", agent.queue, name="queue"),
    path("bulk/", agent.queue_bulk, name="queue_bulk"),
    path("supervisor/", agent.supervisor, name="supervisor"),
    path("supervisor/stuck/", agent.stuck_work, name="stuck_work"),
    path("supervisor/approvals/", agent.approvals, name="approvals"),
    path("receive/", receiving.receive_station, name="receive"),
    path("receive/scan/", receiving.receive_scan, name="receive_scan"),
    path("receive/reset/", receiving.receive_reset, name="receive_reset"),
    path("supervisor/team/", supervision.team, name="team"),
    path("supervisor/audit/", supervision.audit_export, name="audit_export"),
    path("analytics/", include("rma.analytics.urls")),
    path("privacy/", include("rma.privacy.urls")),
    path("cases/<str:rma_number>/", agent.case_detail, name="case_detail"),
    path("cases/<str:rma_number>/print/", receiving.case_print, name="case_print"),
    path("cases/<str:rma_number>/action/", agent.case_action, name="case_action"),
    path("cases/<str:rma_number>/files/<str:kind>/<int:pk>/", agent.case_file, name="case_file"),
    path("cases/<str:rma_number>/reply-preview/", agent.case_reply_preview, name="case_reply_preview"),
    path("cases/<str:rma_number>/next/", agent.case_next, name="case_next"),
]
