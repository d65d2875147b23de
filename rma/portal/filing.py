"""The customer's return form: items from one order or from several, reasons, what they would like, method, summary."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from policies import selectors as policy_selectors
from policies.explain import render_step
from policies.taxonomy import CHANGE_OF_MIND_REASONS, Reason
from returns_portal.formatting import format_list
from rma.cases import selectors, services
from rma.cases.models import Resolution
from rma.portal import views
from rma.portal.exchange import exchange_variant
from rma.portal.forms import ReturnRequestForm
from rma.portal.remedies import remedies_withheld, remedy_options
from rma.portal.tips import tips_for

# A random key this session keeps to find the photos it sent with a request not filed yet.
PENDING_PHOTOS_KEY = "portal_pending_photos"


@dataclass
class LineView:
    """What the portal shows for one order line: how many can go back, and for which reasons, why."""

    line: object
    returnable: int
    decisions: dict = field(default_factory=dict)  # reason -> Decision
    pending_photos: list = field(default_factory=list)  # PendingPhoto kept from an earlier submit
    exchange_options: list = field(default_factory=list)  # rma.cases.services.ExchangeOption, the picker's
    selected_reason: str = ""

    @property
    def id(self):
        return self.line.id

    @property
    def order(self):
        return self.line.order

    def eligible_for(self, reason: str) -> bool:
        return self.decisions[reason].eligible

    def refusal_for(self, reason: str) -> str:
        return render_step(self.decisions[reason].summary)

    def resolutions_for(self, reason: str) -> tuple[str, ...]:
        """What the customer may ask for with this reason; with no reason yet, what any eligible reason allows."""
        if reason:
            return services.resolutions_offered(self.decisions[reason], reason)
        offered = {code for r in Reason.values for code in services.resolutions_offered(self.decisions[r], r)}
        return tuple(code for code in Resolution.values if code in offered)

    @property
    def remedy_options(self):
        decision = self.decisions[self.selected_reason] if self.selected_reason else self.change_of_mind
        return remedy_options(self.resolutions_for(self.selected_reason), decision)

    @property
    def remedies_withheld(self) -> list[str]:
        if not self.selected_reason:
            return []
        return remedies_withheld(
            self.resolutions_for(self.selected_reason), change_of_mind=self.selected_reason in CHANGE_OF_MIND_REASONS
        )

    @property
    def change_of_mind(self):
        return self.decisions[Reason.CHANGE_OF_MIND]

    @property
    def fault(self):
        return self.decisions[Reason.DEFECTIVE]

    @property
    def can_return(self) -> bool:
        return self.returnable > 0 and any(d.eligible for d in self.decisions.values())

    @property
    def sentence(self) -> str:
        if self.returnable == 0:
            return _("This item is already in a return.")
        return render_step(self.change_of_mind.summary)

    @property
    def tips(self) -> list:
        return tips_for(self.line.category)

    @property
    def fault_sentence(self) -> str:
        """A second sentence for faults when they are treated differently from a change of mind."""
        if self.returnable == 0 or self.change_of_mind.eligible and self.fault.deadline == self.change_of_mind.deadline:
            return ""
        return render_step(self.fault.summary)


def line_views(orders, country: str, context, pending: dict) -> list[LineView]:
    today = timezone.localdate()
    # One policy context and one count of earlier returns for the page, not one per line and reason.
    previous = services.customer_previous_returns(orders[0].customer_id) if orders else 0
    result = []
    for order in orders:
        for line in order.lines.all():
            # Every reason is decided: an override rule of the policy may name one reason alone.
            decisions = {
                reason: services.item_decision(
                    order_line=line, reason=reason, country=country, today=today, context=context,
                    previous_returns=previous,
                )[1]
                for reason in Reason.values
            }  # fmt: skip
            result.append(
                LineView(
                    line=line,
                    returnable=services.returnable_quantity(line),
                    decisions=decisions,
                    pending_photos=pending.get(line.id, []),
                )
            )
    return result


def _signed_in(request):
    return request.session.get(views.SESSION_KEY)


def _holder(request) -> str:
    holder = request.session.get(PENDING_PHOTOS_KEY)
    if not holder:
        holder = request.session[PENDING_PHOTOS_KEY] = services.pending_holder_new()
    return holder


@require_http_methods(["GET", "POST"])
def order_return(request, number):
    """Return items of one order."""
    customer_id = _signed_in(request)
    order = selectors.order_get_for_customer(customer_id=customer_id, number=number) if customer_id else None
    if order is None:
        messages.info(request, _("Please enter your order number and email address first."))
        return redirect("portal:lookup")
    return _return_form(request, [order], order=order)


@require_http_methods(["GET", "POST"])
def return_several(request):
    """Return items of several orders at once: one case per place they go back to (one parcel, one label)."""
    customer_id = _signed_in(request)
    orders = list(selectors.orders_for_customer_with_lines(customer_id=customer_id)) if customer_id else []
    if not orders:
        messages.info(request, _("Please enter your order number and email address first."))
        return redirect("portal:lookup")
    return _return_form(request, orders, order=None)


def _return_form(request, orders, *, order):
    customer = orders[0].customer
    country = customer.country
    context = policy_selectors.policy_context(country=country)
    holder = _holder(request)
    if request.method == "POST" and request.POST.getlist("remove_photo"):
        services.pending_photos_remove(
            customer_id=customer.pk, holder=holder,
            photo_ids=[int(v) for v in request.POST.getlist("remove_photo") if v.isdigit()],
        )  # fmt: skip
    pending = selectors.pending_photos_for(customer_id=customer.pk, holder=holder)
    lines = line_views(orders, country, context, pending)
    returnable = [line for line in lines if line.can_return]
    for line in returnable:
        line.exchange_options = services.exchange_options(order_line=line.line, policy=context.policy)
    if order is None:
        # Across orders, only the orders that still hold something to return.
        orders = [o for o in orders if any(line.order.pk == o.pk for line in returnable)]
    decisions = [d for line in returnable for d in line.decisions.values() if d.eligible]
    methods = services.methods_offered(decisions or [d for line in lines for d in line.decisions.values()])
    # Showing the summary or removing a photo re-shows the form; only "Request the return" files.
    review = "review" in request.POST or "remove_photo" in request.POST
    form = ReturnRequestForm(
        request.POST or None, request.FILES or None, lines=returnable, methods=methods, review=review,
        remedy_url=request.path,
    )  # fmt: skip
    if request.htmx and request.POST.get("remedy_for"):
        # The reason changed: only this item's choices, for the new reason.
        line = next((line for line in returnable if str(line.id) == request.POST["remedy_for"]), None)
        if line is not None:
            return render(request, "rma/portal/_remedy.html", {"line": line, "remedy_only": True})
    valid = request.method == "POST" and form.is_valid()
    groups, quotes = [], []
    if valid:
        items = _item_requests(form)
        groups = services.case_groups(items)
        quotes = [_quote(group, form, context) for group in groups]
    if valid and not review:
        try:
            cases = services.cases_open(
                customer=customer, items=_with_pending_photos(items, returnable), language=request.LANGUAGE_CODE,
                return_method=form.cleaned_data["return_method"],
            )  # fmt: skip
        except services.CaseInvalid as exc:
            form.add_service_error(exc)
        else:
            services.pending_photos_clear(customer_id=customer.pk, holder=holder)
            return _filed(request, cases)
    if request.method == "POST" and not request.htmx:
        # Whatever stops the filing here, the photos just sent are kept and shown as attached.
        _keep_photos(request, form, returnable, customer, holder)
    template = "rma/portal/order_return.html"
    if request.htmx and review:
        template += "#return-summary"  # the summary alone, refreshed as the customer changes the form
    return render(
        request,
        template,
        {
            "order": order,
            "orders": orders,
            "several": order is None,
            "form": form,
            "error_summary": form.error_summary() if request.method == "POST" and not review else [],
            "quotes": quotes,
            "quote": quotes[0] if len(quotes) == 1 else None,
            "split_note": _split_note(groups),
            "region": context.region,
            "country": country,
            "return_center": policy_selectors.return_center_for_country(country=country),
            "returnable": returnable,
            "not_returnable": [line for line in lines if not line.can_return],
            "other_orders": order is not None and selectors.order_list_for_customer(customer=customer.pk).count() > 1,
        },
    )


def _item_requests(form) -> list:
    return [
        services.ItemRequest(
            order_line=line.line, quantity=qty, reason=reason, resolution=resolution, exchange_wish=wish,
            photos=item_photos, problem=problem,
            exchange_variant=exchange_variant(form.cleaned_data, line) if resolution == Resolution.EXCHANGE else None,
        )
        for line, qty, reason, resolution, wish, item_photos, problem in form.cleaned_data["chosen"]
    ]  # fmt: skip


def _with_pending_photos(items, lines) -> list:
    pending = {line.id: line.pending_photos for line in lines}
    return [
        services.ItemRequest(
            order_line=i.order_line, quantity=i.quantity, reason=i.reason, resolution=i.resolution,
            exchange_wish=i.exchange_wish, problem=i.problem, exchange_variant=i.exchange_variant,
            photos=services.pending_photos_files(pending.get(i.order_line.pk, [])) + tuple(i.photos),
        )
        for i in items
    ]  # fmt: skip


def _quote(group, form, context):
    by_line = {line.line.pk: line for line in form.lines}
    return {
        "group": group,
        "orders": format_list(group.order_numbers),
        "quote": services.quote_build(
            currency=group.currency,
            lines=[
                (i.order_line.name, i.quantity, i.order_line.unit_price, i.resolution,
                 by_line[i.order_line.pk].decisions[i.reason])
                for i in group.items
            ],
            method=form.cleaned_data["return_method"],
            policy=context.policy,
            today=timezone.localdate(),
        ),
    }  # fmt: skip


def _split_note(groups) -> str:
    if len(groups) < 2:
        return ""
    return ngettext(
        "These items go back in %(count)s separate return, each with its own parcel and label, "
        "because a return is paid back in one currency.",
        "These items go back in %(count)s separate returns, each with its own parcel and label, "
        "because a return is paid back in one currency.",
        len(groups),
    ) % {"count": len(groups)}


def _keep_photos(request, form, lines, customer, holder) -> None:
    cleaned = getattr(form, "cleaned_data", {})
    for line in lines:
        files = cleaned.get(f"photos_{line.id}") or []
        if not files:
            continue
        try:
            line.pending_photos = line.pending_photos + services.pending_photos_add(
                customer=customer, holder=holder, order_line=line.line, files=files
            )
        except services.CaseInvalid as exc:
            form.add_service_error(exc)


def _filed(request, cases):
    if len(cases) == 1:
        messages.success(request, _("Your return %(rma)s has been filed.") % {"rma": cases[0].rma_number})
        return redirect("portal:case_detail", rma_number=cases[0].rma_number)
    messages.success(
        request,
        _("Your returns %(numbers)s have been filed: each has its own parcel and label.")
        % {"numbers": format_list([case.rma_number for case in cases])},
    )
    return redirect(reverse("portal:lookup"))
