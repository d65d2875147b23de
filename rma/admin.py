"""Django admin for orders, customers and cases; a case's status is read-only here."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.csp import CSP
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override

from rma.access.gifts import gift_code_issue, gift_code_text
from rma.cases import services
from rma.cases.models import AgentProfile, CaseEvent, Refund, ReturnCase, ReturnItem
from rma.logistics.gift_slip import gift_slip_pdf
from rma.logistics.models import Shipment
from rma.messaging import notifications
from rma.messaging.models import CannedReply, CannedReplyText, Notification
from rma.orders.models import Customer, Order, OrderLine, Product, Variant


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["variant"]


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["sku", "options", "price", "currency", "stock", "reserved", "image_url"]
    # Reservations move only through the exchange services, under the variant's row lock.
    readonly_fields = ["reserved"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """The catalogue, as imported with ``manage.py import_catalog`` (docs/catalog.md)."""

    list_display = ["name", "handle", "category"]
    search_fields = ["name", "handle", "variants__sku"]
    inlines = [VariantInline]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "country", "language", "language_note"]
    search_fields = ["email", "name"]
    list_filter = ["language", "country"]

    @admin.display(description=_("language note"))
    def language_note(self, obj):
        if obj.requested_language:
            return _("Asked for “%(language)s”, which the shop does not offer: served in English.") % {
                "language": obj.requested_language
            }
        return ""


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders as imported; for gifts, a gift code (shown once, in a message) and the gift slip to print."""

    list_display = ["number", "customer", "currency", "ordered_on", "delivered_on", "ship_country", "gift_slip"]
    search_fields = ["number", "customer__email"]
    list_select_related = ["customer"]
    inlines = [OrderLineInline]
    actions = ["make_gift_code"]

    @admin.display(description=_("gift slip"))
    def gift_slip(self, obj):
        url = reverse("admin:rma_order_gift_slip", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Gift slip (PDF)"))

    @admin.action(description=_("Make a gift code for the selected orders"), permissions=["change"])
    def make_gift_code(self, request, queryset):
        for order in queryset:
            code = gift_code_text(gift_code_issue(order=order, actor=request.user))
            messages.info(request, _("Gift code for order %(number)s: %(code)s") % {"number": order.number,
                                                                                    "code": code})  # fmt: skip

    def get_urls(self):
        view = self.admin_site.admin_view(self.gift_slip_view)
        return [path("<int:order_id>/gift-slip/", view, name="rma_order_gift_slip"), *super().get_urls()]

    def gift_slip_view(self, request, order_id):
        """The gift packing slip with the order's current gift code, in the customer's language."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        order = get_object_or_404(Order.objects.select_related("customer"), pk=order_id)
        pdf = gift_slip_pdf(order=order, language=order.customer.language)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="gift-slip-{order.number}.pdf"'
        return response


class ReturnItemInline(admin.TabularInline):
    """Read-only: an item's status moves with the workflow (receipt, inspection), its money with the quote."""

    model = ReturnItem
    extra = 0
    fields = readonly_fields = [
        "order_line", "quantity", "reason", "resolution", "exchange_wish", "problem", "status", "eligible", "basis",
        "deadline", "restocking_fee", "decision",
    ]  # fmt: skip
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    readonly_fields = ["kind", "from_status", "to_status", "actor", "actor_role", "data", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReturnCase)
class ReturnCaseAdmin(admin.ModelAdmin):
    list_display = ["rma_number", "customer", "status", "country", "created_at"]
    list_filter = ["status", "country"]
    search_fields = ["rma_number", "customer__email"]
    list_select_related = ["customer"]
    # Every change to a case lands on its timeline (docs/workflow.md, "Audit"). The status, the deadlines, the
    # money and the assignee change only through the workflow's services (each writes its own timeline row), so
    # they are read-only here; the few fields left editable are recorded by ``save_model``.
    EDITABLE = ("language",)  # the language the customer is written to
    inlines = [ReturnItemInline, CaseEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ReturnCase._meta.fields if f.name not in self.EDITABLE and f.name != "id"]

    def has_add_permission(self, request):
        return False  # a case is filed through the portal or the services, never made up here

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = ReturnCase.objects.select_for_update().get(pk=obj.pk)
            changed = {name: (getattr(before, name), getattr(obj, name)) for name in form.changed_data}
            ReturnCase.objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in changed})
            services.case_admin_edit_record(case=obj, actor=request.user, changes=changed)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox: every message queued, sent or failed, with its attempts; and a preview of all templates."""

    list_display = ["case", "event", "channel", "language", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel", "event", "language"]
    search_fields = ["case__rma_number", "recipient"]
    list_select_related = ["case"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    change_list_template = "admin/rma/notification/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        urls = [
            path(
                "preview/",
                # The emails are shown as they are sent (srcdoc frames, which take this page's CSP): their
                # style attributes are allowed here, and only here; scripts stay nonce-only.
                self.admin_site.admin_view(
                    csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(self.preview_view)
                ),
                name="rma_notification_preview",
            ),
        ]
        return urls + super().get_urls()

    def preview_view(self, request):
        """Every message in every language, rendered with sample data."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = request.GET.get("event") or "label_ready"
        if event not in notifications.EVENTS:
            event = "label_ready"
        previews = []
        for code, name in settings.LANGUAGES:
            subject, text, html = notifications.render_message(notifications.preview_data(event, code))
            previews.append({"code": code, "name": name, "subject": subject, "text": text, "html": html})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Message preview"),
            "events": sorted(notifications.EVENTS),
            "event": event,
            "previews": previews,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/rma/notification/preview.html", context)


for model in (Shipment, Refund):
    admin.site.register(
        model, list_display=["__str__", "created_at"], readonly_fields=[f.name for f in model._meta.fields]
    )


class CannedReplyTextFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        languages = {
            form.cleaned_data["language"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if settings.LANGUAGE_CODE not in languages:
            # canned_reply_text falls back to it: a reply without it would send nothing to some customers.
            raise ValidationError(
                gettext("A canned reply needs a text in %(language)s: it is sent when there is none in the customer's.")
                % {"language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]}
            )


def _languages_missing(reply: CannedReply | None) -> list[str]:
    have = set(reply.texts.values_list("language", flat=True)) if reply is not None and reply.pk else set()
    return [code for code, _name in settings.LANGUAGES if code not in have]


class CannedReplyTextInline(admin.StackedInline):
    """One text per language: a form for each language still missing, its language already chosen."""

    model = CannedReplyText
    formset = CannedReplyTextFormSet

    def get_extra(self, request, obj=None, **kwargs):
        return len(_languages_missing(obj))


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """Macros for the agents: one text per language, optionally applying a transition (e.g. request_info)."""

    list_display = ["name", "transition", "active", "languages_missing"]
    list_filter = ["active", "transition"]
    search_fields = ["name", "texts__body"]
    inlines = [CannedReplyTextInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("texts")

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CannedReplyTextInline):
            # The same on the form and its post, so that an untouched language is an unchanged (skipped) form.
            kwargs["initial"] = [{"language": code} for code in _languages_missing(obj)]
        return kwargs

    @admin.display(description=_("languages without a text"))
    def languages_missing(self, obj):
        have = {text.language for text in obj.texts.all()}
        return ", ".join(code for code, _name in settings.LANGUAGES if code not in have) or "-"


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    """What each agent takes in automatic assignment: languages read, open-case limit, availability."""

    list_display = ["user", "languages", "regions", "max_open_cases", "available"]
    list_filter = ["available"]
    list_select_related = ["user"]
