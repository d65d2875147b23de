"""Public URLs of the policies app, mounted under /<lang>/policies/."""

from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_index, name="policy_index"),
    path("<slug:region>/", views.policy_public, name="policy_public"),
    path("<slug:region>/faq/", views.policy_faq, name="policy_faq"),
]
