"""Keeps the analytics summary tables up to date, incrementally, from watermarks on what changed.

Cases: every change to a case writes a timeline event (``CaseEvent``), a survey answer writes a
``SurveyResponse``; both carry an indexed time. A refresh reads the cases changed since the last
watermark (less an overlap, for transactions that committed late), finds the months they were filed
in, and rewrites the summary rows of those months from their cases; other months are not read. Sales:
order lines are append-only, so the watermark is the last line id seen, and the order days of new lines
are rewritten. The first refresh (or ``full=True``) builds everything.
"""

import datetime
import zoneinfo
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from policies.models import RegionCountry
from rma.cases.models import (
    CaseEvent,
    Compensation,
    Deduction,
    ExchangeOrder,
    Refund,
    ReturnCase,
    ReturnItem,
    StoreCreditEntry,
    SurveyResponse,
)
from rma.orders.models import OrderLine

from . import rules
from .models import (
    CaseMonth,
    DurationMonth,
    Grain,
    LabelRate,
    ProductReturnMonth,
    ProductSalesMonth,
    ReasonDay,
    SalesDay,
    SalesRecount,
    Watermark,
)

# Re-read this much before the watermark: a transaction may commit a little after the time it wrote.
OVERLAP = datetime.timedelta(minutes=10)
# Likewise for order lines: ids are handed out before commit, so re-read the last few thousand.
SALES_ID_OVERLAP = 5000
INSERT_BATCH = 5000
CASE_SUMS = [
    "cases", "units", "repeat_cases", "first_response_measured", "first_response_on_time", "decision_measured",
    "decision_on_time", "refund_measured", "refund_on_time", "rating_1", "rating_2", "rating_3", "rating_4",
    "rating_5", "labels", "labels_priced",
]  # fmt: skip
MONEY_SUMS = ["refunded", "credited", "credit_bonus", "kept_exchange", "fees", "deductions", "goodwill", "label_cost"]
# The day tables, their key columns and their summed columns, for the roll-up into month rows.
ROLLUPS = [
    (SalesDay, ["country", "category"], ["units", "lines"]),
    (ReasonDay, ["country", "category", "reason"], ["units", "items"]),
]
# Product rows for every region together, so that the dashboard without a region filter reads a fifth.
ALL_REGIONS = "*"
REASON_COLUMNS = [
    "change_of_mind", "too_small", "too_large", "defective", "damaged_in_transit", "wrong_item", "not_as_described",
]  # fmt: skip


def country_regions() -> dict[str, str]:
    return dict(RegionCountry.objects.values_list("country", "region__code"))


def region_of(country: str, countries: dict[str, str]) -> str:
    """The region of a country; countries no region covers are served by the default region's policy."""
    return countries.get(country, settings.DEFAULT_REGION_CODE)


