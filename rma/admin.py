"""Django admin for orders, customers and cases; a case's status is read-only here."""

from django.contrib import admin

from .models import CaseEvent, Customer, Notification, Order, OrderLine, Refund, ReturnCase, ReturnItem, Shipment


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "country", "language"]
    search_fields = ["email", "name"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "currency", "ordered_on", "delivered_on", "ship_country"]
    search_fields = ["number", "customer__email"]
    list_select_related = ["customer"]
    inlines = [OrderLineInline]


class ReturnItemInline(admin.TabularInline):
    model = ReturnItem
    extra = 0
    readonly_fields = ["order_line", "quantity", "reason", "eligible", "basis", "deadline", "decision"]
    can_delete = False


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
    # The status changes only through the workflow services, never by editing it here.
    readonly_fields = ["rma_number", "status", "customer", "policy", "auto_approved", "created_at", "updated_at"]
    inlines = [ReturnItemInline, CaseEventInline]


for model in (Shipment, Refund, Notification):
    admin.site.register(
        model, list_display=["__str__", "created_at"], readonly_fields=[f.name for f in model._meta.fields]
    )
