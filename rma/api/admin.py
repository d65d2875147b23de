"""API tokens in the admin: made here (the token is shown once, in the confirmation message), revoked here."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rma.api import tokens
from rma.api.models import ApiToken, Scope


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiToken
        fields = ("name", "user", "scopes", "expires_at")

    def clean_expires_at(self):
        value = self.cleaned_data.get("expires_at")
        if value and value <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return value


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ("name", "prefix", "user", "scope_list", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    actions = ("revoke",)

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("name", "user", "scopes", "expires_at", "prefix", "created_by", "created_at", "last_used_at",
                "revoked_at")  # fmt: skip

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) if obj else ("name", "user", "scopes", "expires_at")

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, raw = tokens.token_create(
            name=form.cleaned_data["name"], user=form.cleaned_data["user"], scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data.get("expires_at"), created_by=request.user,
        )  # fmt: skip
        obj.pk = token.pk
        messages.warning(
            request,
            _("Copy the token now; it is not shown again: %(token)s") % {"token": raw},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.token_revoke(token=token)
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)
