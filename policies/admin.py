"""Django admin for policy admins: regions, their countries, and versioned policies."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Region, RegionCountry, ReturnPolicy
from .services import policy_publish


class RegionCountryInline(admin.TabularInline):
    model = RegionCountry
    extra = 1


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [RegionCountryInline]


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "region",
        "version",
        "status",
        "window_days",
        "change_of_mind_allowed",
        "return_shipping_paid_by",
        "auto_approve",
        "published_at",
    ]
    list_filter = ["region", "status"]
    actions = ["publish"]
    readonly_fields = ["status", "published_at", "published_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A published or retired version is never edited: a new draft replaces it.
        if obj is not None and obj.status != ReturnPolicy.Status.DRAFT:
            return [f.name for f in ReturnPolicy._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == ReturnPolicy.Status.DRAFT

    @admin.action(description=_("Publish the selected draft"), permissions=["change"])
    def publish(self, request, queryset):
        for policy in queryset:
            try:
                policy_publish(policy=policy, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{policy}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(policy)s is published.") % {"policy": policy}, messages.SUCCESS)
