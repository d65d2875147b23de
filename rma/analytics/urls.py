"""URLs of the analytics dashboard, mounted under /agent/analytics/ in the agent namespace's file."""

from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.csv", views.dashboard_export, name="dashboard_export"),
]
