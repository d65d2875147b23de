"""Gift returns in the portal: the order number and the gift code from the slip, then the items, store credit or
an exchange, and the recipient's own name and email (rma.cases.services.gift). The buyer is never told."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from policies.taxonomy import CHANGE_OF_MIND_REASONS, Reason, ReturnMethod
from returns_portal.client_address import client_address
from rma.access.gifts import GiftCodeInvalid, gift_code_verify
from rma.access.throttles import Throttled
from rma.cases import selectors, services
from rma.cases.models import Resolution
from rma.portal.views import _grant_case, _throttled

GIFT_KEY = "portal_gift"
GIFT_REASONS = [(r.value, r.label) for r in Reason if r in CHANGE_OF_MIND_REASONS]
GIFT_RESOLUTIONS = [(r.value, r.label) for r in (Resolution.STORE_CREDIT, Resolution.EXCHANGE)]


class GiftStartForm(forms.Form):
    order_number = forms.CharField(label=_("Order number (on the gift slip)"), max_length=40)
    gift_code = forms.CharField(label=_("Gift code"), max_length=40)
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"), help_text=_("We write to you here, never to the buyer."))


class GiftReturnForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you returning it?"), choices=GIFT_REASONS)
    resolution = forms.ChoiceField(label=_("What would you like?"), choices=GIFT_RESOLUTIONS,
                                   widget=forms.RadioSelect, initial=Resolution.STORE_CREDIT)  # fmt: skip
    exchange_wish = forms.CharField(label=_("For an exchange: what would you like instead?"), max_length=200,
                                    required=False)  # fmt: skip

    def __init__(self, *args, lines, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines  # (order line, how many can still go back)
        for line, returnable in lines:
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=gettext("%(item)s (up to %(count)s)") % {"item": line.name, "count": returnable},
                min_value=0, max_value=returnable, initial=0, required=False,
                widget=forms.NumberInput(attrs={"min": 0, "max": returnable}),
            )  # fmt: skip
        self.fields["return_method"] = forms.ChoiceField(
            label=_("How will you send it back?"), choices=[(m, ReturnMethod(m).label) for m in methods],
            widget=forms.RadioSelect, initial=methods[0],
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        cleaned["quantities"] = [(line, cleaned[f"qty_{line.pk}"]) for line, _n in self.lines
                                 if cleaned.get(f"qty_{line.pk}")]  # fmt: skip
        if not cleaned["quantities"] and not self.errors:
            raise forms.ValidationError(gettext("Choose at least one item to send back."))
        if cleaned.get("resolution") == Resolution.EXCHANGE and not (cleaned.get("exchange_wish") or "").strip():
            self.add_error("exchange_wish", gettext("Tell us what you would like instead."))
        return cleaned


@require_http_methods(["GET", "POST"])
def gift_start(request):
    """Step 1: the order number and the gift code, and who the recipient is."""
    form = GiftStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = gift_code_verify(number=data["order_number"], code=data["gift_code"],
                                     client=client_address(request))  # fmt: skip
        except Throttled as exc:
            return _throttled(request, "rma/portal/gift.html", {"form": form}, exc)
        except GiftCodeInvalid as exc:
            form.add_error(None, str(exc))
        else:
            request.session.cycle_key()
            request.session[GIFT_KEY] = {"order": order.pk, "name": data["name"], "email": data["email"]}
            return redirect("portal:gift_items")
    return render(request, "rma/portal/gift.html", {"form": form})


@require_http_methods(["GET", "POST"])
def gift_items(request):
    """Step 2: which items, why, store credit or an exchange, and how the parcel goes back."""
    gift = request.session.get(GIFT_KEY)
    order = selectors.order_get(order_id=gift["order"]) if gift else None
    if order is None:
        messages.info(request, gettext("Please enter the order number and the gift code first."))
        return redirect("portal:gift_start")
    lines = [(line, n) for line in order.lines.all() if (n := services.returnable_quantity(line))]
    decisions = [services.item_decision(order_line=line, reason=Reason.CHANGE_OF_MIND, country=order.ship_country)[1]
                 for line, _n in lines]  # fmt: skip
    form = GiftReturnForm(request.POST or None, lines=lines, methods=services.methods_offered(decisions))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        items = [
            services.ItemRequest(order_line=line, quantity=quantity, reason=data["reason"],
                                 resolution=data["resolution"], exchange_wish=data["exchange_wish"])
            for line, quantity in data["quantities"]
        ]  # fmt: skip
        try:
            case = services.gift_return_open(order=order, email=gift["email"], name=gift["name"], items=items,
                                             language=request.LANGUAGE_CODE,
                                             return_method=data["return_method"])  # fmt: skip
        except services.CaseInvalid as exc:
            form.add_error(None, str(exc))
        else:
            request.session.pop(GIFT_KEY, None)
            _grant_case(request, rma_number=case.rma_number, customer_id=case.customer_id)
            messages.success(request, gettext("Your return %(rma)s has been filed.") % {"rma": case.rma_number})
            return redirect("portal:case_detail", rma_number=case.rma_number)
    return render(request, "rma/portal/gift_items.html", {"form": form, "order": order, "gift": gift})
