"""What a return brings back and costs: quoted to the customer before filing, then frozen on the case.

The quote is computed from the engine's decisions (restocking fee %, who pays return shipping and the
customer's share, store-credit bonus, refund clocks) and the policy's label fee. ``case_open`` stores the
fees it quoted (``ReturnCase.shipping_fee``, ``ReturnItem.restocking_fee``) and ``amount_due`` keeps
exactly those back, so the customer is paid what they were shown.

Two choices are deliberate: bringing the parcel to a return centre costs no label fee (no carrier is
paid), and a return that brings no money back (exchanges, repairs) is not charged a label fee either,
since there is nothing to keep it back from.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from policies.taxonomy import Basis, RefundClock, ReturnMethod
from rma.cases.models import Resolution

CENT = Decimal("0.01")
MONEY_RESOLUTIONS = frozenset({Resolution.REFUND, Resolution.STORE_CREDIT})


@dataclass(frozen=True)
class QuoteLine:
    name: str
    quantity: int
    value: Decimal
    restocking_fee: Decimal
    resolution: str

    @property
    def net(self) -> Decimal:
        return self.value - self.restocking_fee


@dataclass(frozen=True)
class Quote:
    currency: str
    lines: tuple[QuoteLine, ...]
    method: str
    shipping_paid_by: str  # "merchant", "customer" or "shared"
    shipping_fee: Decimal  # the customer's part of the label, kept back from the money
    store_credit_bonus_percent: int = 0
    promised_refund_days: int | None = None  # the shop's promise, counted from receipt
    statutory_refund_due_on: datetime.date | None = None  # the law's latest date, when it counts from filing

    @property
    def items_total(self) -> Decimal:
        return sum((line.value for line in self.lines), Decimal(0))

    @property
    def restocking_total(self) -> Decimal:
        return sum((line.restocking_fee for line in self.lines), Decimal(0))

    @property
    def refund_amount(self) -> Decimal:
        """Money back to the original payment method: refund lines less fees, less the label fee."""
        net = sum((line.net for line in self.lines if line.resolution == Resolution.REFUND), Decimal(0))
        return max(net - self.shipping_fee, Decimal(0))

    @property
    def _fee_left_for_credit(self) -> Decimal:
        net = sum((line.net for line in self.lines if line.resolution == Resolution.REFUND), Decimal(0))
        return max(self.shipping_fee - net, Decimal(0))

    @property
    def credit_base(self) -> Decimal:
        net = sum((line.net for line in self.lines if line.resolution == Resolution.STORE_CREDIT), Decimal(0))
        return max(net - self._fee_left_for_credit, Decimal(0))

    @property
    def credit_bonus(self) -> Decimal:
        return (self.credit_base * self.store_credit_bonus_percent / 100).quantize(CENT)

    @property
    def credit_amount(self) -> Decimal:
        return self.credit_base + self.credit_bonus

    @property
    def has_refund(self) -> bool:
        return any(line.resolution == Resolution.REFUND for line in self.lines)

    @property
    def has_credit(self) -> bool:
        return any(line.resolution == Resolution.STORE_CREDIT for line in self.lines)

    @property
    def has_goods_back(self) -> bool:
        """Exchange, repair or replacement: the customer gets an item, not money."""
        return any(line.resolution not in MONEY_RESOLUTIONS for line in self.lines)


def _payer_and_share(decisions) -> tuple[str, int]:
    """The most favourable shipping terms among the items (the same rule ``case_open`` records)."""
    if not decisions or any(d.return_shipping_paid_by == "merchant" for d in decisions):
        return "merchant", 0
    shared = [d.customer_shipping_share_percent for d in decisions if d.return_shipping_paid_by == "shared"]
    if shared:
        return "shared", min(shared)
    return "customer", 100


def quote_build(
    *,
    currency: str,
    lines: list[tuple],  # (name, quantity, unit_price, resolution, decision) per chosen line
    method: str,
    policy=None,  # policies.models.ReturnPolicy or None
    today: datetime.date,
) -> Quote:
    """The quote for the chosen lines; pure apart from reading the policy row's fields."""
    decisions = [line[4] for line in lines]
    quoted = tuple(
        QuoteLine(
            name=name,
            quantity=quantity,
            value=(Decimal(str(unit_price)) * quantity).quantize(CENT),
            # A fee is kept back from money paid back; an exchange or repair pays nothing back.
            restocking_fee=(Decimal(str(unit_price)) * quantity * Decimal(decision.restocking_fee_percent) / 100)
            .quantize(CENT) if resolution in MONEY_RESOLUTIONS else Decimal(0),
            resolution=resolution,
        )
        for name, quantity, unit_price, resolution, decision in lines
    )  # fmt: skip
    payer, share = _payer_and_share(decisions)
    fee = Decimal(0)
    label_fee = getattr(policy, "return_label_fee", None)
    money_back = any(line.resolution in MONEY_RESOLUTIONS for line in quoted)
    if share and label_fee and method != ReturnMethod.RETURN_CENTER and money_back and policy.currency == currency:
        fee = (Decimal(label_fee) * share / 100).quantize(CENT)
        net = sum((line.net for line in quoted if line.resolution in MONEY_RESOLUTIONS), Decimal(0))
        if fee >= net:
            fee = Decimal(0)  # the label would eat all the customer gets back: the shop bears it
    statutory = None
    for decision in decisions:
        # The same rule as rma.cases.services.sla.statutory_refund_due: only a statutory withdrawal has this clock.
        if (
            decision.basis == Basis.STATUTORY_WITHDRAWAL
            and decision.refund_due_from == RefundClock.WITHDRAWAL_NOTICE
            and decision.refund_due_days
        ):
            due = today + datetime.timedelta(days=decision.refund_due_days)
            statutory = min(statutory, due) if statutory else due
    return Quote(
        currency=currency,
        lines=quoted,
        method=method,
        shipping_paid_by=payer,
        shipping_fee=fee,
        store_credit_bonus_percent=max((d.store_credit_bonus_percent for d in decisions), default=0),
        promised_refund_days=getattr(policy, "refund_days", None),
        statutory_refund_due_on=statutory,
    )


def quote_for_case(case) -> Quote:
    """The quote a filed case was given, rebuilt from what was frozen on it at filing."""
    items = list(case.items.select_related("order_line"))
    return Quote(
        currency=case.currency,
        lines=tuple(
            QuoteLine(
                name=item.order_line.name,
                quantity=item.quantity,
                value=item.amount,
                restocking_fee=item.restocking_fee,
                resolution=item.resolution,
            )
            for item in items
        ),  # fmt: skip
        method=case.return_method,
        shipping_paid_by=case.return_shipping_paid_by or "merchant",
        shipping_fee=case.shipping_fee,
        store_credit_bonus_percent=max((i.decision.get("store_credit_bonus_percent") or 0 for i in items), default=0),
        promised_refund_days=getattr(case.policy, "refund_days", None),
        statutory_refund_due_on=case.statutory_refund_due_on,
    )


def methods_offered(decisions) -> list[str]:
    """The return methods the policy offers for these items, in the taxonomy's order; a mail label at least."""
    offered = {m for d in decisions for m in (d.return_methods or ())}
    return [m for m in ReturnMethod.values if m in offered] or [ReturnMethod.MAIL_LABEL]
