"""Admin for the label prices that analytics counts as label costs."""

from django.contrib import admin

from .models import LabelRate


@admin.register(LabelRate)
class LabelRateAdmin(admin.ModelAdmin):
    list_display = ["carrier", "currency", "amount", "valid_from"]
    list_filter = ["carrier", "currency"]
