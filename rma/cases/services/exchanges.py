"""Exchanges from the catalogue: what a customer may pick, the price difference, and the stock held for it.

A customer exchanging an item picks another variant of the same product (another size or colour) or, where
the policy allows it (``ReturnPolicy.exchange_other_products``), a variant of another product up to the
returned item's price: only variants priced in the order's currency and in stock. The units are reserved
at filing (``Variant.reserved``, one ``StockReservation`` per item) under the variant's row lock, released
when the case is cancelled, rejected or expires, and taken from the stock when the exchange ships. The
price difference is kept on the item and settled by ``case_exchange`` (charged or refunded).

With the policy's instant exchange the new item ships as soon as the case is approved, before the old one
is back; the case records how the shop covers that (``ReturnCase.instant_exchange``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q
from django.utils.translation import gettext as _

from policies.taxonomy import InstantExchange
from rma.cases import events
from rma.cases.models import ExchangeOrder, Resolution, ReturnCase, ReturnItem, StockReservation
from rma.cases.services.errors import CaseInvalid
from rma.orders.models import OrderLine, Variant


@dataclass(frozen=True)
class ExchangeOption:
    """A variant the customer may choose instead of a returned line, with what it costs more or less."""

    variant: Variant
    difference: Decimal  # per unit: positive, the customer pays; negative, the shop refunds
    same_product: bool

    @property
    def charge(self) -> bool:
        return self.difference > 0

    @property
    def refund(self) -> Decimal:
        return -self.difference


def _allowed(order_line: OrderLine, *, policy) -> Q | None:
    if order_line.variant_id is None:
        return None  # not in the catalogue: the customer describes the exchange in words
    allowed = Q(product_id=order_line.variant.product_id)
    if policy is not None and policy.exchange_other_products:
        allowed |= Q(price__lte=order_line.unit_price)
    return allowed


def exchange_options(*, order_line: OrderLine, policy, quantity: int = 1) -> list[ExchangeOption]:
    """What this line may be exchanged for, in stock for ``quantity``: the same product's other variants first,
    then (if the policy allows) other products up to the line's price."""
    allowed = _allowed(order_line, policy=policy)
    if allowed is None:
        return []
    variants = (
        Variant.objects.select_related("product")
        .filter(allowed, currency=order_line.order.currency, stock__gte=F("reserved") + max(quantity, 1))
        .exclude(pk=order_line.variant_id)
        .order_by("product__name", "product_id", "id")
    )
    product_id, price = order_line.variant.product_id, Decimal(str(order_line.unit_price))
    options = [
        ExchangeOption(variant=v, difference=v.price - price, same_product=v.product_id == product_id) for v in variants
    ]
    return sorted(options, key=lambda option: not option.same_product)


def exchange_difference(*, order_line: OrderLine, variant: Variant, quantity: int) -> Decimal:
    """What the chosen variant costs more (positive) or less (negative) than the returned units."""
    return (Decimal(str(variant.price)) - Decimal(str(order_line.unit_price))) * quantity


def exchange_check(*, order_line: OrderLine, variant: Variant, policy) -> None:
    """Refuse a variant this line may not be exchanged for (stock is checked when it is reserved)."""
    allowed = _allowed(order_line, policy=policy)
    if (
        allowed is None
        or variant.pk == order_line.variant_id
        or variant.currency != order_line.order.currency
        or not Variant.objects.filter(allowed, pk=variant.pk).exists()
    ):
        raise CaseInvalid(
            _("%(variant)s cannot be chosen in exchange for %(item)s.") % {"variant": variant, "item": order_line.name}
        )


def _locked(variant_ids) -> dict[int, Variant]:
    """The variants' rows, locked in id order so that two filings never wait for each other in a circle."""
    return {v.pk: v for v in Variant.objects.select_for_update().filter(pk__in=sorted(set(variant_ids))).order_by("pk")}


