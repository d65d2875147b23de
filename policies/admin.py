"""Django admin for policy admins: regions, versioned policies (draft, preview, simulate, diff, publish), centres."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from returns_portal.formatting import format_date

from . import selectors, services
from .floor import rule_overlaps
from .forms import PolicyRuleForm, PolicyRuleFormSet, PublishForm, ReturnCenterForm, ReturnPolicyForm
from .models import PolicyRule, PolicyText, Region, RegionCountry, ReturnCenter, ReturnPolicy
from .views import policy_page_context


class RegionCountryInline(admin.TabularInline):
    model = RegionCountry
    extra = 1


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [RegionCountryInline]


class _PolicyPartInline:
    """Rules and texts are parts of one version: editable while it is a draft, by whoever may edit policies."""

    def _may_edit(self, request, obj):
        return request.user.has_perm("policies.change_returnpolicy") and (obj is None or obj.is_draft)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("policies.view_returnpolicy") or self._may_edit(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)


class PolicyRuleInline(_PolicyPartInline, admin.StackedInline):
    model = PolicyRule
    form = PolicyRuleForm
    formset = PolicyRuleFormSet
    extra = 0
    ordering = ["priority"]
    fieldsets = [
        (None, {"fields": ["priority", "name"]}),
        (
            _("When"),
            {
                "fields": [
                    "categories",
                    "skus",
                    "tags",
                    "reasons",
                    ("min_order_value", "max_order_value"),
                    ("min_previous_returns", "max_previous_returns"),
                ]
            },
        ),
        (
            _("Then"),
            {"fields": ["window_days", "restocking_fee_percent", "resolutions", "auto_approve", "manual_review"]},
        ),
    ]


class PolicyTextInline(_PolicyPartInline, admin.TabularInline):
    model = PolicyText
    extra = 0


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(admin.ModelAdmin):
    form = ReturnPolicyForm
    inlines = [PolicyRuleInline, PolicyTextInline]
    list_display = [
        "region",
        "version",
        "status",
        "window_days",
        "change_of_mind_allowed",
        "return_shipping_paid_by",
        "auto_approve",
        "effective_from",
        "published_at",
    ]
    list_filter = ["region", "status"]
    readonly_fields = ["rule_overlaps"]
    fieldsets = [
        (None, {"fields": ["region", "effective_from", "change_note"]}),
        (
            _("Change of mind"),
            {"fields": ["change_of_mind_allowed", "window_days", "window_start", "excluded_categories", "conditions"]},
        ),
        (
            _("Resolutions"),
            {
                "fields": [
                    "resolutions",
                    "store_credit_bonus_percent",
                    "refund_days",
                    "warranty_months",
                    "exchange_other_products",
                    "instant_exchange",
                ]
            },
        ),
        (
            _("Return shipping and fees"),
            {
                "fields": [
                    "return_shipping_paid_by",
                    "customer_shipping_share_percent",
                    "currency",
                    "free_return_min_order_value",
                    "free_first_return",
                    "return_label_fee",
                    "restocking_fee_percent",
                    "return_methods",
                ]
            },
        ),
        (
            _("Automatic approval"),
            {
                "fields": [
                    "auto_approve",
                    "auto_approve_faults",
                    "auto_approve_max_value",
                    "auto_approve_max_previous_returns",
                ]
            },
        ),
        (_("Override rules"), {"fields": ["rule_overlaps"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")

    def has_change_permission(self, request, obj=None):
        # A published or retired version is never edited: a new draft replaces it.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return [f.name for f in ReturnPolicy._meta.fields if f.name != "id"] + ["rule_overlaps"]
        return self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(self.fieldsets)
        if obj is not None and not obj.is_draft:
            fieldsets.append((_("Publication"), {"fields": ["status", "version", "published_at", "published_by"]}))
        return fieldsets

    @admin.display(description=_("overlapping rules"))
    def rule_overlaps(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        overlaps = rule_overlaps([selectors.rule_snapshot(r) for r in obj.rules.all()])
        if not overlaps:
            return gettext("No two rules set the same effect for the same claims.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        gettext(
                            "%(first)s (priority %(first_priority)s) and %(second)s (priority %(second_priority)s) "
                            "can match the same claim; the first decides %(effects)s."
                        )
                        % {
                            "first": o.first,
                            "first_priority": o.first_priority,
                            "second": o.second,
                            "second_priority": o.second_priority,
                            "effects": ", ".join(str(PolicyRule._meta.get_field(e).verbose_name) for e in o.effects),
                        },
                    )
                    for o in overlaps
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        services.policy_save_draft(policy=obj, actor=request.user)

    # ------------------------------------------------------------------ extra pages

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="policies_returnpolicy_preview"),
            path("<int:pk>/simulate/", wrap(self.simulate_view), name="policies_returnpolicy_simulate"),
            path("<int:pk>/diff/", wrap(self.diff_view), name="policies_returnpolicy_diff"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="policies_returnpolicy_publish"),
            path("<int:pk>/copy/", wrap(self.copy_view), name="policies_returnpolicy_copy"),
            *super().get_urls(),
        ]

    def _policy(self, request, pk, *, change=False) -> ReturnPolicy:
        policy = get_object_or_404(ReturnPolicy.objects.select_related("region"), pk=pk)
        allowed = self.has_change_permission(request, policy) if change else self.has_view_permission(request, policy)
        if not allowed:
            raise PermissionDenied
        return policy

    def _render(self, request, template, policy, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": policy,
                "policy": policy,
                **context,
            },
        )

    def preview_view(self, request, pk):
        policy = self._policy(request, pk)
        page = policy_page_context(region=policy.region, policy=policy)
        return self._render(
            request,
            "admin/policies/returnpolicy/preview.html",
            policy,
            title=gettext("Preview of %(policy)s") % {"policy": policy},
            page=page,
            languages=settings.LANGUAGES,
        )

    def simulate_view(self, request, pk):
        policy = self._policy(request, pk)
        try:
            limit = max(1, min(int(request.GET.get("limit", 200)), 2000))
        except ValueError:
            limit = 200
        report = selectors.policy_simulate(policy=policy, limit=limit)
        return self._render(
            request,
            "admin/policies/returnpolicy/simulate.html",
            policy,
            title=gettext("Simulation of %(policy)s") % {"policy": policy},
            report=report,
            limit=limit,
            current=selectors.policy_published_for_region(region=policy.region),
        )

    def diff_view(self, request, pk):
        policy = self._policy(request, pk)
        versions = selectors.policy_versions(region=policy.region).exclude(pk=policy.pk)
        other_pk = request.GET.get("other")
        other = versions.filter(pk=other_pk).first() if other_pk and other_pk.isdigit() else None
        if other is None:
            other = versions.filter(status=ReturnPolicy.Status.PUBLISHED).first() or versions.first()
        changes = selectors.policy_diff(old=other, new=policy) if other else []
        return self._render(
            request,
            "admin/policies/returnpolicy/diff.html",
            policy,
            title=gettext("Differences of %(policy)s") % {"policy": policy},
            other=other,
            versions=versions,
            changes=changes,
        )

    def publish_view(self, request, pk):
        policy = self._policy(request, pk, change=True)
        form = PublishForm(request.POST or None, initial={"note": policy.change_note})
        errors = services.policy_floor_errors(policy=policy)
        if request.method == "POST" and form.is_valid():
            try:
                policy = services.policy_publish(policy=policy, actor=request.user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                if policy.scheduled:
                    text = gettext("%(policy)s is checked and will be published on %(date)s.") % {
                        "policy": policy, "date": format_date(policy.effective_from, "long"),
                    }  # fmt: skip
                else:
                    text = gettext("%(policy)s is published.") % {"policy": policy}
                self.message_user(request, text, messages.SUCCESS)
                return redirect(reverse("admin:policies_returnpolicy_change", args=[policy.pk]))
        return self._render(
            request,
            "admin/policies/returnpolicy/publish.html",
            policy,
            title=gettext("Publish %(policy)s") % {"policy": policy},
            form=form,
            floor_errors=[message for field_messages in errors.values() for message in field_messages],
            current=selectors.policy_published_for_region(region=policy.region),
        )

    def copy_view(self, request, pk):
        """A confirmation page (GET) and the copy (POST): reached by a link, so it works from the read-only form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        policy = self._policy(request, pk)
        if request.method == "POST":
            draft = services.policy_copy_as_draft(policy=policy, actor=request.user)
            self.message_user(
                request,
                gettext("%(policy)s is a new draft; edit it, then publish it.") % {"policy": draft},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:policies_returnpolicy_change", args=[draft.pk]))
        return self._render(
            request,
            "admin/policies/returnpolicy/copy.html",
            policy,
            title=gettext("New draft from %(policy)s") % {"policy": policy},
        )


@admin.register(ReturnCenter)
class ReturnCenterAdmin(admin.ModelAdmin):
    form = ReturnCenterForm
    list_display = ["name", "country", "customs_territory", "is_fallback", "active"]
    list_filter = ["active", "customs_territory"]
