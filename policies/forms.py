"""Forms for policy admins: a draft's terms, its override rules (checked against the legal floor), publishing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PolicyRule, ReturnCenter, ReturnPolicy
from .selectors import POLICY_TERM_FIELDS, RULE_TERM_FIELDS, customs_territory, rule_snapshot
from .services import policy_floor_errors
from .taxonomy import Category, PolicyCondition, Reason, Resolution, ReturnMethod


class CodeListField(forms.MultipleChoiceField):
    """A JSON list of codes edited as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, choices, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, **kwargs)

    def prepare_value(self, value):
        return value or []


class OptionalCodeListField(CodeListField):
    """Like CodeListField, but nothing ticked means "leave the policy's value" (None)."""

    def clean(self, value):
        cleaned = super().clean(value)
        return cleaned or None


class TextListField(forms.CharField):
    """A JSON list of short codes typed as one comma-separated line."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [part.strip() for part in text.split(",") if part.strip()]


class ReturnPolicyForm(forms.ModelForm):
    excluded_categories = CodeListField(
        choices=Category.choices, label=_("categories excluded from change-of-mind returns")
    )
    conditions = CodeListField(choices=PolicyCondition.choices, label=_("conditions for returns under the policy"))
    resolutions = CodeListField(choices=Resolution.choices, label=_("resolutions offered"))
    return_methods = CodeListField(choices=ReturnMethod.choices, label=_("return methods offered"))

    class Meta:
        model = ReturnPolicy
        fields = ["region", "effective_from", "change_note", *POLICY_TERM_FIELDS]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or getattr(self.instance, "region_id", None) is None:
            return
        # Rules are checked by their own formset; here only the policy's own terms.
        for field, messages in policy_floor_errors(policy=self.instance, rules=[]).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class PolicyRuleForm(forms.ModelForm):
    categories = CodeListField(choices=Category.choices, label=_("categories"))
    reasons = CodeListField(choices=Reason.choices, label=_("reasons"))
    skus = TextListField(label=_("SKUs"), help_text=_("Separated by commas."))
    tags = TextListField(label=_("tags"), help_text=_("Separated by commas."))
    resolutions = OptionalCodeListField(
        choices=Resolution.choices, label=_("resolutions offered"), help_text=_("None ticked: as the policy says.")
    )

    class Meta:
        model = PolicyRule
        fields = ["priority", *RULE_TERM_FIELDS]


class PolicyRuleFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or self.instance is None or self.instance.region_id is None:
            return
        rules = [
            PolicyRule(
                policy=self.instance,
                **{k: v for k, v in form.cleaned_data.items() if k not in ("id", "DELETE", "policy")},
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        priorities = [rule.priority for rule in rules]
        if len(priorities) != len(set(priorities)):
            raise forms.ValidationError(_("Each rule needs its own priority."))
        # Validate the rules as the engine will see them, against the law of every country of the region.
        errors = policy_floor_errors(policy=self.instance, rules=rules).get("rules", [])
        if errors:
            raise forms.ValidationError(errors)
        for rule in rules:
            rule_snapshot(rule)  # fails loudly on a value the engine cannot read


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Why this version"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the version history: what changed and why."),
    )


class ReturnCenterForm(forms.ModelForm):
    countries_served = TextListField(
        label=_("countries served"), help_text=_("ISO country codes separated by commas, such as IT, FR, US-CA.")
    )

    class Meta:
        model = ReturnCenter
        fields = ["name", "address", "country", "customs_territory", "countries_served", "is_fallback", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customs_territory"].required = False

    def clean_countries_served(self):
        return [code.upper() for code in self.cleaned_data["countries_served"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("country") and not cleaned.get("customs_territory"):
            cleaned["customs_territory"] = customs_territory(cleaned["country"])
        if cleaned.get("country"):
            cleaned["country"] = cleaned["country"].upper()
        return cleaned
