"""URLs of the privacy pages, mounted under /agent/privacy/ in the agent namespace's file."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_home, name="home"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:customer_id>/export/", views.customer_export, name="customer_export"),
    path("customers/<int:customer_id>/erase/", views.customer_erase, name="customer_erase"),
    path("exports/<int:export_id>/download/", views.export_download, name="export_download"),
    path("access-log.csv", views.access_log_csv, name="access_log_csv"),
]
