"""URLs of the customer portal, mounted under the language prefix."""

from django.urls import path

from rma.portal import filing, privacy
from rma.portal import views as portal

app_name = "portal"
urlpatterns = [
    path("", portal.lookup, name="lookup"),
    path("verify/", portal.verify, name="verify"),
    path("sign-out/", portal.sign_out, name="sign_out"),
    path("verify/<str:token>/", portal.verify_link, name="verify_link"),
    path("orders/<str:number>/return/", filing.order_return, name="order_return"),
    path("return/", filing.return_several, name="return_several"),
    path("cases/<str:rma_number>/", portal.case_detail, name="case_detail"),
    path("cases/<str:rma_number>/label.pdf", portal.case_label, name="case_label"),
    path("cases/<str:rma_number>/documents/<str:kind>.pdf", portal.case_document, name="case_document"),
    path("cases/<str:rma_number>/cancel/", portal.case_cancel, name="case_cancel"),
    path("cases/<str:rma_number>/answer/", portal.case_provide_info, name="case_provide_info"),
    path("cases/<str:rma_number>/offer/", portal.case_answer_offer, name="case_answer_offer"),
    path("cases/<str:rma_number>/survey/", portal.case_survey, name="case_survey"),
    path("cases/<str:rma_number>/message/", portal.case_message, name="case_message"),
    path("cases/<str:rma_number>/messages/<int:pk>/file/", portal.case_message_file, name="case_message_file"),
    path("preferences/", portal.preferences, name="preferences"),
    path("withdraw/", portal.withdraw, name="withdraw"),
    path("withdraw/confirm/", portal.withdraw_confirm, name="withdraw_confirm"),
    path("withdraw/items/<str:token>/", portal.withdraw_items, name="withdraw_items"),
    path("unsubscribe/<str:token>/", portal.unsubscribe, name="unsubscribe"),
    path("my-data/", privacy.privacy_export_request, name="privacy_export_request"),
    path("my-data/<str:token>/", privacy.privacy_export_download, name="privacy_export_download"),
]
