"""The admin's view of outbound webhooks: endpoints (with their secret shown once made), and the delivery log with
a "send again" action."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rma.webhooks import services
from rma.webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "description", "is_active", "failing_since", "disabled_at", "created_at")
    list_filter = ("is_active",)
    readonly_fields = ("secret", "failing_since", "disabled_at", "disabled_reason", "admins_notified_at",
                       "created_by", "created_at", "updated_at")  # fmt: skip
    fields = ("url", "description", "event_types", "is_active", *readonly_fields)
    actions = ("send_test_event", "rotate_secret")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.secret = services.secret_new()
            obj.created_by = request.user
        elif obj.is_active and "is_active" in form.changed_data:
            obj.disabled_at = obj.failing_since = obj.admins_notified_at = None
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        clean = form.clean

        def checked(this):
            data = clean(this)
            errors = services.endpoint_errors(url=data.get("url"), event_types=data.get("event_types") or [])
            for field, message in errors.items():
                this.add_error(field, message)
            return data

        form.clean = checked
        return form

    @admin.action(description=_("Send a test event"))
    def send_test_event(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_ping(endpoint=endpoint)
        self.message_user(request, _("Test events queued; see the delivery log."), messages.SUCCESS)

    @admin.action(description=_("Make a new signing secret"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_rotate_secret(endpoint=endpoint)
        self.message_user(request, _("New secrets made: give them to the receivers."), messages.WARNING)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("message_id", "event_type", "endpoint", "status", "attempts", "last_status_code", "created_at",
                    "delivered_at")  # fmt: skip
    list_filter = ("status", "event_type", "endpoint")
    search_fields = ("message_id", "case__rma_number")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ("redeliver",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"), permissions=["view"])
    def redeliver(self, request, queryset):
        sent = refused = 0
        for delivery in queryset.select_related("endpoint"):
            try:
                services.delivery_redeliver(delivery=delivery)
                sent += 1
            except services.EndpointInvalid:
                refused += 1
        if sent:
            self.message_user(
                request, ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", sent) % {"n": sent}
            )
        if refused:
            self.message_user(
                request,
                _("%(n)d deliveries belong to a disabled endpoint: turn it on again first.") % {"n": refused},
                messages.ERROR,
            )
