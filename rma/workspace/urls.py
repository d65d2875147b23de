"""URLs of the agent workspace."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from rma.workspace import mfa, supervision
from rma.workspace import views as agent

app_name = "agent"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="rma/agent/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mfa/setup/", mfa.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", mfa.mfa_verify, name="mfa_verify"),
    path("", agent.queue, name="queue"),
    path("bulk/", agent.queue_bulk, name="queue_bulk"),
    path("supervisor/", agent.supervisor, name="supervisor"),
    path("supervisor/stuck/", agent.stuck_work, name="stuck_work"),
    path("supervisor/approvals/", agent.approvals, name="approvals"),
    path("supervisor/team/", supervision.team, name="team"),
    path("supervisor/audit/", supervision.audit_export, name="audit_export"),
    path("analytics/", include("rma.analytics.urls")),
    path("privacy/", include("rma.privacy.urls")),
    path("cases/<str:rma_number>/", agent.case_detail, name="case_detail"),
    path("cases/<str:rma_number>/action/", agent.case_action, name="case_action"),
    path("cases/<str:rma_number>/files/<str:kind>/<int:pk>/", agent.case_file, name="case_file"),
]