def shop_timezone() -> zoneinfo.ZoneInfo:
    """Days are the shop's days (settings.TIME_ZONE), whoever runs the refresh."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_of(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(shop_timezone()).date()


def _bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = shop_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _label_price(rates: dict, carrier: str, currency: str, on: datetime.date) -> Decimal | None:
    for valid_from, amount in rates.get((carrier, currency), ()):
        if valid_from <= on:
            return amount
    return None


def _cases_rebuild(month: datetime.date, *, now: datetime.datetime, rates: dict) -> int:
    """Rewrite the case and duration rows of a month, and the reason rows of its days, from the cases."""
    first, last = month, rules.month_end(month)
    start, end = _bounds(first, last)
    CaseMonth.objects.filter(month=month).delete()
    DurationMonth.objects.filter(month=month).delete()
    ReasonDay.objects.filter(grain=Grain.DAY, day__gte=first, day__lte=last).delete()
    cases = ReturnCase.objects.filter(created_at__gte=start, created_at__lt=end)
    rows = list(
        cases.values(
            "id",
            "customer_id",
            "created_at",
            "country",
            "status",
            "first_response_due_at",
            "first_responded_at",
            "decision_due_at",
            "decided_at",
            "received_at",
            "refund_due_at",
            "resolved_at",
            "shipping_fee",
        )  # fmt: skip
    )
    if not rows:
        return 0
    in_range = Q(case__created_at__gte=start, case__created_at__lt=end)
    items = defaultdict(list)
    for item in (
        ReturnItem.objects.filter(in_range)
        .order_by("id")
        .values(
            "case_id",
            "quantity",
            "reason",
            "resolution",
            "order_line__category",
            "order_line__unit_price",
            "order_line__order__currency",
            "restocking_fee",
        )  # fmt: skip
    ):
        items[item["case_id"]].append(item)
    last_outcome = dict(
        CaseEvent.objects.filter(in_range, to_status__in=list(rules.STATUS_OUTCOME))
        .order_by("case_id", "id")
        .values_list("case_id", "to_status")
    )  # ordered by id: the dict keeps each case's last ending
    refunded = dict(
        Refund.objects.filter(in_range, status=Refund.Status.PAID)
        .exclude(kind=Refund.Kind.GOODWILL)
        .values("case_id")
        .annotate(total=Sum("amount"))
        .values_list("case_id", "total")
    )
    credits = {
        (case_id, kind): total
        for case_id, kind, total in StoreCreditEntry.objects.filter(
            in_range, kind__in=[StoreCreditEntry.Kind.CREDIT, StoreCreditEntry.Kind.BONUS]
        )
        .values("case_id", "kind")
        .annotate(total=Sum("amount"))
        .values_list("case_id", "kind", "total")
    }
    exchanges = dict(ExchangeOrder.objects.filter(in_range).values_list("case_id", "price_difference"))
    deductions = defaultdict(dict)
    for case_id, reason, total in (
        Deduction.objects.filter(item__case__created_at__gte=start, item__case__created_at__lt=end)
        .values("item__case_id", "reason")
        .annotate(total=Sum("amount"))
        .values_list("item__case_id", "reason", "total")
    ):
        deductions[case_id][reason] = total
    goodwill = dict(
        Compensation.objects.filter(in_range)
        .values("case_id")
        .annotate(total=Sum("amount"))
        .values_list("case_id", "total")
    )
    # The shipment is read through the case (rma.logistics owns the model; analytics imports no satellite).
    shipped = ReturnCase.objects.filter(created_at__gte=start, created_at__lt=end, shipment__isnull=False)
    shipments = {case_id: (carrier, created) for case_id, carrier, created in
                 shipped.values_list("id", "shipment__carrier", "shipment__created_at")}  # fmt: skip
    ratings = dict(SurveyResponse.objects.filter(in_range).values_list("case_id", "rating"))
    first_filed = dict(
        ReturnCase.objects.filter(customer_id__in=cases.values("customer_id"))
        .values("customer_id")
        .annotate(first=Min("created_at"))
        .values_list("customer_id", "first")
    )

    case_rows: dict[tuple, dict] = {}
    durations: dict[tuple, int] = defaultdict(int)
    reasons: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        case_items = items.get(row["id"], [])
        head = case_items[0] if case_items else {}
        category = head.get("order_line__category", "")
        currency = head.get("order_line__order__currency", "")
        day = day_of(row["created_at"])
        shipment = shipments.get(row["id"])
        label_cost = None
        if shipment:
            label_cost = _label_price(rates, shipment[0], currency, day_of(shipment[1]))
        record = rules.CaseRecord(
            created_at=row["created_at"],
            status=row["status"],
            first_response_due_at=row["first_response_due_at"],
            first_responded_at=row["first_responded_at"],
            decision_due_at=row["decision_due_at"],
            decided_at=row["decided_at"],
            received_at=row["received_at"],
            refund_due_at=row["refund_due_at"],
            resolved_at=row["resolved_at"],
            last_outcome_status=last_outcome.get(row["id"]),
            wish=head.get("resolution"),
            items_value=sum((i["order_line__unit_price"] * i["quantity"] for i in case_items), Decimal(0)),
            refunded=refunded.get(row["id"]) or Decimal(0),
            credited=credits.get((row["id"], StoreCreditEntry.Kind.CREDIT)) or Decimal(0),
            credit_bonus=credits.get((row["id"], StoreCreditEntry.Kind.BONUS)) or Decimal(0),
            exchange_difference=exchanges.get(row["id"]),
            deductions=deductions.get(row["id"], {}),
            quoted_fees=row["shipping_fee"] + sum((i["restocking_fee"] for i in case_items), Decimal(0)),
            goodwill=goodwill.get(row["id"]) or Decimal(0),
            label_cost=label_cost,
            has_label=shipment is not None,
            rating=ratings.get(row["id"]),
            repeat=row["created_at"] > first_filed.get(row["customer_id"], row["created_at"]),
        )
        facts = rules.case_facts(record, now=now)
        key = (row["country"], category, currency, facts.outcome)
        sums = case_rows.setdefault(key, dict.fromkeys(CASE_SUMS, 0) | {m: Decimal(0) for m in MONEY_SUMS})
        sums["cases"] += 1
        sums["units"] += sum(i["quantity"] for i in case_items)
        sums["repeat_cases"] += facts.repeat
        for name, (measured, on_time) in zip(("first_response", "decision", "refund"), facts.clocks, strict=True):
            sums[f"{name}_measured"] += measured
            sums[f"{name}_on_time"] += on_time
        if facts.rating:
            sums[f"rating_{facts.rating}"] += 1
        sums["labels"] += facts.labels
        sums["labels_priced"] += facts.labels_priced
        for name, amount in facts.money.items():
            sums[name] += amount
        for stage, bucket in facts.durations.items():
            durations[(row["country"], category, stage, bucket)] += 1
        for item in case_items:
            counts = reasons[(day, row["country"], item["order_line__category"], item["reason"])]
            counts[0] += item["quantity"]
            counts[1] += 1

    CaseMonth.objects.bulk_create(
        [
            CaseMonth(month=month, country=k[0], category=k[1], currency=k[2], outcome=k[3], **v)
            for k, v in case_rows.items()
        ],
        batch_size=INSERT_BATCH,
    )
    DurationMonth.objects.bulk_create(
        [
            DurationMonth(month=month, country=k[0], category=k[1], stage=k[2], bucket=k[3], cases=n)
            for k, n in durations.items()
        ],
        batch_size=INSERT_BATCH,
    )
    ReasonDay.objects.bulk_create(
        [
            ReasonDay(day=k[0], country=k[1], category=k[2], reason=k[3], units=v[0], items=v[1])
            for k, v in reasons.items()
        ],
        batch_size=INSERT_BATCH,
    )
    return len(rows)


def _product_returns_rebuild(months: set[datetime.date], countries: dict[str, str]) -> None:
    """Rewrite the product return rows of whole months: one grouped query, regions and reasons merged here."""
    if not months:
        return
    start, _ = _bounds(min(months), min(months))
    _, end = _bounds(rules.month_end(max(months)), rules.month_end(max(months)))
    ProductReturnMonth.objects.filter(month__in=months).delete()
    grouped = (
        ReturnItem.objects.filter(case__created_at__gte=start, case__created_at__lt=end)
        .annotate(month=TruncMonth("case__created_at", tzinfo=shop_timezone()))
        .values("month", "case__country", "order_line__category", "order_line__sku", "reason")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    rows: dict[tuple, ProductReturnMonth] = {}
    for g in grouped.iterator(chunk_size=INSERT_BATCH):
        month = _as_date(g["month"])
        if month not in months:
            continue
        for region in (region_of(g["case__country"], countries), ALL_REGIONS):
            key = (month, region, g["order_line__category"], g["order_line__sku"])
            row = rows.get(key)
            if row is None:
                row = rows[key] = ProductReturnMonth(month=key[0], region=key[1], category=key[2], sku=key[3])
            row.units += g["units"]
            if g["reason"] in REASON_COLUMNS:
                setattr(row, g["reason"], getattr(row, g["reason"]) + g["units"])
    ProductReturnMonth.objects.bulk_create(rows.values(), batch_size=INSERT_BATCH)


def _rollup(months: set[datetime.date], models: list[tuple] = ROLLUPS) -> None:
    """Sum the day rows of whole months into month rows, in the database."""
    if not months:
        return
    first, last = min(months), rules.month_end(max(months))
    for model, keys, sums in models:
        model.objects.filter(grain=Grain.MONTH, day__in=months).delete()
        grouped = (
            model.objects.filter(grain=Grain.DAY, day__gte=first, day__lte=last)
            .annotate(month=TruncMonth("day"))
            .values("month", *keys)
            .annotate(**{f"s_{name}": Sum(name) for name in sums})
            .order_by()
        )
        rows = (
            model(
                grain=Grain.MONTH,
                day=_as_date(g["month"]),
                **{k: g[k] for k in keys},
                **{name: g[f"s_{name}"] for name in sums},
            )  # fmt: skip
            for g in grouped.iterator(chunk_size=INSERT_BATCH)
        )
        model.objects.bulk_create((r for r in rows if r.day in months), batch_size=INSERT_BATCH)


def _sales_rebuild(days: set[datetime.date] | None, countries: dict[str, str]) -> set[datetime.date]:
    """Rewrite the sales rows of the given order days (all of them when ``days`` is None); returns the months."""
    lines = OrderLine.objects.all()
    if days is None:
        SalesDay.objects.all().delete()
        ProductSalesMonth.objects.all().delete()
    else:
        if not days:
            return set()
        lines = lines.filter(order__ordered_on__in=sorted(days))
        SalesDay.objects.filter(grain=Grain.DAY, day__in=days).delete()
    grouped = (
        lines.values("order__ordered_on", "order__ship_country", "category")
        .annotate(units=Sum("quantity"), lines=Count("id"))
        .order_by()
    )
    months = set()
    batch = []
    for g in grouped.iterator(chunk_size=INSERT_BATCH):
        months.add(rules.month_start(g["order__ordered_on"]))
        batch.append(SalesDay(day=g["order__ordered_on"], country=g["order__ship_country"], category=g["category"],
                              units=g["units"], lines=g["lines"]))  # fmt: skip
        if len(batch) >= INSERT_BATCH:
            SalesDay.objects.bulk_create(batch)
            batch = []
    SalesDay.objects.bulk_create(batch)
    if days is not None:
        months = {rules.month_start(day) for day in days}
        ProductSalesMonth.objects.filter(month__in=months).delete()
        lines = OrderLine.objects.filter(
            order__ordered_on__gte=min(months), order__ordered_on__lte=rules.month_end(max(months))
        )
    _rollup(months, [ROLLUPS[0]])
    grouped = (
        lines.annotate(month=TruncMonth("order__ordered_on"))
        .values("month", "order__ship_country", "category", "sku")
        .annotate(units=Sum("quantity"), name=Max("name"))
        .order_by()
    )
    rows: dict[tuple, ProductSalesMonth] = {}
    for g in grouped.iterator(chunk_size=INSERT_BATCH):
        month = _as_date(g["month"])
        if month not in months:
            continue
        for region in (region_of(g["order__ship_country"], countries), ALL_REGIONS):
            key = (month, region, g["category"], g["sku"])
            row = rows.get(key)
            if row is None:
                row = rows[key] = ProductSalesMonth(month=key[0], region=key[1], category=key[2], sku=key[3],
                                                    name=g["name"])  # fmt: skip
            row.units += g["units"]
    ProductSalesMonth.objects.bulk_create(rows.values(), batch_size=INSERT_BATCH)
    return months


def sales_recount_mark(*, days) -> None:
    """Ask the next refresh to count these order days' sales again (an order of theirs changed)."""
    SalesRecount.objects.bulk_create([SalesRecount(day=day) for day in set(days) if day], ignore_conflicts=True)