def stock_reserve(*, items: list[ReturnItem]) -> list[StockReservation]:
    """Hold the chosen variants' units for these items. Call inside the filing's transaction: a variant whose
    last unit another filing took a moment ago refuses here, under its row lock, and the filing rolls back."""
    items = [item for item in items if item.exchange_variant_id]
    variants = _locked(item.exchange_variant_id for item in items)
    reservations = []
    for item in items:
        variant = variants[item.exchange_variant_id]
        if variant.stock - variant.reserved < item.quantity:
            raise CaseInvalid(
                _("%(variant)s is no longer in stock. Please choose something else.") % {"variant": variant}
            )
        variant.reserved += item.quantity
        Variant.objects.filter(pk=variant.pk).update(reserved=F("reserved") + item.quantity)
        reservations.append(StockReservation.objects.create(item=item, variant=variant, quantity=item.quantity))
    return reservations


def _held(case: ReturnCase) -> list[StockReservation]:
    return list(StockReservation.objects.filter(item__case=case, status=StockReservation.Status.HELD))


def stock_release(*, case: ReturnCase) -> int:
    """Give back what a cancelled, rejected or expired case held; units already released or shipped are
    left alone (safe to call twice). Returns how many units went back."""
    held = _held(case)
    _locked(r.variant_id for r in held)
    for reservation in held:
        Variant.objects.filter(pk=reservation.variant_id).update(reserved=F("reserved") - reservation.quantity)
        reservation.status = StockReservation.Status.RELEASED
        reservation.save(update_fields=["status", "changed_at"])
    return sum(r.quantity for r in held)


def stock_ship(*, case: ReturnCase) -> int:
    """The exchange leaves the warehouse: the reserved units leave the stock too."""
    held = _held(case)
    _locked(r.variant_id for r in held)
    for reservation in held:
        Variant.objects.filter(pk=reservation.variant_id).update(
            reserved=F("reserved") - reservation.quantity, stock=F("stock") - reservation.quantity
        )
        reservation.status = StockReservation.Status.SHIPPED
        reservation.save(update_fields=["status", "changed_at"])
    return sum(r.quantity for r in held)


def catalogue_exchange(case: ReturnCase) -> tuple[str, Decimal] | None:
    """What a catalogue exchange sends and its price difference, from the items; None when the customer
    described the exchange in words."""
    items = list(case.items.select_related("exchange_variant__product", "order_line"))
    if not items or any(item.exchange_variant_id is None for item in items):
        return None
    description = "; ".join(
        f"{item.exchange_variant} ({item.exchange_variant.sku}) × {item.quantity}" for item in items
    )
    return description, sum((item.exchange_difference for item in items), Decimal(0))


def instant_exchange_for(*, policy, items) -> str:
    """The policy's instant exchange, when every item is a catalogue exchange; empty otherwise."""
    mode = getattr(policy, "instant_exchange", InstantExchange.OFF)
    if mode and items and all(i.resolution == Resolution.EXCHANGE and i.exchange_variant for i in items):
        return mode
    return InstantExchange.OFF


def exchange_ship_instant(*, case: ReturnCase, actor=None) -> ExchangeOrder | None:
    """An approved instant exchange ships now, before the returned item is back: the exchange order is written,
    the stock leaves, and a higher price is charged at once. A lower price is refunded when the case is settled
    (``case_exchange``), once the returned item has been inspected. Call inside the approval's transaction."""
    if not case.instant_exchange or ExchangeOrder.objects.filter(case=case).exists():
        return None
    found = catalogue_exchange(case)
    if found is None:
        return None
    description, difference = found
    hold = None
    if case.instant_exchange == InstantExchange.AUTHORISATION:
        hold = sum((item.exchange_variant.price * item.quantity for item in case.items.all()), Decimal(0))
    order = ExchangeOrder.objects.create(
        case=case, number=f"EX-{case.rma_number}", description=description, price_difference=difference,
        currency=case.currency, created_by=actor, shipped_early=True, hold_amount=hold,
    )  # fmt: skip
    stock_ship(case=case)
    role = "agent" if actor is not None else "system"
    events.publish(
        events.ExchangeSent(case=case, actor=actor, role=role, number=order.number, difference=str(difference),
                            currency=case.currency, exchange_id=order.id)
    )  # fmt: skip
    if difference > 0:
        events.publish(events.ExchangeChargeDue(case=case, actor=actor, role=role, exchange_id=order.id))
    if hold:
        events.publish(events.ExchangeHoldDue(case=case, actor=actor, role=role, exchange_id=order.id))
    return order