def _watermark(name: str) -> Watermark | None:
    Watermark.objects.get_or_create(name=name)
    # Locked for the whole refresh; a second refresh running meanwhile skips instead of waiting.
    return Watermark.objects.select_for_update(skip_locked=True).filter(name=name).first()


def _label_rates() -> dict:
    rates = defaultdict(list)
    for rate in LabelRate.objects.order_by("-valid_from"):
        rates[(rate.carrier, rate.currency)].append((rate.valid_from, rate.amount))
    return rates


@transaction.atomic
def analytics_refresh(*, now: datetime.datetime | None = None, full: bool = False) -> dict:
    """Bring the summary tables up to date with what changed since the last refresh (or rebuild them).

    One transaction: the dashboard reads the old figures until the new ones are complete. Safe to run
    twice and concurrently (the second run finds the watermark locked and skips).
    """
    now = now or timezone.now()
    cases_mark = _watermark("cases")
    sales_mark = _watermark("sales")
    if cases_mark is None or sales_mark is None:
        return {"skipped": True}
    rebuild = full or cases_mark.changed_since is None
    if rebuild:
        bounds = ReturnCase.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
        months: set[datetime.date] = set()
        if bounds["first"]:
            months = set(rules.months_between(day_of(bounds["first"]), day_of(bounds["last"])))
        for model in (CaseMonth, ReasonDay, DurationMonth, ProductReturnMonth):
            model.objects.all().delete()
    else:
        since = cases_mark.changed_since - OVERLAP
        # A deadline that ran out since the last refresh changes the SLA figures without any event.
        lapsed = (
            Q(first_response_due_at__gte=since, first_response_due_at__lt=now, first_responded_at__isnull=True)
            | Q(decision_due_at__gte=since, decision_due_at__lt=now, decided_at__isnull=True)
            | Q(refund_due_at__gte=since, refund_due_at__lt=now, resolved_at__isnull=True)
        )
        changed = ReturnCase.objects.filter(
            Q(created_at__gte=since)
            | lapsed
            | Q(id__in=CaseEvent.objects.filter(created_at__gte=since).values("case_id"))
            | Q(id__in=SurveyResponse.objects.filter(created_at__gte=since).values("case_id"))
        )
        months = {rules.month_start(day_of(created)) for created in changed.values_list("created_at", flat=True)}
    rates = _label_rates()
    countries = country_regions()
    cases = sum(_cases_rebuild(month, now=now, rates=rates) for month in sorted(months))
    _rollup(months, ROLLUPS[1:])
    _product_returns_rebuild(months, countries)
    cases_mark.changed_since = now
    cases_mark.refreshed_at = timezone.now()
    cases_mark.save()

    last_line = OrderLine.objects.aggregate(last=Max("id"))["last"] or 0
    recount = list(SalesRecount.objects.all())
    if full or sales_mark.last_id == 0:
        sales_months = _sales_rebuild(None, countries)
        sales_days = len(set(SalesDay.objects.values_list("day", flat=True).distinct()))
    else:
        new_lines = OrderLine.objects.filter(id__gt=max(sales_mark.last_id - SALES_ID_OVERLAP, 0))
        order_days = set(new_lines.values_list("order__ordered_on", flat=True).distinct())
        order_days |= {r.day for r in recount}
        sales_months = _sales_rebuild(order_days, countries)
        sales_days = len(order_days)
    SalesRecount.objects.filter(pk__in=[r.pk for r in recount]).delete()
    sales_mark.last_id = last_line
    sales_mark.refreshed_at = timezone.now()
    sales_mark.save()
    return {
        "full": rebuild,
        "cases": cases,
        "months": len(months),
        "sales_days": sales_days,
        "sales_months": len(sales_months),
    }
